"""`process` never alters the characters of already-plain text (issue 9, item 4)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from archive.layout import DataDir
from archive.process import process
from tests.process_support import Comment, RunBuilder, at, by_id, story

ARTICLE_TEXT = ("Compare x<y and y>z: the query string was ?a=1&section=news.\n\n"
                "She wrote &amp; in her code, and &lt;b&gt; for bold; R&D loves <3.")
COMMENT_TEXT = "I typed &amp; literally, and <b> is not markup here: a < b > c."
TITLE = "Q&A: <why> & &quot;how&quot;"


def test_markup_like_and_entity_like_text_survives_process_unchanged(
        tmp_path: Path) -> None:
    data = DataDir.at(tmp_path)
    base = story(1, comments=0)
    remark = Comment("101", "R&D <team>", COMMENT_TEXT, at(6))
    item = replace(base, text=ARTICLE_TEXT, title=TITLE).with_comments(remark)
    RunBuilder("A").crawl(item, fetched=at(10)).write(data)
    process(data)
    article = by_id(data, "articles")[item.article_id]
    comment = by_id(data, "comments")[item.comment_id(remark)]
    assert (article["text"], article["title"]) == (ARTICLE_TEXT, TITLE)
    assert (comment["text"], comment["author"], comment["article_title"]) == (
        COMMENT_TEXT, "R&D <team>", TITLE)
