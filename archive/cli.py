"""`pressarchive`: the command line. Each command calls one library entry point.

Exit status: 0 success, 2 usage error, 1 failure with a one-line reason on stderr
(the traceback too with `--debug`).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.console import Console

from archive.layout import DataDir

GZIP_MAGIC = b"\x1f\x8b"

out = Console()
err = Console(stderr=True)


def _data(args: argparse.Namespace) -> DataDir:
    return DataDir.at(args.data)


def _sites(args: argparse.Namespace) -> list[Any]:
    from crawler.siteconfig import load_site, site_from_urls

    if args.site:
        site = load_site(args.site)
        if args.urls:
            site = site.model_copy(update={"start_urls": args.urls})
        return [site]
    if not args.urls:
        raise UsageError("give at least one URL or --site FILE")
    return [site_from_urls(args.urls)]


class UsageError(Exception):
    pass


def cmd_crawl(args: argparse.Namespace) -> dict[str, Any]:
    from crawler.runner import crawl, new_run_id, safe_run_id

    data = _data(args)
    run_id = safe_run_id(args.run_id) if args.run_id else new_run_id()
    results = {}
    for site in _sites(args):
        result = crawl(site, data, run_id, progress=err.is_terminal)
        results[site.name] = {**result.counts, "timezone": result.timezone,
                              "timezone_source": result.timezone_source,
                              "notes": list(result.notes)}
        if result.timezone_source in (None, "default_utc"):
            err.print(f"warning: {site.name}: no timezone in the site file, its WordPress "
                      "settings or its pages; local times were read as UTC (set `timezone:` "
                      "in a site file)",
                      markup=False)
        err.print(f"crawled [cyan]{site.name}[/]: {result.counts.get('articles', 0)} articles, "
                  f"{result.counts.get('comments', 0)} comments (run {run_id})")
        for note in result.notes:
            err.print(f"note: {site.name}: {note}", markup=False)
    return {"run_id": run_id, "sites": results}


def cmd_process(args: argparse.Namespace) -> dict[str, Any]:
    from archive.process import process, process_site

    runs = [args.run] if args.run else None
    workers = args.workers or None
    if getattr(args, "site", None):
        reports = process_site(_data(args), args.site, runs=runs, parquet=args.parquet,
                               force=args.force, workers=workers)
    else:
        reports = process(_data(args), runs=runs, parquet=args.parquet, force=args.force,
                          workers=workers)
    for report in reports:
        counts = report["counts"]
        where = f" site {report['site']}" if "site" in report else ""
        err.print(f"processed run {report['run_id']}{where}: "
                  f"{counts.get('articles/rows_in', 0)} articles, "
                  f"{counts.get('comments/rows_in', 0)} comments, "
                  f"{sum(v for k, v in counts.items() if k.startswith('quarantined/'))} "
                  "quarantined")
    if not reports:
        err.print("nothing to process: every raw run is processed already")
    return {"runs": reports}


def cmd_dedupe(args: argparse.Namespace) -> dict[str, Any]:
    from archive.duplicates import dedupe

    reports = dedupe(_data(args), runs=[args.run] if args.run else None, parquet=args.parquet)
    for report in reports:
        counts = report["counts"]
        err.print(f"deduplicated run {report['run_id']}: "
                  f"{counts.get('articles/duplicates_exact', 0)} exact and "
                  f"{counts.get('articles/duplicates_near', 0)} near copies")
    if not reports:
        err.print("nothing to deduplicate: no processed run is waiting")
    return {"runs": reports}


def cmd_index(args: argparse.Namespace) -> dict[str, Any]:
    from archive.index import index, replay_dead_letters

    if getattr(args, "replay_dead_letters", False):
        figures = replay_dead_letters(_data(args), elasticsearch=args.elasticsearch,
                                      parquet=args.parquet)
        err.print(f"replayed {figures['dead_letters/replayed']} dead letters into "
                  f"{figures['backend']} ({figures['version']}); "
                  f"{figures['dead_letters/pending']} still pending")
        return figures
    figures = index(_data(args), elasticsearch=args.elasticsearch, parquet=args.parquet,
                    full=getattr(args, "full", False), run_id=getattr(args, "run", None))
    if figures["rebuild_reason"]:
        err.print(f"built a new version: {figures['rebuild_reason']}", markup=False)
    for entity in ("articles", "comments"):
        err.print(f"{entity}: {figures.get(f'{entity}/indexed', 0)} indexed, "
                  f"{figures.get(f'{entity}/updated', 0)} updated, "
                  f"{figures.get(f'{entity}/dead_lettered', 0)} dead-lettered, "
                  f"{figures.get(f'{entity}/missing', 0)} missing")
    err.print(f"index {figures['backend']} ({figures['version']}) is complete")
    return figures


def cmd_reindex(args: argparse.Namespace) -> dict[str, Any]:
    args.full = True
    return cmd_index(args)


def cmd_search(args: argparse.Namespace) -> dict[str, Any] | None:
    from archive.index import search
    from archive.search import SearchQuery, parse_period

    query = SearchQuery(
        text=" ".join(args.query), kind="comments" if args.comments else "articles",
        published_from=parse_period(args.date_from) if args.date_from else None,
        published_before=parse_period(args.date_to, end=True) if args.date_to else None,
        site=args.site, author=args.author, sort=args.sort, limit=args.limit,
        offset=args.offset, after=args.after)
    try:
        result = search(_data(args), query, elasticsearch=args.elasticsearch)
    except ValueError as exc:  # SearchWindowError, CursorError: how to ask instead
        raise UsageError(str(exc)) from exc
    if args.json:
        return {"total": result.total, "hits": [h.to_dict() for h in result.hits],
                "next": result.next}
    from archive.display import print_hits

    print_hits(out, query, result)
    return None


def cmd_run(args: argparse.Namespace) -> dict[str, Any]:
    crawled = cmd_crawl(args)
    args.run, args.force, args.workers = crawled["run_id"], False, 0
    args.site = None
    processed = cmd_process(args)
    indexed = cmd_index(args)
    return {"crawl": crawled, "process": processed["runs"], "index": indexed}


def cmd_extract(args: argparse.Namespace) -> dict[str, Any]:
    from crawler.extraction import PageContext, extract_page

    path = Path(args.file)
    url = args.url or path.resolve().as_uri().replace("file://", "http://localhost")
    saved = path.read_bytes()
    if saved.startswith(GZIP_MAGIC):  # a page saved as the server sent it, or as corpora keep it
        saved = gzip.decompress(saved)
    page = extract_page(saved, url, PageContext(timezone=args.timezone))
    return page.to_dict()


def cmd_reprocess(args: argparse.Namespace) -> dict[str, Any]:
    from archive.reprocess import reprocess
    from crawler.siteconfig import load_site

    figures = reprocess(_data(args), run_id=args.run,
                        sites=[load_site(path) for path in args.site or []])
    err.print(f"re-extracted {figures['responses']} archived responses of "
              f"{len(figures['runs'])} run(s) into new run {figures['run_id']}")
    return figures


def cmd_runs(args: argparse.Namespace) -> dict[str, Any] | None:
    from archive.reports import list_reports

    reports = list_reports(_data(args))
    if args.json:
        return {"runs": reports}
    from archive.display import print_runs

    print_runs(out, reports)
    return None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pressarchive", description=__doc__.split("\n")[0])
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    commands = parser.add_subparsers(dest="command", required=True)

    def command(name: str, handler: Callable, help: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help, description=help)
        sub.set_defaults(handler=handler)
        sub.add_argument("--debug", action="store_true", default=argparse.SUPPRESS)
        if name != "extract":
            sub.add_argument("--data", default=os.environ.get("PRESSARCHIVE_DATA", "./data"),
                             help="data directory (default: $PRESSARCHIVE_DATA or ./data)")
        return sub

    for name, handler, help in (("crawl", cmd_crawl, "crawl sites into DIR/raw"),
                                ("run", cmd_run, "crawl, process and index in one go")):
        sub = command(name, handler, help)
        sub.add_argument("urls", nargs="*", metavar="URL")
        sub.add_argument("--site", help="site file (YAML)")
        sub.add_argument("--run-id", help="resume or name this run")
        if name == "run":
            _index_options(sub)
    sub = command("process", cmd_process, "clean and deduplicate raw runs into Parquet")
    sub.add_argument("--run", help="only this run")
    sub.add_argument("--site", help="only this raw site (DIR/raw/run=*/site=NAME), without "
                     "the cross-site dedupe: run `pressarchive dedupe` after the sites")
    sub.add_argument("--force", action="store_true", help="process runs already processed")
    sub.add_argument("--workers", type=int, default=0,
                     help="cleaning threads (default: one per CPU for big runs)")
    sub.add_argument("--parquet", help="archive location (path or s3:// URI)")
    sub = command("dedupe", cmd_dedupe,
                  "mark exact and near duplicates of the runs processed site by site")
    sub.add_argument("--run", help="only this run")
    sub.add_argument("--parquet", help="archive location (path or s3:// URI)")
    for name, handler, help in (("index", cmd_index, "update the search index"),
                                ("reindex", cmd_reindex, "rebuild the index and swap it in")):
        sub = command(name, handler, help)
        _index_options(sub)
        if name == "index":
            sub.add_argument("--replay-dead-letters", action="store_true",
                             help="send the documents Elasticsearch rejected again (after "
                                  "fixing the cause), then check the index is complete")
    sub = command("search", cmd_search, "search articles or comments")
    sub.add_argument("query", nargs="*")
    sub.add_argument("--from", dest="date_from", help="YYYY[-MM[-DD]] (UTC)")
    sub.add_argument("--to", dest="date_to", help="YYYY[-MM[-DD]], inclusive")
    sub.add_argument("--site", help="host, e.g. example.com")
    sub.add_argument("--author")
    sub.add_argument("--comments", action="store_true", help="search comments")
    sub.add_argument("--sort", choices=["relevance", "newest", "oldest"], default="relevance")
    sub.add_argument("--limit", type=int, default=10)
    sub.add_argument("--offset", type=int, default=0,
                     help="hits to skip, within the first 10,000 (past them, use --after)")
    sub.add_argument("--after", metavar="CURSOR",
                     help="continue after the page that returned this `next` cursor")
    sub.add_argument("--json", action="store_true")
    sub.add_argument("--elasticsearch", default=None, help="Elasticsearch URL")
    sub = commands.add_parser("extract", help="print a saved page's records as JSON")
    sub.set_defaults(handler=cmd_extract)
    sub.add_argument("file")
    sub.add_argument("--url", help="the page's URL (for canonical URL and ids)")
    sub.add_argument("--timezone", help="IANA zone of the page's local times")
    sub.add_argument("--debug", action="store_true", default=argparse.SUPPRESS)
    sub = command("reprocess", cmd_reprocess, "re-extract archived WARC responses offline")
    sub.add_argument("--run", help="only this raw run")
    sub.add_argument("--site", action="append", metavar="FILE",
                     help="site file of a crawled site, read as `crawl` reads it "
                          "(timezone, language, date order, selectors, query rules); repeat "
                          "for several sites")
    sub = command("runs", cmd_runs, "list run reports")
    sub.add_argument("--json", action="store_true")
    return parser


def _index_options(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--elasticsearch", default=None,
                     help="Elasticsearch URL (default: $ELASTICSEARCH_URL, else embedded)")
    sub.add_argument("--parquet", help="archive location (path or s3:// URI)")


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        result = args.handler(args)
    except UsageError as exc:
        parser.print_usage(sys.stderr)
        err.print(f"pressarchive: error: {exc}", markup=False)
        return 2
    except KeyboardInterrupt:
        err.print("interrupted")
        return 130
    except Exception as exc:
        if args.debug:
            traceback.print_exc()
        reason = " ".join(str(exc).split()) or type(exc).__name__
        err.print(f"pressarchive: {reason}", markup=False, soft_wrap=True)
        return 1
    if result is not None and (args.command == "extract" or getattr(args, "json", False)):
        sys.stdout.write(json.dumps(result, indent=2, ensure_ascii=False, default=str) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
