"""`crawler.extensions.delay_floor`: no gap drawn by a slot falls below the host's floor."""

from __future__ import annotations

import random

import pytest
from scrapy import Request, Spider
from scrapy.core.downloader import Slot
from scrapy.utils.test import get_crawler

from crawler.extensions.delay_floor import FLOOR_MARGIN, HostFloors, apply_floor


def drawn_gaps(slot: Slot, n: int = 2000) -> list[float]:
    random.seed(7)
    return [slot.download_delay() for _ in range(n)]


@pytest.mark.parametrize(("delay", "jitter", "floor"), [
    (1.0, 0.5, 1.0),    # Crawl-delay equal to the delay: no jitter below it
    (0.5, 0.5, 1.0),    # AutoThrottle lowered the delay below the Crawl-delay
    (4.0, 0.5, 1.0),    # a slow host: jitter kept, its low end above the floor
    (0.0, 0.5, 0.25),
])
def test_no_gap_is_shorter_than_the_floor(delay: float, jitter: float, floor: float) -> None:
    slot = Slot(concurrency=2, delay=delay, jitter=jitter)
    apply_floor(slot, floor)
    assert min(drawn_gaps(slot)) >= floor


def test_a_floor_of_zero_leaves_the_slot_alone() -> None:
    slot = Slot(concurrency=2, delay=0.7, jitter=0.5)
    apply_floor(slot, 0)
    assert (slot.delay, slot.jitter) == (0.7, 0.5)


def test_a_slow_slot_keeps_its_jitter() -> None:
    slot = Slot(concurrency=2, delay=4.0, jitter=0.5)
    apply_floor(slot, 1.0)
    assert (slot.delay, slot.jitter) == (4.0, 0.5)


def test_the_floor_keeps_a_margin_for_the_way_to_the_server() -> None:
    slot = Slot(concurrency=2, delay=0.0, jitter=0.0)
    apply_floor(slot, 1.0)
    assert slot.delay == pytest.approx(FLOOR_MARGIN)


def test_the_site_delay_is_every_hosts_floor_and_floors_only_rise() -> None:
    crawler = get_crawler(Spider, {"DOWNLOAD_DELAY": 0.5})
    floors = HostFloors.of(crawler)
    assert HostFloors.of(crawler) is floors
    assert floors.floor("site.test") == 0.5
    floors.floors["site.test"] = 2.0
    assert floors.floor("site.test") == 2.0
    assert floors.raise_floor(Request("http://site.test/"), 1.0) == 1.0  # before the crawl
    assert floors.floor("other.test") == 0.5
