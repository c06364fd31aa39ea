"""A site that cannot be reached at all fails its crawl, so schedulers retry and alert."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from archive.layout import DataDir
from crawler.runner import CrawlError, crawl
from crawler.siteconfig import SiteConfig


def test_a_crawl_that_fetches_no_start_page_fails_with_the_reason(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    site = SiteConfig(name="down", start_urls=[f"http://127.0.0.1:{closed}/"],
                      download_delay=0)
    data = DataDir.at(tmp_path)
    with pytest.raises(CrawlError, match="no start page could be fetched"):
        crawl(site, data, "run1", settings={"RETRY_TIMES": 0, "AUTOTHROTTLE_ENABLED": False})
    assert not (data.job_dir("run1", "down")).exists()
