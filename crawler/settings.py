"""Scrapy settings of pressarchive: polite and safe by default.

Per-site values (delays, limits, user agent) come from the site file and are applied at
`cmdline` priority by `crawler.main`; everything here is the project's default.
"""

BOT_NAME = "pressarchive"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

USER_AGENT = "pressarchive/0.1 (+https://github.com/pressarchive/pressarchive)"
ROBOTSTXT_OBEY = True
ROBOTSTXT_PARSER = "scrapy.robotstxt.ProtegoRobotParser"

# Politeness: one site at a time gets at most a couple of parallel requests, AutoThrottle
# adapts the delay to the server's latency, and the delay floor extension makes
# DOWNLOAD_DELAY (and a robots.txt Crawl-delay) a true minimum gap, jitter included.
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
DOWNLOAD_DELAY_JITTER = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

# Safety bounds.
DOWNLOAD_TIMEOUT = 30
DNS_TIMEOUT = 15
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
DOWNLOAD_FAIL_ON_DATALOSS = True
REDIRECT_MAX_TIMES = 10
METAREFRESH_MAXDELAY = 10
URLLENGTH_LIMIT = 2083
# Depth is bounded by the spider's own limits, which know what a request is for: link hops
# (the site's `max_depth`), sitemap nesting and comment pages per article. Scrapy's
# DEPTH_LIMIT counts every hop alike, so a sitemap -> article -> comment page 2 -> 3 -> ...
# chain would lose an article's last comment pages.
DEPTH_LIMIT = 0
DEPTH_PRIORITY = 1
SCHEDULER_DISK_QUEUE = "scrapy.squeues.PickleFifoDiskQueue"
SCHEDULER_MEMORY_QUEUE = "scrapy.squeues.FifoMemoryQueue"
# http and https only: the other built-in handlers read local files or reach other services.
DOWNLOAD_HANDLERS = {"file": None, "data": None, "ftp": None, "s3": None}
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
MEMUSAGE_LIMIT_MB = 2048

RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]

# Scrapy's caching resolver, which also refuses private addresses when a connection is made.
TWISTED_DNS_RESOLVER = "crawler.middlewares.safety.GuardedResolver"

DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.safety.SafetyMiddleware": 40,
    "crawler.middlewares.traps.TrapGuardMiddleware": 60,
    "crawler.middlewares.robots.PoliteRobotsTxtMiddleware": 100,
    "crawler.middlewares.retry_after.RetryAfterMiddleware": 550,
    "crawler.middlewares.budget.PageBudgetMiddleware": 940,
    "crawler.middlewares.fetch_time.FetchTimeMiddleware": 950,
}
ITEM_PIPELINES = {
    "crawler.pipelines.dedupe.DedupePipeline": 100,
    "crawler.pipelines.raw_zone.RawZonePipeline": 800,
    "crawler.pipelines.crawl_state.CrawlStatePipeline": 900,
}
EXTENSIONS = {
    "scrapy.extensions.telnet.TelnetConsole": None,
    "crawler.extensions.warc.WarcExtension": 500,
    "crawler.extensions.progress.ProgressExtension": 510,
    "crawler.extensions.summary.RunSummaryExtension": 520,
    "crawler.extensions.delay_floor.DelayFloorExtension": 530,
}

# pressarchive's own settings, filled by `crawler.main` from the command line.
PRESSARCHIVE_DATA = None
PRESSARCHIVE_RUN_ID = None
PRESSARCHIVE_SITE_NAME = None
PRESSARCHIVE_SESSION = None
PRESSARCHIVE_PATTERN_CAP = 40
PRESSARCHIVE_PRIVATE_HOSTS = []
PRESSARCHIVE_RETRY_AFTER_MAX = 60
PRESSARCHIVE_MAX_COMMENT_PAGES = 500
PRESSARCHIVE_MAX_PAGES = 0
PRESSARCHIVE_PROGRESS = False
PRESSARCHIVE_DELAY_FLOOR = True

LOG_LEVEL = "INFO"
