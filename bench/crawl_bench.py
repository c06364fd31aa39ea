"""(c) Crawl throughput against a local fixture site with politeness off.

A generated classic-theme site with `ARTICLES` articles (comments, listings, sitemaps,
feed; the REST API on or off) is served on 127.0.0.1; `crawler.runner.crawl` crawls it
with AutoThrottle and delays off and 16 concurrent requests, robots.txt still obeyed.
Pages per second count every response Scrapy received, over the crawl's own duration
(from the engine's start to the spider's close); the wall time adds the process start.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any

from archive.layout import DataDir
from archive.reports import read_report
from crawler.runner import crawl
from crawler.siteconfig import SiteConfig
from sample_site.generate import build_site
from sample_site.server import SiteServer

SETTINGS = {"AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY": 0, "CONCURRENT_REQUESTS": 16,
            "CONCURRENT_REQUESTS_PER_DOMAIN": 16, "ROBOTSTXT_OBEY": True}


def _one(articles: int, rest_api: bool, workdir: Path) -> dict[str, Any]:
    site = build_site("classic", n_articles=articles, seed=5, include_seed_article=False,
                      rest_api=rest_api)
    data = DataDir.at(workdir / f"crawl-{articles}-{'rest' if rest_api else 'html'}")
    shutil.rmtree(data.root, ignore_errors=True)
    with SiteServer(site) as server:
        config = SiteConfig(name="bench", start_urls=[f"{server.base_url}/"],
                            download_delay=0, concurrency=16, max_pages=100_000,
                            max_depth=20, pattern_cap=100_000, recrawl_days=0)
        mark = time.monotonic()
        result = crawl(config, data, "bench", settings=SETTINGS)
        wall = time.monotonic() - mark
        served = len(server.requests)
    section = read_report(data, "bench")["crawl:bench"]
    responses = int(section["stats"].get("downloader/response_count", 0))
    seconds = section["seconds"]
    return {"articles_on_site": articles, "comments_on_site": sum(
        len(a.comments) for a in site.all_articles),
        "responses": responses, "requests_served": served,
        "articles": result.counts.get("articles", 0),
        "comments": result.counts.get("comments", 0),
        "crawl_seconds": seconds, "wall_seconds": round(wall, 2),
        "pages_per_second": round(responses / seconds, 1),
        "articles_per_second": round(result.counts.get("articles", 0) / seconds, 1),
        "finish_reason": result.finish_reason}


def measure(articles: int, workdir: Path) -> dict[str, Any]:
    return {"articles": articles, "settings": SETTINGS,
            "modes": {str(mode): _one(articles, mode, workdir) for mode in (False, True)}}
