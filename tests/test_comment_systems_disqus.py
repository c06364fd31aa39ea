"""`crawler.extraction.comment_systems.disqus`: the `threads/listPosts` requests a Disqus embed
needs (only with an API key), and answers in the API's recorded shape read into comments."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from crawler.extraction.comment_systems import ApiSettings, NotReadable
from crawler.extraction.comment_systems.disqus import DisqusApi, redact
from crawler.extraction.records import CommentEmbed

DISQUS = DisqusApi()
PAGE_URL = "https://news.example/2024/05/06/harbour-plans/#comments"
KEYED = ApiSettings(disqus_api_key="PUBLICKEY", disqus_api_url="http://127.0.0.1:9/api/3.0/")
EMBED = CommentEmbed("disqus", {"shortname": "newsexample", "identifier": "1234 https://x/?p=1"})


def post(pid: str, *, parent: int | None = None, **flags: object) -> dict:
    return {"id": pid, "parent": parent, "thread": "9912", "forum": "newsexample",
            "createdAt": "2024-05-06T08:15:02", "message": "<p>Good <b>news</b></p>",
            "raw_message": "Good news", "author": {"name": "Ann", "username": "ann",
                                                   "isAnonymous": False},
            "isApproved": True, "isDeleted": False, "isSpam": False, "isEdited": False,
            "likes": 2, "dislikes": 0, "points": 2, "depth": 0, **flags}


def answer(*posts: dict, next_cursor: str | None = None) -> dict:
    return {"code": 0, "cursor": {"prev": None, "hasNext": next_cursor is not None,
                                  "next": next_cursor, "hasPrev": False, "total": None,
                                  "id": next_cursor, "more": next_cursor is not None},
            "response": list(posts)}


def query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def test_without_an_api_key_nothing_is_requested() -> None:
    with pytest.raises(NotReadable) as raised:
        DISQUS.first_page(EMBED, PAGE_URL, ApiSettings())
    assert raised.value.reason == "no_api_key"


def test_a_page_that_names_no_forum_takes_the_site_files_or_cannot_be_read() -> None:
    embed = CommentEmbed("disqus", {"identifier": "1234"})
    with pytest.raises(NotReadable) as raised:
        DISQUS.first_page(embed, PAGE_URL, KEYED)
    assert raised.value.reason == "no_forum"
    with_forum = ApiSettings(disqus_api_key="PUBLICKEY", disqus_forum="sitefile")
    assert query(DISQUS.first_page(embed, PAGE_URL, with_forum))["forum"] == ["sitefile"]


def test_the_thread_is_asked_for_by_its_identifier_at_the_configured_api() -> None:
    url = DISQUS.first_page(EMBED, PAGE_URL, KEYED)
    assert url.startswith("http://127.0.0.1:9/api/3.0/threads/listPosts.json?")
    assert query(url) == {"api_key": ["PUBLICKEY"], "forum": ["newsexample"],
                          "thread:ident": ["1234 https://x/?p=1"], "limit": ["100"],
                          "order": ["asc"]}


def test_without_an_identifier_the_thread_is_asked_for_by_its_link() -> None:
    embed = CommentEmbed("disqus", {"shortname": "newsexample"})
    assert query(DISQUS.first_page(embed, PAGE_URL, KEYED))["thread:link"] == [
        "https://news.example/2024/05/06/harbour-plans/"]
    stated = CommentEmbed("disqus", {"shortname": "newsexample", "url": "https://x/y/"})
    assert query(DISQUS.first_page(stated, PAGE_URL, KEYED))["thread:link"] == ["https://x/y/"]


def test_posts_become_comments_with_parents_and_utc_times() -> None:
    read = DISQUS.read(answer(post("501"), post("502", parent=501)), "http://d/?a=1", 200)
    assert [(c.source_id, c.parent_source_id, c.author, c.date, c.text)
            for c in read.comments] == [
        ("501", None, "Ann", "2024-05-06T08:15:02+00:00", "Good news"),
        ("502", "501", "Ann", "2024-05-06T08:15:02+00:00", "Good news")]


def test_deleted_spam_and_unapproved_posts_are_skipped_and_counted() -> None:
    read = DISQUS.read(answer(post("1", isDeleted=True), post("2", isSpam=True),
                              post("3", isApproved=False), post("4")), "http://d/", 200)
    assert [c.source_id for c in read.comments] == ["4"]
    assert read.skipped == {"deleted": 1, "spam": 1, "unapproved": 1}


def test_the_cursor_asks_for_the_next_page() -> None:
    first = DISQUS.first_page(EMBED, PAGE_URL, KEYED)
    read = DISQUS.read(answer(post("1"), next_cursor="1714980000:0:0"), first, 200)
    [second] = read.next_urls
    assert query(second)["cursor"] == ["1714980000:0:0"]
    again = DISQUS.read(answer(post("2"), next_cursor="1714990000:0:0"), second, 200)
    [third] = again.next_urls
    assert query(third)["cursor"] == ["1714990000:0:0"]
    assert DISQUS.read(answer(post("3")), third, 200).next_urls == []


def test_a_thread_disqus_does_not_know_has_no_comments() -> None:
    unknown = {"code": 2, "response": "Invalid argument, 'thread': Unable to find thread"}
    read = DISQUS.read(unknown, "http://d/", 400)
    assert (read.comments, read.error, read.skipped) == ([], None, {"no_thread": 1})


@pytest.mark.parametrize(("payload", "status", "error"), [
    ({"code": 5, "response": "Invalid API key"}, 400, "code_5"),
    ({"code": 13, "response": "You have exceeded your hourly limit"}, 403, "code_13"),
    (None, 502, "http_502"),
])
def test_api_errors_are_errors(payload: object, status: int, error: str) -> None:
    assert DISQUS.read(payload, "http://d/", status).error == error


def test_the_key_is_removed_from_urls_that_are_stored() -> None:
    url = DISQUS.first_page(EMBED, PAGE_URL, KEYED)
    assert "PUBLICKEY" not in redact(url)
    assert query(redact(url))["forum"] == ["newsexample"]
