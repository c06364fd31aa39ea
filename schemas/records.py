"""The record contract of the archive: the single source of truth.

`ARTICLE` and `COMMENT` define every column of `parquet/articles` and `parquet/comments`;
`RAW_ARTICLE`, `RAW_COMMENT` and `RAW_DONE` the lines the crawler writes to the raw zone
(`crawler.items` builds its Scrapy items from them). A column marked `raw=` is carried by
the raw record under the same name and copied by `process` as its `Clean` rule says; the
others are computed by `process`. The Arrow schemas (`schemas.arrow`), the search mappings
(`schemas.elasticsearch`) and the tables of `schemas/README.md` are derived from these
definitions; tests fail when any of them drifts.
"""

from __future__ import annotations

from schemas.fields import Clean, Entity, Field, Kind, RawRecord

_SEEN = (
    Field("first_seen_at", Kind.TIMESTAMP, "UTC fetch time of the first crawl that saw it.", False),
    Field("last_seen_at", Kind.TIMESTAMP, "UTC fetch time of the latest crawl that saw it.", False),
    Field("fetched_at", Kind.TIMESTAMP, "UTC fetch time of the version stored in this row.", False,
          raw=Clean.UTC),
    Field("crawl_run_id", Kind.KEYWORD, "Crawl run that produced the stored version.", False,
          raw=Clean.COPY),
)

_PROVENANCE = (
    Field("extractor_version", Kind.KEYWORD,
          "Version of the extractor that read the stored version (null in raw zones written "
          "before it was recorded).", raw=Clean.COPY),
    Field("layout", Kind.KEYWORD,
          "Which page object read it: `wordpress-block`, `wordpress-classic`, `json-ld`, "
          "`microdata`, `generic`, `wordpress-rest`, `isso-api`, ...", raw=Clean.COPY),
    Field("timezone", Kind.KEYWORD, "IANA zone the page's local times were read in.",
          raw=Clean.COPY),
    Field("timezone_source", Kind.KEYWORD,
          "Where that zone came from: `site_file`, `wordpress_settings`, `page_evidence`, "
          "`default_utc`.", raw=Clean.COPY),
)

_DATES = (
    Field("published_raw", Kind.KEYWORD, "The date as the page wrote it, kept when unparsable.",
          raw=Clean.COPY),
    Field(
        "date_flags",
        Kind.KEYWORDS,
        "Why `published_at` deserves a second look: unparsed_date, future_date, "
        "too_old, ambiguous_local_time, nonexistent_local_time, relative_date, guessed_timezone, "
        "offset_only_timezone, date_order_conflict.",
        raw=Clean.COPY,
    ),
)

_ARTICLE_MONTH = Field(
    "month", Kind.KEYWORD, "Partition: year-month of `published_at` (UTC), or `unknown`.", False
)
_COMMENT_MONTH = Field(
    "month", Kind.KEYWORD,
    "Partition: the article's `month`, so that an article and its comments share a partition.",
    False,
)

ARTICLE = Entity(
    name="articles",
    version=1,
    primary_key="article_id",
    time_field="published_at",
    description="One row per article (canonical URL); the newest crawled version wins.",
    fields=(
        Field("article_id", Kind.ID, "Stable hash of the canonical URL.", False, raw=Clean.COPY),
        Field("url", Kind.URL, "Canonical URL.", False, raw=Clean.COPY),
        Field("site", Kind.KEYWORD, "Host of the canonical URL, without `www.`.", False,
              raw=Clean.COPY),
        Field("title", Kind.TEXT, "Headline.", raw=Clean.LINE),
        Field("authors", Kind.KEYWORDS, "Bylines, in page order.", raw=Clean.LINES),
        Field("published_at", Kind.TIMESTAMP, "Publication time, UTC.", raw=Clean.UTC),
        *_DATES,
        Field("modified_at", Kind.TIMESTAMP, "Last modification time the site states, UTC.",
              raw=Clean.UTC),
        Field("language", Kind.KEYWORD, "ISO 639-1 code, detected from the text when not stated."),
        Field("section", Kind.KEYWORD, "Site section or category.", raw=Clean.LINE),
        Field("tags", Kind.KEYWORDS, "Tags or keywords the site assigns.", raw=Clean.LINES),
        Field("text", Kind.TEXT, "Main text without boilerplate; a blank line between paragraphs.",
              raw=Clean.PARAGRAPHS),
        Field("word_count", Kind.INT, "Words in `text`.", False),
        Field("comment_count", Kind.INT, "Comments archived for this article.", False),
        Field("comment_count_stated", Kind.INT,
              "The page's own comment count (\"12 Comments\"), when it prints one.",
              raw=Clean.COPY),
        Field("comment_system", Kind.KEYWORD,
              "Where the comments live: `page`, `wordpress-rest`, or a system loaded by script "
              "(`isso`, `disqus`, `coral`, `commento`, `remark42`, `hyvor`, `facebook`, "
              "`discourse`, `giscus`, `utterances`, `vuukle`, `openweb`, `viafoura`, `livefyre`, "
              "`intensedebate`, `jskit`); null when the page shows none.", raw=Clean.COPY),
        Field("content_hash", Kind.ID, "SHA-256 of the normalised text.", False),
        Field("duplicate_of", Kind.ID, "`article_id` of the original when this is a copy."),
        Field("duplicate_kind", Kind.KEYWORD, "`exact` or `near` when `duplicate_of` is set."),
        *_SEEN,
        *_PROVENANCE,
        _ARTICLE_MONTH,
    ),
)

COMMENT = Entity(
    name="comments",
    version=1,
    primary_key="comment_id",
    time_field="published_at",
    description="One row per reader comment; an edited comment keeps its id and row.",
    fields=(
        Field("comment_id", Kind.ID, "Stable id: the article id plus the site's own comment id, "
              "else a hash of the article, the author and the normalised text (never of a "
              "time as written, nor of a position).", False, raw=Clean.COPY),
        Field("source_id", Kind.KEYWORD, "The site's own comment id, when it has one.",
              raw=Clean.COPY),
        Field("article_id", Kind.ID, "The article the comment belongs to.", False,
              raw=Clean.COPY),
        Field("parent_id", Kind.ID, "`comment_id` of the comment this one replies to.",
              raw=Clean.COPY),
        Field("author", Kind.KEYWORD, "Display name of the commenter.", raw=Clean.LINE),
        Field("published_at", Kind.TIMESTAMP, "Time of the comment, UTC.", raw=Clean.UTC),
        *_DATES,
        Field("text", Kind.TEXT, "Comment text, paragraphs separated by a blank line.",
              raw=Clean.PARAGRAPHS),
        Field("position", Kind.INT, "1-based order of the comment on its article.", False),
        Field("language", Kind.KEYWORD, "ISO 639-1 code detected from the text."),
        Field("word_count", Kind.INT, "Words in `text`.", False),
        Field("content_hash", Kind.ID, "SHA-256 of the normalised text.", False),
        Field("edited", Kind.BOOL, "True once a later crawl saw a different text.", False),
        Field("edit_count", Kind.INT,
              "How many times a later crawl found a text different from the one before it.",
              False),
        Field("removed_at", Kind.TIMESTAMP,
              "UTC fetch time of the first complete read of the article's comments that no "
              "longer had it; null while it is on the page (cleared when it comes back)."),
        Field("site", Kind.KEYWORD, "The article's site.", False),
        Field("article_title", Kind.TEXT, "The article's title, denormalised for search."),
        Field("article_url", Kind.URL, "The article's canonical URL.", False, raw=Clean.COPY),
        *_SEEN,
        *_PROVENANCE,
        _COMMENT_MONTH,
    ),
)

ENTITIES: dict[str, Entity] = {e.name: e for e in (ARTICLE, COMMENT)}

# --- the raw zone ----------------------------------------------------------------------

_TYPE = Field("type", Kind.KEYWORD, "`article`, `comment`, `done` or `page`.", False)
_FETCH = (
    Field("fetch_url", Kind.URL, "The URL fetched (before canonicalisation)."),
    Field("via", Kind.KEYWORD, "Discovery path that delivered it: `page`, `html`, `rest`, ..."),
)
_DECLARED_LANGUAGE = Field("language", Kind.KEYWORD,
                           "The language the page declares (the archive detects its own).")


def _raw_fields(entity: Entity) -> tuple[Field, ...]:
    return tuple(f for f in entity.fields if f.raw is not None)


RAW_ARTICLE = RawRecord(
    name="article",
    description="An article as extracted from one fetch.",
    fields=(_TYPE, *_raw_fields(ARTICLE), _DECLARED_LANGUAGE, *_FETCH),
)
RAW_COMMENT = RawRecord(
    name="comment",
    description="A comment as extracted from one fetch of its article or comment page.",
    fields=(_TYPE, *_raw_fields(COMMENT), *_FETCH,
            Field("page", Kind.INT, "Comment page it was read on (1 = the article page)."),
            Field("page_order", Kind.INT, "Its order on that page.")),
)
RAW_DONE = RawRecord(
    name="done",
    description="Every comment page of the article was read in this run: a complete read.",
    fields=(_TYPE, ARTICLE.field("article_id"), ARTICLE.field("url"),
            ARTICLE.field("crawl_run_id"),
            Field("published_at", Kind.TIMESTAMP, "The article's publication time, as an ISO "
                  "string."),
            Field("fetched_at", Kind.TIMESTAMP, "When the article page of this read was fetched."),
            Field("etag", Kind.KEYWORD, "The article page's ETag, for the next run's request."),
            Field("last_modified", Kind.KEYWORD, "Its Last-Modified header."),
            Field("comment_pages", Kind.KEYWORDS, "The article's other HTML comment pages "
                  "read, read again by the next run when the article page answers 304.")),
)
RAW_PAGE = RawRecord(
    name="page",
    description="The crawl's progress, in `pages-*.jsonl` beside the items (not read by "
                "`process`): one page of an article read completely, after its comments.",
    fields=(_TYPE, ARTICLE.field("article_id"), ARTICLE.field("crawl_run_id"),
            Field("url", Kind.URL, "The page read: the article page, a comment page, a REST "
                  "comment page (for a REST post, the post's URL)."),
            Field("next", Kind.KEYWORDS, "The pages it led to, not known before: requested."),
            Field("next_how", Kind.KEYWORDS, "How each of `next` is requested: `html`, `rest` "
                  "or `embed:<system>:<page>` (a comment system's API)."),
            Field("fetched_at", Kind.TIMESTAMP, "When it was fetched (null for REST pages)."),
            Field("etag", Kind.KEYWORD, "The article page's ETag."),
            Field("last_modified", Kind.KEYWORD, "Its Last-Modified header.")),
)
RAW_RECORDS: dict[str, RawRecord] = {
    r.name: r for r in (RAW_ARTICLE, RAW_COMMENT, RAW_DONE, RAW_PAGE)}
