"""`make demo`: serve the bundled sample site, run the whole pipeline on it, search it.

The sample site reproduces a real opinion piece and its 11 reader comments (plus a few
generated articles) on 127.0.0.1; nothing leaves the machine.
"""

from __future__ import annotations

import argparse
import socket
import sys

from rich.console import Console

from archive.display import print_hits
from archive.index import index, search
from archive.layout import DataDir
from archive.process import process
from archive.search import SearchQuery, parse_period
from crawler.runner import crawl, new_run_id
from crawler.siteconfig import SiteConfig
from sample_site.generate import bundled_site
from sample_site.server import SiteServer

DEMO_QUERY = '"history-making deal" korea'
DEMO_PORT = 8765


def _free(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m archive.demo", description=__doc__)
    parser.add_argument("--data", default="./demo-data")
    parser.add_argument("--port", type=int, default=DEMO_PORT,
                        help="port of the sample site (a stable port keeps its URLs stable)")
    args = parser.parse_args(argv)
    console = Console(stderr=True)
    data = DataDir.at(args.data)
    port = args.port if _free(args.port) else 0
    with SiteServer(bundled_site(), port=port) as server:
        console.print(f"sample site serving at [cyan]{server.base_url}/[/]")
        site = SiteConfig(name="sample", start_urls=[f"{server.base_url}/"], download_delay=0.1)
        result = crawl(site, data, new_run_id(), progress=console.is_terminal)
        console.print(f"crawled: {result.counts.get('articles', 0)} articles, "
                      f"{result.counts.get('comments', 0)} comments")
        for report in process(data, runs=[result.run_id]):
            counts = report["counts"]
            console.print(f"processed: {counts.get('articles/rows_in', 0)} articles, "
                          f"{counts.get('comments/rows_in', 0)} comments into {data.parquet}")
        figures = index(data, run_id=result.run_id)
        console.print(f"indexed into {figures['backend']} under {data.index}")
    query = SearchQuery(text=DEMO_QUERY, published_from=parse_period("2019-02"),
                        published_before=parse_period("2019-02", end=True))
    console.print(f"\n$ pressarchive search '{DEMO_QUERY}' --from 2019-02 --to 2019-02 "
                  f"--data {args.data}\n")
    result_set = search(data, query)
    print_hits(Console(), query, result_set)
    return 0 if result_set.total else 1


if __name__ == "__main__":
    sys.exit(main())
