"""What a crawl process imports, loaded once in the fork server of `tests.crawl_support`.

Importing these installs no Twisted reactor: each forked crawl installs its own.
"""

import importlib

MODULES = (
    "scrapy.crawler",
    "scrapy.core.downloader.handlers.http11",
    "crawler.main",
    "crawler.spiders.site",
    "crawler.extensions.delay_floor",
    "crawler.extensions.progress",
    "crawler.extensions.summary",
    "crawler.extensions.warc",
    "crawler.middlewares.budget",
    "crawler.middlewares.fetch_time",
    "crawler.middlewares.retry_after",
    "crawler.middlewares.robots",
    "crawler.middlewares.safety",
    "crawler.middlewares.traps",
    "crawler.pipelines.crawl_state",
    "crawler.pipelines.dedupe",
    "crawler.pipelines.raw_zone",
)
for name in MODULES:
    importlib.import_module(name)
