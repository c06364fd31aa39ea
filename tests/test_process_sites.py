"""`process` one raw site at a time, then `dedupe`: the same archive as the single step."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

from archive.duplicates import dedupe, pending_runs
from archive.layout import DataDir
from archive.process import process, process_site
from archive.reports import read_report
from tests.process_support import RunBuilder, at, by_id, snapshot, story, syndicated

ROOT = Path(__file__).resolve().parent.parent
ORIGINAL = story(1, day=2)
COPY = replace(story(2, site="other.example", day=4), text=syndicated(ORIGINAL.text, 2))


def _runs(data: DataDir) -> None:
    """Two raw sites a run; a syndicated copy across sites, within a run and across runs."""
    RunBuilder("A").crawl(ORIGINAL, story(3), fetched=at(10)).write(data, site="news")
    RunBuilder("A").crawl(COPY, story(4, site="other.example"), fetched=at(10)).write(
        data, site="other")
    late = replace(story(5, site="other.example", day=6), text=syndicated(ORIGINAL.text, 5))
    RunBuilder("B").crawl(replace(story(3), title="Story 3, updated"), fetched=at(11)).write(
        data, site="news")
    RunBuilder("B").crawl(late, fetched=at(11)).write(data, site="other")


def test_site_by_site_then_dedupe_gives_the_single_step_archive(tmp_path: Path) -> None:
    single, split = DataDir.at(tmp_path / "single"), DataDir.at(tmp_path / "split")
    for data in (single, split):
        _runs(data)
    process(single, workers=1)
    for site in ("other", "news"):
        process_site(split, site, workers=1)
    dedupe(split)
    assert snapshot(split) == snapshot(single)


def test_the_single_step_stores_copies_marked_without_a_second_write(tmp_path: Path) -> None:
    data = DataDir.at(tmp_path)
    _runs(data)
    [first, _] = process(data, workers=1)
    assert by_id(data, "articles")[COPY.article_id]["duplicate_of"] == ORIGINAL.article_id
    assert first["counts"]["articles/duplicates_near"] == 1
    # every partition written was written by a site: the dedupe step rewrote none
    assert first["partitions_written"] == first["counts"]["partitions/written"]


def test_copies_across_sites_are_marked_by_the_dedupe_step(tmp_path: Path) -> None:
    data = DataDir.at(tmp_path)
    _runs(data)
    process_site(data, "news", workers=1)
    process_site(data, "other", workers=1)
    assert by_id(data, "articles")[COPY.article_id]["duplicate_of"] is None
    assert pending_runs(data) == ["A", "B"]
    [first] = dedupe(data, runs=["A"])
    assert by_id(data, "articles")[COPY.article_id]["duplicate_of"] == ORIGINAL.article_id
    assert first["counts"]["articles/duplicates_near"] == 1
    assert pending_runs(data) == ["B"]
    assert [r["run_id"] for r in dedupe(data)] == ["B"]
    assert pending_runs(data) == [] and dedupe(data) == []
    report = read_report(data, "A")
    assert {"process:news", "process:other", "dedupe"} <= report.keys()


def test_a_site_is_processed_once_until_its_raw_records_change(tmp_path: Path) -> None:
    data = DataDir.at(tmp_path)
    _runs(data)
    assert len(process_site(data, "news", workers=1)) == 2
    assert process_site(data, "news", workers=1) == []
    assert [r["run_id"] for r in process(data, workers=1)] == ["A", "B"]  # only `other` left


def test_the_command_line_processes_a_site_then_deduplicates(tmp_path: Path) -> None:
    data, reference = DataDir.at(tmp_path / "cli"), DataDir.at(tmp_path / "reference")
    for target in (data, reference):
        _runs(target)
    process(reference, workers=1)
    for args in (["process", "--site", "news"], ["process", "--site", "other"], ["dedupe"]):
        done = subprocess.run([sys.executable, "-m", "archive.cli", *args, "--data",
                               str(data.root)], cwd=ROOT, capture_output=True, text=True,
                              timeout=300)
        assert done.returncode == 0, done.stderr
    assert snapshot(data) == snapshot(reference)
