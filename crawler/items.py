"""What the spider yields: raw records for the raw zone, one per article or comment.

The fields are those of the record contract (`schemas.records.RAW_ARTICLE`, `RAW_COMMENT`,
`RAW_DONE`): `ExtractedArticle.to_dict()` / `ExtractedComment.to_dict()` plus the fetch
context and the provenance of the record (which extractor and page object read it, which
timezone resolved its local times and where that zone came from). A field is added there,
never here; the process step turns the records into archive rows. Raw zones written before
a field existed lack it: readers take null.
"""

from __future__ import annotations

from typing import Any

import scrapy

from schemas.fields import RawRecord
from schemas.records import RAW_ARTICLE, RAW_COMMENT, RAW_DONE, RAW_PAGE


def _item_class(name: str, record: RawRecord, doc: str) -> Any:
    namespace: dict[str, Any] = {"__doc__": doc, "__module__": __name__}
    namespace.update({f.name: scrapy.Field(description=f.description) for f in record.fields})
    return type(scrapy.Item)(name, (scrapy.Item,), namespace)


ArticleItem = _item_class("ArticleItem", RAW_ARTICLE, RAW_ARTICLE.description)
CommentItem = _item_class("CommentItem", RAW_COMMENT, RAW_COMMENT.description)
ArticleDoneItem = _item_class(
    "ArticleDoneItem", RAW_DONE,
    "Marks an article whose every comment page was read: a resumed run skips it, and "
    "`process` takes it as a complete read of the article's comments.\n\nIt carries what the "
    "next run needs to decide whether to fetch the article again (`crawler.state`); the crawl "
    "state is updated from it once it is in the raw zone.")
PageReadItem = _item_class(
    "PageReadItem", RAW_PAGE,
    "One page of an article read completely: its comments went to the raw zone before it. "
    "With the pages it led to (`next`), the records of a run tell which pages of each "
    "article are still to be read, so a run resumed after a kill asks for exactly those. "
    "They go to the raw zone's `pages-*.jsonl`, beside the items.")
