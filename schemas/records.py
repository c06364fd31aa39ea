"""The record schemas of the archive: the single source of truth.

`ARTICLE` and `COMMENT` define every column of `parquet/articles` and `parquet/comments`.
The Arrow schemas (`schemas.arrow`), the search mappings and the documentation in
`schemas/README.md` are derived from them; a test fails when any of them drifts.
"""

from __future__ import annotations

from schemas.fields import Entity, Field, Kind

_SEEN = (
    Field("first_seen_at", Kind.TIMESTAMP, "UTC fetch time of the first crawl that saw it.", False),
    Field("last_seen_at", Kind.TIMESTAMP, "UTC fetch time of the latest crawl that saw it.", False),
    Field("fetched_at", Kind.TIMESTAMP, "UTC fetch time of the version stored in this row.", False),
    Field("crawl_run_id", Kind.KEYWORD, "Crawl run that produced the stored version.", False),
)

_DATES = (
    Field("published_raw", Kind.KEYWORD, "The date as the page wrote it, kept when unparsable."),
    Field(
        "date_flags",
        Kind.KEYWORDS,
        "Why `published_at` deserves a second look: unparsed_date, future_date, "
        "too_old, ambiguous_local_time, nonexistent_local_time, relative_date, guessed_timezone.",
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
        Field("article_id", Kind.ID, "Stable hash of the canonical URL.", False),
        Field("url", Kind.URL, "Canonical URL.", False),
        Field("site", Kind.KEYWORD, "Host of the canonical URL, without `www.`.", False),
        Field("title", Kind.TEXT, "Headline."),
        Field("authors", Kind.KEYWORDS, "Bylines, in page order."),
        Field("published_at", Kind.TIMESTAMP, "Publication time, UTC."),
        *_DATES,
        Field("modified_at", Kind.TIMESTAMP, "Last modification time the site states, UTC."),
        Field("language", Kind.KEYWORD, "ISO 639-1 code, detected from the text when not stated."),
        Field("section", Kind.KEYWORD, "Site section or category."),
        Field("tags", Kind.KEYWORDS, "Tags or keywords the site assigns."),
        Field("text", Kind.TEXT, "Main text without boilerplate; a blank line between paragraphs."),
        Field("word_count", Kind.INT, "Words in `text`.", False),
        Field("comment_count", Kind.INT, "Comments archived for this article.", False),
        Field("content_hash", Kind.ID, "SHA-256 of the normalised text.", False),
        Field("duplicate_of", Kind.ID, "`article_id` of the original when this is a copy."),
        Field("duplicate_kind", Kind.KEYWORD, "`exact` or `near` when `duplicate_of` is set."),
        *_SEEN,
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
              "else a hash of the article, author and time as written.", False),
        Field("source_id", Kind.KEYWORD, "The site's own comment id, when it has one."),
        Field("article_id", Kind.ID, "The article the comment belongs to.", False),
        Field("parent_id", Kind.ID, "`comment_id` of the comment this one replies to."),
        Field("author", Kind.KEYWORD, "Display name of the commenter."),
        Field("published_at", Kind.TIMESTAMP, "Time of the comment, UTC."),
        *_DATES,
        Field("text", Kind.TEXT, "Comment text, paragraphs separated by a blank line."),
        Field("position", Kind.INT, "1-based order of the comment on its article.", False),
        Field("language", Kind.KEYWORD, "ISO 639-1 code detected from the text."),
        Field("word_count", Kind.INT, "Words in `text`.", False),
        Field("content_hash", Kind.ID, "SHA-256 of the normalised text.", False),
        Field("edited", Kind.BOOL, "True once a later crawl saw a different text.", False),
        Field("site", Kind.KEYWORD, "The article's site.", False),
        Field("article_title", Kind.TEXT, "The article's title, denormalised for search."),
        Field("article_url", Kind.URL, "The article's canonical URL.", False),
        *_SEEN,
        _COMMENT_MONTH,
    ),
)

ENTITIES: dict[str, Entity] = {e.name: e for e in (ARTICLE, COMMENT)}
