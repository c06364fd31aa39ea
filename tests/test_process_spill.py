"""Big runs: rows set aside on disk, cleaned in threads or read in many chunks give the same
archive."""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from pathlib import Path

import pytest

import archive.ingest as ingest_module
import archive.spill as spill_module
from archive.layout import DataDir
from archive.process import process
from archive.read import chunks
from tests.process_support import RunBuilder, at, snapshot, story, syndicated


def _runs(data: DataDir) -> None:
    stories = [story(n, day=1 + n % 27, month=1 + n % 4, comments=n % 5) for n in range(40)]
    copy = replace(story(99, site="other.example"), text=syndicated(stories[3].text, 99))
    RunBuilder("A").crawl(*stories[:30], copy, fetched=at(1, month=6)).write(data)
    moved = replace(stories[5], published=at(2, 9, month=5))
    RunBuilder("B").crawl(*stories[20:], moved, stories[5], fetched=at(2, month=6)).write(data)


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> dict:
    data = DataDir.at(tmp_path_factory.mktemp("reference"))
    _runs(data)
    process(data, workers=1)
    return snapshot(data)


def test_a_run_spilled_to_disk_gives_the_same_archive(
        tmp_path: Path, reference: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(spill_module, "SPILL_BUDGET_BYTES", 1)  # every table to disk
    files: list[Path] = []
    real_flush = spill_module.Spill.flush

    def counting_flush(spill: spill_module.Spill) -> None:
        real_flush(spill)
        files.extend(spill.directory.rglob("*.arrow"))

    monkeypatch.setattr(spill_module.Spill, "flush", counting_flush)
    data = DataDir.at(tmp_path)
    _runs(data)
    process(data, workers=1)
    assert len(set(files)) > 10  # every partition of both runs went to disk
    assert snapshot(data) == reference
    assert not (data.state / "process-spill").exists() or not any(
        (data.state / "process-spill").rglob("*.arrow"))


def test_cleaning_in_two_threads_gives_the_same_archive(
        tmp_path: Path, reference: dict) -> None:
    data = DataDir.at(tmp_path)
    _runs(data)
    process(data, workers=2)
    assert snapshot(data) == reference


def test_comments_read_in_another_chunk_than_their_article_give_the_same_archive(
        tmp_path: Path, reference: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    # chunks of a few lines: an article's comments and its other versions come apart
    monkeypatch.setattr(ingest_module, "chunks", partial(chunks, size=4096))
    data = DataDir.at(tmp_path)
    _runs(data)
    process(data, workers=1)
    assert snapshot(data) == reference
