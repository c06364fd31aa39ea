"""`crawler.extensions.progress`: the live line shows pages, records, errors and the queue,
from the same counts as the run report."""

from __future__ import annotations

import contextlib
import os
import pty
import re
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from rich.console import Console
from scrapy import Spider
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from archive.layout import DataDir
from crawler.extensions.progress import ProgressExtension, progress_line
from crawler.runner import crawl_command
from sample_site.generate import build_site
from tests.crawl_support import FAST_SETTINGS, RUN_ID, SITE_NAME, served, site_config

STATS = {
    "downloader/response_count": 42, "items/stored/article": 7, "items/stored/comment": 51,
    "retry/count": 3, "failed/ResponseDataLossError": 1,
    "httperror/response_ignored_status_count/503": 1, "spider_exceptions/KeyError": 2,
    "refused/off_domain": 1, "robotstxt/forbidden": 2, "trap/pattern_capped": 4,
}


def test_the_line_counts_pages_records_errors_and_queue() -> None:
    line = progress_line("ledger", STATS, queued=9).plain
    assert line == ("crawl ledger  pages 42  articles 7  comments 51  retried 3  refused 7"
                    "  errors 4  queued 9")


def test_errors_are_red_only_when_there_are_some() -> None:
    assert any("red" in str(span.style) for span in progress_line("s", STATS, 0).spans)
    assert not any("red" in str(span.style) for span in progress_line("s", {}, 0).spans)


def test_the_extension_renders_the_line_on_the_terminal() -> None:
    crawler = get_crawler(Spider, {"PRESSARCHIVE_PROGRESS": True})
    out = StringIO()
    extension = ProgressExtension(crawler, "ledger",
                                  Console(file=out, force_terminal=True, width=120))
    for key, value in STATS.items():
        crawler.stats.set_value(key, value)
    extension.live.start()
    extension.spider_closed(Spider("ledger"))
    assert "pages 42" in out.getvalue() and "comments 51" in out.getvalue()
    assert "queued 0" in out.getvalue()


def test_it_is_off_unless_asked_for() -> None:
    with pytest.raises(NotConfigured):
        ProgressExtension.from_crawler(get_crawler(Spider, {"PRESSARCHIVE_PROGRESS": False}))


@pytest.mark.slow
def test_a_crawl_with_progress_draws_the_line_on_its_terminal(tmp_path: Path) -> None:
    site = build_site("classic", n_articles=1, include_seed_article=False)
    with served(site) as (server, _):
        config = site_config(server.base_url, discovery=["links"], max_depth=0)
        command = crawl_command(config, DataDir.at(tmp_path), RUN_ID, progress=True,
                                settings=FAST_SETTINGS)
        primary, secondary = pty.openpty()
        with subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                              stderr=secondary) as crawl:
            os.close(secondary)
            screen = b""
            with contextlib.suppress(OSError):  # EIO once the crawl has closed its end
                while chunk := os.read(primary, 65536):
                    screen += chunk
            assert crawl.wait(timeout=60) == 0
        os.close(primary)
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", screen.decode("utf-8", "replace"))
    assert f"crawl {SITE_NAME}  pages 0" in text  # drawn when the crawl opens
    # redrawn when it closes: robots.txt, / and the REST index that names the site's zone
    assert f"crawl {SITE_NAME}  pages 3" in text
