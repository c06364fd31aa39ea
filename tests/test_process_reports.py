"""Run reports: one section per step, never lost to a concurrent writer."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from archive.layout import DataDir
from archive.process import process
from archive.reports import list_reports, read_report, update_report
from tests.process_support import RunBuilder, at, story

ROOT = Path(__file__).resolve().parent.parent
WRITER = """
import sys
from archive.layout import DataDir
from archive.reports import update_report
data, name = DataDir.at(sys.argv[1]), sys.argv[2]
for n in range(15):
    update_report(data, "R", f"crawl:{name}-{n}", {"pages": n})
"""


def test_the_process_section_counts_every_step_and_times_it(tmp_path: Path) -> None:
    data = DataDir.at(tmp_path)
    RunBuilder("A").crawl(story(1), story(2), fetched=at(10)).write(data)
    update_report(data, "A", "crawl:news", {"pages": 2})
    process(data)
    report = read_report(data, "A")
    assert report["crawl:news"] == {"pages": 2}
    section = report["process"]
    assert set(section["seconds"]) == {"clean", "plan", "dedupe", "store", "total"}
    counts = section["counts"]
    assert (counts["article/in"], counts["comment/in"], counts["articles/new"],
            counts["comments/new"], counts["raw/records"]) == (2, 6, 2, 6, 10)
    assert [r["run_id"] for r in list_reports(data)] == ["A"]


def test_concurrent_writers_never_drop_each_others_sections(tmp_path: Path) -> None:
    data = DataDir.at(tmp_path)
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(data.root), f"site{n}"],
                                cwd=ROOT) for n in range(4)]
    assert [w.wait(timeout=120) for w in writers] == [0] * 4
    report = read_report(data, "R")
    assert {k for k in report if k.startswith("crawl:")} == {
        f"crawl:site{w}-{n}" for w in range(4) for n in range(15)}
