"""How the CLI shows search hits and run reports on a terminal."""

from __future__ import annotations

import html
import re
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from archive.search import SearchQuery, SearchResult


def _highlight(snippet: str) -> str:
    """Rich markup for an HTML-encoded snippet whose matches are wrapped in <b>…</b>."""
    marks = {"<b>": "[bold yellow]", "</b>": "[/]"}
    return "".join(marks.get(part) or escape(html.unescape(part))
                   for part in re.split(r"(</?b>)", snippet))


def print_hits(console: Console, query: SearchQuery, result: SearchResult) -> None:
    console.print(f"[bold]{result.total}[/] {query.kind} match", highlight=False)
    for number, hit in enumerate(result.hits, start=query.offset + 1):
        when = hit.published_at.strftime("%Y-%m-%d %H:%M UTC") if hit.published_at else "—"
        who = ", ".join(hit.authors) or "unknown author"
        prefix = "comment on " if hit.kind == "comments" else ""
        console.print(f"\n[bold]{number}. {prefix}{escape(hit.title or '(untitled)')}[/]",
                      highlight=False)
        console.print(f"   {escape(who)} · {when} · {escape(hit.site)}", highlight=False)
        console.print(f"   [link={hit.url}]{escape(hit.url)}[/link]", highlight=False)
        snippet = " ".join(hit.snippet.split())
        if snippet:
            console.print(f"   {_highlight(snippet)}", highlight=False)
    if result.next:
        console.print(f"\nnext page: --after {result.next}", highlight=False, markup=False,
                      soft_wrap=True)


def print_runs(console: Console, reports: list[dict[str, Any]]) -> None:
    """One line per run, then what each crawl could not archive and what to do about it
    (comments hosted by a system without a configured API, ...)."""
    table = Table("sites crawled", "articles", "comments", "quarantined", "indexed")
    table.add_column("run", no_wrap=True)
    for report in reports:
        crawls = {k: v for k, v in report.items() if k.startswith("crawl:")}
        counts = _process_counts(report)
        indexed = [v for k, v in report.items() if k.startswith("index:")]
        table.add_row(
            ", ".join(k.removeprefix("crawl:") for k in crawls) or "—",
            str(counts.get("articles/rows_in", "—")), str(counts.get("comments/rows_in", "—")),
            str(sum(v for k, v in counts.items() if k.startswith("quarantined/"))),
            ", ".join(v.get("backend", "") for v in indexed) or "—", report["run_id"])
    console.print(table)
    for report in reports:
        for key, section in report.items():
            for note in section.get("notes", ()) if isinstance(section, dict) else ():
                console.print(f"{report['run_id']} {key.removeprefix('crawl:')}: {note}",
                              highlight=False, markup=False, soft_wrap=True)


def _process_counts(report: dict[str, Any]) -> dict[str, int]:
    """The run's `process` section, or the sum of its per-site sections (`process:<site>`,
    when the sites were processed one by one)."""
    if "process" in report:
        return report["process"].get("counts", {})
    total: dict[str, int] = {}
    for key, section in report.items():
        if key.startswith("process:"):
            for name, value in section.get("counts", {}).items():
                total[name] = total.get(name, 0) + value
    return total
