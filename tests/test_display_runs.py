"""`pressarchive runs`: a line per run, then the notes of its crawls."""

from __future__ import annotations

from rich.console import Console

from archive.display import print_runs

NOTE = ("3 articles with comments hosted by Disqus, not archived: set `disqus_api_key` "
        "in the site file")


def _printed(reports: list[dict]) -> str:
    console = Console(record=True, width=200)
    print_runs(console, reports)
    return console.export_text()


def test_a_crawls_notes_are_printed_under_the_table_with_run_and_site() -> None:
    text = _printed([{"run_id": "2026-12-01", "crawl:ledger": {"notes": [NOTE]},
                      "process": {"counts": {"articles/rows_in": 7}}}])

    assert f"2026-12-01 ledger: {NOTE}" in text


def test_a_run_without_notes_prints_only_its_line() -> None:
    text = _printed([{"run_id": "2026-12-01", "crawl:ledger": {"counts": {}}}])

    assert "ledger:" not in text
    assert "2026-12-01" in text
