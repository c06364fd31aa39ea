"""`python -m sample_site serve [--port 8765] [--theme print] [--bundled] [--faults a,b]`."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence

from sample_site.generate import build_site, bundled_site
from sample_site.model import THEMES, Site
from sample_site.server import SiteServer


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m sample_site", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve a fixture site in the foreground")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8765, help="0 picks a free port")
    serve.add_argument("--bundled", action="store_true", help="the demo site (the default)")
    serve.add_argument("--theme", choices=THEMES, help="generate a site in this layout")
    serve.add_argument("--articles", type=int, default=6, help="generated articles")
    serve.add_argument("--seed", type=int, default=0, help="generator seed")
    serve.add_argument("--timezone", default="America/New_York")
    serve.add_argument("--comments-per-page", type=int, default=0)
    serve.add_argument("--faults", default="", help="comma-separated fault names")
    serve.add_argument("--no-rest-api", action="store_true")
    serve.add_argument("--slow-seconds", type=float, default=3.0)
    return parser.parse_args(argv)


def site_from_args(args: argparse.Namespace) -> Site:
    if args.bundled or not args.theme:
        return bundled_site()
    return build_site(
        args.theme,
        n_articles=args.articles,
        seed=args.seed,
        timezone=args.timezone,
        comments_per_page=args.comments_per_page,
        faults=[f for f in args.faults.split(",") if f],
        rest_api=not args.no_rest_api,
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    site = site_from_args(args)
    server = SiteServer(site, args.host, args.port, slow_seconds=args.slow_seconds).start()
    print(server.base_url, flush=True)
    print(
        f"{site.name}: {len(site.all_articles)} articles, theme {site.theme}. Ctrl-C stops.",
        file=sys.stderr,
    )
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
