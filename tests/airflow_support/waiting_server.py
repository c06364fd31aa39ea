"""Fixture sites that hold their crawl until a condition holds, so two crawls overlap.

Whether two mapped crawl tasks run at once on two Celery workers is what a scale-out test
asks; on a loaded machine one worker can take longer to start its task than a small
site's whole crawl lasts on the other, and the answer would be luck. From its
`from_request`-th request the server waits (at most `timeout` seconds, once) until
`ready()` holds, then serves on: with two workers the crawls overlap whatever the load;
with tasks run one after the other they do not, and the wait ends by its timeout.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

from sample_site.model import Site
from sample_site.response import Response
from sample_site.server import SiteServer
from tests.dags_support.killing_server import CrawlKillingServer


class WaitingServer(SiteServer):
    def __init__(self, site: Site, *, ready: Callable[[], bool], from_request: int = 3,
                 timeout: float = 120, **options: Any) -> None:
        super().__init__(site, **options)
        self.ready = ready
        self.from_request = from_request
        self.timeout = timeout
        self.waited: float | None = None
        """Seconds the crawl was held; None until it was."""
        self._answered = 0
        self._hold = threading.Lock()

    def _dispatch(self, method: str, target: str, headers: Mapping[str, str]) -> Response:
        with self._hold:
            self._answered += 1
            if self._answered >= self.from_request and self.waited is None:
                self.waited = self._wait()
        return super()._dispatch(method, target, headers)

    def _wait(self) -> float:
        started = time.monotonic()
        while not self.ready() and time.monotonic() - started < self.timeout:
            time.sleep(0.2)
        return time.monotonic() - started


class WaitingKillingServer(WaitingServer, CrawlKillingServer):
    """Held until `ready()` like `WaitingServer`, then kills at its `at_request`-th request
    like `CrawlKillingServer`: the kill falls while the other crawl runs."""
