"""`process` killed mid-write, and two `process` invocations at once."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pyarrow.dataset as ds
import pytest

from archive.layout import DataDir
from archive.process import process
from tests.process_support import RunBuilder, at, body, snapshot, story

ROOT = Path(__file__).resolve().parent.parent

# Runs `process` in a child that SIGKILLs itself in the middle of its K-th partition
# file: the staged file is written, cut in half, and the process dies before the rename.
DYING_PROCESS = """
import os, signal, sys
import archive.store as store
from archive.layout import DataDir
from archive.process import process

data, kill_after = DataDir.at(sys.argv[1]), int(sys.argv[2])
real_write, calls = store.pq.write_table, []

def dying_write(table, where, **kwargs):
    calls.append(where)
    real_write(table, where, **kwargs)
    if len(calls) >= kill_after:  # partitions are written two at a time
        os.truncate(where, os.path.getsize(where) // 2)
        os.kill(os.getpid(), signal.SIGKILL)

store.pq.write_table = dying_write
process(data, workers=1)
"""

# Runs `process` on the given runs, logging when each run starts and ends; with a delay,
# it holds the lease that long before its first run.
LOGGING_PROCESS = """
import json, sys, time
import archive.process as p
from archive.layout import DataDir

data, name, delay, runs = DataDir.at(sys.argv[1]), sys.argv[2], float(sys.argv[3]), sys.argv[4:]
real_run = p.process_run

def logged_run(*args, **kwargs):
    with open(data.root / "order.log", "a") as log:
        log.write(json.dumps([name, "start", time.time()]) + "\\n")
    time.sleep(delay)
    result = real_run(*args, **kwargs)
    with open(data.root / "order.log", "a") as log:
        log.write(json.dumps([name, "end", time.time()]) + "\\n")
    return result

p.process_run = logged_run
p.process(data, runs=runs)
"""


def _child(script: str, *args: object) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", script, *map(str, args)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _two_runs(data: DataDir) -> None:
    """Run A over three months; run B updates every story, redates one, adds two."""
    stories = [story(n, day=n + 1, month=1 + n % 3) for n in range(1, 7)]
    RunBuilder("A").crawl(*stories, fetched=at(20, month=4)).write(data)
    changed = [replace(s, title=f"{s.title} (updated)", text=body(f"v2/{s.url}"))
               for s in stories]
    changed[0] = replace(changed[0], published=at(3, 9, month=1))  # February to January
    later = [story(n, day=n, month=3) for n in (7, 8)]
    RunBuilder("B").crawl(*changed, *later, fetched=at(21, month=4)).write(data)


@pytest.mark.parametrize("kill_after", [1, 4, 6])  # 6 files: 3 partitions, 2 entities
def test_process_killed_mid_write_leaves_a_readable_complete_archive_and_a_rerun_finishes(
        tmp_path: Path, kill_after: int) -> None:
    data, reference = DataDir.at(tmp_path / "data"), DataDir.at(tmp_path / "reference")
    for target in (data, reference):
        _two_runs(target)
    process(data, runs=["A"])
    before = snapshot(data)
    process(reference)

    child = _child(DYING_PROCESS, data.root, kill_after)
    assert child.wait(timeout=120) == -signal.SIGKILL, child.stderr.read()
    staged = list((data.parquet).rglob("_staging/*.parquet"))
    assert staged, "the child should have died with a staged file in place"

    # Readers see a complete archive: every partition old or new, every article of run A.
    for entity in ("articles", "comments"):
        ds.dataset(data.parquet / entity, format="parquet", partitioning="hive").to_table()
    during = snapshot(data)
    assert {r["article_id"] for r in during["articles"]} >= {
        r["article_id"] for r in before["articles"]}
    assert {r["comment_id"] for r in during["comments"]} >= {
        r["comment_id"] for r in before["comments"]}
    assert not (data.state / "processed" / "B.json").exists()

    process(data)
    assert snapshot(data) == snapshot(reference)
    assert not list(data.parquet.rglob("_staging/*.parquet"))


def test_an_overlapping_process_waits_for_the_lease(tmp_path: Path) -> None:
    data = DataDir.at(tmp_path)
    _two_runs(data)
    first = _child(LOGGING_PROCESS, data.root, "first", 1.5, "A")
    lock = data.state / "process.lock"
    deadline = time.monotonic() + 60
    while not (lock.exists() and lock.read_text().strip() == str(first.pid)):
        assert time.monotonic() < deadline and first.poll() is None, first.stderr.read()
        time.sleep(0.05)
    second = _child(LOGGING_PROCESS, data.root, "second", 0, "B")
    assert first.wait(timeout=120) == 0, first.stderr.read()
    assert second.wait(timeout=120) == 0, second.stderr.read()

    log = [json.loads(line) for line in (data.root / "order.log").read_text().splitlines()]
    assert [(name, event) for name, event, _ in log] == [
        ("first", "start"), ("first", "end"), ("second", "start"), ("second", "end")]
    reference = DataDir.at(tmp_path / "reference")
    _two_runs(reference)
    process(reference)
    assert snapshot(data) == snapshot(reference)
