"""Where the crawls run, and the faults of the real-Airflow suites: SIGKILLs in process trees.

A crawl is a `python -m crawler.main ... --site-json {...}` process, a child of the task
process that runs the `crawl` task. Under LocalExecutor the task is a descendant of the
scheduler; under CeleryExecutor of one worker, so a crawl's worker is the component whose
process tree holds it.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass

import psutil


@dataclass(frozen=True)
class Crawl:
    pid: int
    site: str
    """The `name` of the site file."""
    parent: int
    """The task process that started it."""


def crawls_under(root: int) -> list[Crawl]:
    """Every crawl process below the process `root`."""
    try:
        descendants = psutil.Process(root).children(recursive=True)
    except psutil.Error:
        return []
    found = []
    for process in descendants:
        try:
            command = process.cmdline()
            if "crawler.main" in command and "--site-json" in command:
                site = json.loads(command[command.index("--site-json") + 1])["name"]
                found.append(Crawl(process.pid, site, process.ppid()))
        except (psutil.Error, ValueError, KeyError, IndexError):
            continue
    return found


def kill_tree(root: int) -> list[int]:
    """SIGKILL `root` and all its descendants at once, as when their machine dies."""
    try:
        top = psutil.Process(root)
        victims = [top, *top.children(recursive=True)]
    except psutil.Error:
        return []
    for process in victims:
        try:
            process.kill()
        except psutil.Error:
            continue
    psutil.wait_procs(victims, timeout=10)
    return [p.pid for p in victims]


def kill_crawl_task(root: int, site: str) -> list[int]:
    """SIGKILL the task process crawling `site` below `root`, and its crawl process."""
    for crawl in crawls_under(root):
        if crawl.site == site:
            return kill_tree(crawl.parent)
    return []


class Placements:
    """Samples, every `interval` seconds, which component's tree runs which site's crawl."""

    def __init__(self, roots: Mapping[str, int], interval: float = 0.2) -> None:
        self.roots = dict(roots)
        self.interval = interval
        self.samples: list[dict[str, str]] = []
        """Per sample: site -> component, for the crawls running at that moment."""
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def now(self) -> dict[str, str]:
        return {crawl.site: name for name, root in self.roots.items()
                for crawl in crawls_under(root)}

    def worker_of(self, site: str) -> str | None:
        return self.now().get(site)

    def _run(self) -> None:
        while not self._stop.is_set():
            sample = self.now()
            if sample:
                self.samples.append(sample)
            time.sleep(self.interval)

    def __enter__(self) -> Placements:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
