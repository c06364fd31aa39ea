"""A minimum gap between requests to a host that AutoThrottle and jitter cannot undercut.

Scrapy's slot delay is a target, not a floor: AutoThrottle lowers it to DOWNLOAD_DELAY after
fast responses, and DOWNLOAD_DELAY_JITTER draws each gap from ±50 % of it, so a "1 s"
delay sends requests 0.5 s apart. The site's `download_delay`, a robots.txt Crawl-delay
and a server's back-off are promises of a *minimum* gap. This extension keeps each
download slot's delay at or above its host's floor, and narrows the slot's jitter so
that no drawn gap falls below it, every time a request reaches the downloader and after
every response (AutoThrottle adjusts the delay on `response_downloaded`; this handler is
connected after it). Middlewares raise a host's floor with `HostFloors.of(crawler)`.
"""

from __future__ import annotations

import weakref
from typing import Any

from scrapy import Request, signals
from scrapy.core.downloader import Slot
from scrapy.core.engine import ExecutionEngine
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

FLOOR_MARGIN = 1.05
_REGISTRY: weakref.WeakKeyDictionary[Crawler, HostFloors] = weakref.WeakKeyDictionary()


def running_engine(crawler: Crawler) -> ExecutionEngine | None:
    """The crawler's engine, or None before the crawl starts (Scrapy raises then)."""
    try:
        return crawler.engine
    except RuntimeError:
        return None


def apply_floor(slot: Slot, floor: float) -> None:
    """Raise the slot's delay to `floor` and narrow its jitter so no gap is shorter.

    The slot spaces requests when it sends them; the server sees them arrive, and a request
    that opens a new connection arrives later than one that reuses a kept-alive one, so
    the floor keeps a small margin (`FLOOR_MARGIN`) to hold as the server measures it.
    """
    if floor <= 0:
        return
    floor *= FLOOR_MARGIN
    slot.delay = max(slot.delay, floor)
    if slot.jitter and slot.delay * (1 - slot.jitter) < floor:
        slot.jitter = max(0.0, 1 - floor / slot.delay)


class HostFloors:
    """The minimum gap per download slot (host) of one crawl."""

    def __init__(self, crawler: Crawler, default: float) -> None:
        self.crawler = crawler
        self.default = default
        self.floors: dict[str, float] = {}
        crawler.signals.connect(self._request_reached, signal=signals.request_reached_downloader)
        crawler.signals.connect(self._response_downloaded, signal=signals.response_downloaded)

    @classmethod
    def of(cls, crawler: Crawler) -> HostFloors:
        """The crawl's floors (created on first use, with DOWNLOAD_DELAY as the default)."""
        if crawler not in _REGISTRY:
            _REGISTRY[crawler] = cls(crawler, crawler.settings.getfloat("DOWNLOAD_DELAY"))
        return _REGISTRY[crawler]

    def floor(self, key: str | None) -> float:
        return max(self.default, self.floors.get(key or "", 0.0))

    def raise_floor(self, request: Request, seconds: float) -> float:
        """Make `seconds` the least gap between requests to the host of `request`."""
        key, slot = self._slot(request)
        if key is None:
            return seconds
        self.floors[key] = max(self.floors.get(key, 0.0), seconds)
        if slot is not None:
            apply_floor(slot, self.floor(key))
        return self.floor(key)

    def slot_key(self, request: Request) -> str | None:
        """The download slot (host) of a request; None before the crawl has started."""
        engine = running_engine(self.crawler)
        return engine.downloader.get_slot_key(request) if engine is not None else None

    def _slot(self, request: Request) -> tuple[str | None, Slot | None]:
        engine = running_engine(self.crawler)
        if engine is None:
            return None, None
        downloader = engine.downloader
        key = downloader.get_slot_key(request)
        return key, downloader.slots.get(key)

    def _request_reached(self, request: Request, spider: Any = None) -> None:
        key, slot = self._slot(request)
        if key is not None and slot is not None:
            apply_floor(slot, self.floor(key))

    def _response_downloaded(self, response: Any, request: Request, spider: Any = None) -> None:
        self._request_reached(request)


class DelayFloorExtension:
    """Switches the floors on for a crawl (`PRESSARCHIVE_DELAY_FLOOR`, on by default)."""

    def __init__(self, floors: HostFloors) -> None:
        self.floors = floors

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DelayFloorExtension:
        if not crawler.settings.getbool("PRESSARCHIVE_DELAY_FLOOR", True):
            raise NotConfigured
        return cls(HostFloors.of(crawler))
