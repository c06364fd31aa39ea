"""JSON-LD comments (`crawler/extraction/comments/json_ld.py`): the article's `comment`
list, replies nested, and never trusted over a fuller list printed on the page."""

from __future__ import annotations

import json
from dataclasses import replace

from crawler.extraction import extract_page
from crawler.extraction.comments import json_ld
from crawler.extraction.document import parse
from tests.wordpress_markup import SITE, Comment, classic_post, thread

URL = f"{SITE}/2021/03/03/harbour-plan/"


def _json_ld(comment: Comment) -> dict:
    return {"@type": "Comment", "@id": f"{URL}#comment-{comment.id}",
            "author": {"@type": "Person", "name": comment.author},
            "dateCreated": comment.datetime, "text": comment.text,
            "comment": [_json_ld(r) for r in comment.replies]}


def _script(comments: list[Comment], total: int | None = None) -> str:
    data = {"@context": "https://schema.org", "@type": "BlogPosting",
            "headline": "Harbour plan splits the council", "commentCount": total,
            "comment": [_json_ld(c) for c in comments]}
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def _with_json_ld(comments: list[Comment], shown: list[Comment]) -> str:
    return classic_post(comments=shown).replace("</head>", _script(comments) + "</head>")


def test_a_partial_json_ld_list_does_not_beat_the_full_html_list() -> None:
    """Yoast and others put the first few comments in JSON-LD; the page shows them all."""
    first_only = [replace(thread()[0], replies=[])]
    page = extract_page(_with_json_ld(first_only, thread()), URL)

    assert [c.source_id for c in page.comments] == ["11", "12", "14", "13"]


def test_json_ld_comments_are_read_when_the_page_prints_none() -> None:
    page = extract_page(_with_json_ld(thread(), []), URL)

    assert [c.author for c in page.comments] == ["Mary Oakes", "Tom Reyes", "Mary Oakes",
                                                 "Ann Lee"]
    assert {c.layout for c in page.comments} == {"json-ld"}


def test_nested_json_ld_comments_are_replies() -> None:
    page = extract_page(_with_json_ld(thread(), []), URL)
    by_source = {c.source_id: c for c in page.comments}

    assert by_source["12"].parent_id == by_source["11"].comment_id
    assert by_source["14"].parent_id == by_source["12"].comment_id


def test_the_id_is_the_trailing_number_of_the_comments_own_id() -> None:
    found = json_ld.read_page(parse(_script(thread()[1:])))

    assert [c.source_id for c in found.comments] == ["13"]


def test_json_ld_text_keeps_its_paragraphs_and_collapses_spaces() -> None:
    comment = Comment(30, "Ann", "2021-03-05T18:30:00+00:00", "", "One\n  line.\n\nTwo.")
    found = json_ld.read_page(parse(_script([comment])))

    assert found.comments[0].text == "One line.\n\nTwo."
