"""A fixture site that kills the crawl process crawling it, once, in the middle of the crawl.

The fault is the worker dying under a task (OOM kill, node preemption): at the N-th
request the server SIGKILLs the `crawler.main` process that writes into the given data
directory (or runs the given `kill`), then keeps serving. Only descendants of the test
process are candidates, so nothing else on the machine can be hit.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from pathlib import Path

import psutil

from sample_site.model import Site
from sample_site.response import Response
from sample_site.server import SiteServer


class CrawlKillingServer(SiteServer):
    def __init__(self, site: Site, data: Path | None = None, *, at_request: int,
                 kill: Callable[[], list[int]] | None = None) -> None:
        super().__init__(site)
        self.data = str(data.resolve()) if data else ""
        self.at_request = at_request
        self._kill = kill or self._kill_crawl
        self.killed: list[int] = []
        self._count = 0
        self._lock = threading.Lock()

    def _dispatch(self, method: str, target: str, headers: Mapping[str, str]) -> Response:
        with self._lock:
            self._count += 1
            fire = self._count >= self.at_request and not self.killed
            if fire:
                self.killed.extend(self._kill())
        return super()._dispatch(method, target, headers)

    def _kill_crawl(self) -> list[int]:
        killed = []
        for process in psutil.Process().children(recursive=True):
            try:
                command = process.cmdline()
            except psutil.Error:
                continue
            if "crawler.main" in command and self.data in command:
                process.kill()
                process.wait(timeout=10)
                killed.append(process.pid)
        return killed
