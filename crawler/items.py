"""What the spider yields: raw records for the raw zone, one per article or comment.

Fields mirror `ExtractedArticle.to_dict()` / `ExtractedComment.to_dict()` plus the fetch
context and the provenance of the record (which extractor and page object read it, which
timezone resolved its local times and where that zone came from); the process step turns
them into archive rows. Raw zones written before a field existed lack it: readers take null.
"""

from __future__ import annotations

import scrapy


class ArticleItem(scrapy.Item):
    type = scrapy.Field()
    article_id = scrapy.Field()
    url = scrapy.Field()
    site = scrapy.Field()
    title = scrapy.Field()
    authors = scrapy.Field()
    published_at = scrapy.Field()
    published_raw = scrapy.Field()
    date_flags = scrapy.Field()
    modified_at = scrapy.Field()
    language = scrapy.Field()
    section = scrapy.Field()
    tags = scrapy.Field()
    text = scrapy.Field()
    fetch_url = scrapy.Field()
    fetched_at = scrapy.Field()
    crawl_run_id = scrapy.Field()
    via = scrapy.Field()
    timezone = scrapy.Field()
    timezone_source = scrapy.Field()
    extractor_version = scrapy.Field()
    layout = scrapy.Field()
    comment_system = scrapy.Field()
    """Where the comments live: `page`, `wordpress-rest`, a script-loaded system (`isso`,
    `disqus`, ...), or null when the page shows none."""
    comment_count_stated = scrapy.Field()
    """The page's own "N Comments" figure, when it prints one."""


class CommentItem(scrapy.Item):
    type = scrapy.Field()
    comment_id = scrapy.Field()
    source_id = scrapy.Field()
    article_id = scrapy.Field()
    article_url = scrapy.Field()
    parent_id = scrapy.Field()
    author = scrapy.Field()
    published_at = scrapy.Field()
    published_raw = scrapy.Field()
    date_flags = scrapy.Field()
    text = scrapy.Field()
    page = scrapy.Field()
    page_order = scrapy.Field()
    fetch_url = scrapy.Field()
    fetched_at = scrapy.Field()
    crawl_run_id = scrapy.Field()
    via = scrapy.Field()
    timezone = scrapy.Field()
    timezone_source = scrapy.Field()
    extractor_version = scrapy.Field()
    layout = scrapy.Field()


class ArticleDoneItem(scrapy.Item):
    """Marks an article whose every comment page was read: a resumed run skips it.

    It carries what the next run needs to decide whether to fetch the article again
    (`crawler.state`); the crawl state is updated from it once it is in the raw zone.
    """

    type = scrapy.Field()
    article_id = scrapy.Field()
    url = scrapy.Field()
    crawl_run_id = scrapy.Field()
    published_at = scrapy.Field()
    fetched_at = scrapy.Field()
    etag = scrapy.Field()
    last_modified = scrapy.Field()
