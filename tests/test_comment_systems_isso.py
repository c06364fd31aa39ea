"""`crawler.extraction.comment_systems.isso`: the thread request an Isso embed needs, and its
answers (in the shape Isso 0.14 gives them) read into comments."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from crawler.extraction.comment_systems import ApiSettings, NotReadable
from crawler.extraction.comment_systems.isso import PAGE_SIZE, IssoApi
from crawler.extraction.records import CommentEmbed

ISSO = IssoApi()
PAGE_URL = "https://news.example/2024/05/06/harbour-plans/?utm_source=feed"
HOST = "https://comments.news.example/"


def comment(cid: int, *, parent: int | None = None, mode: int = 1, author: str | None = "Ann",
            text: str = "<p>Hello</p>", created: float = 1714980000.5,
            replies: list | None = None) -> dict:
    item = {"id": cid, "parent": parent, "created": created, "modified": None, "mode": mode,
            "text": text, "author": author, "website": None, "likes": 3, "dislikes": 0,
            "notification": 0, "hash": "4505c1eeda98"}
    if parent is None:
        item.update(total_replies=len(replies or []), hidden_replies=0, replies=replies or [])
    return item


def thread(*replies: dict, hidden: int = 0) -> dict:
    return {"id": None, "total_replies": len(replies) + hidden, "hidden_replies": hidden,
            "replies": list(replies), "config": {"reply-to-self": False}}


def query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def test_the_thread_is_the_page_path_on_the_host_the_page_names() -> None:
    url = ISSO.first_page(CommentEmbed("isso", {"host": HOST}), PAGE_URL, ApiSettings())
    assert url.startswith(HOST + "?")
    assert query(url) == {"uri": ["/2024/05/06/harbour-plans/"], "limit": [str(PAGE_SIZE)],
                          "offset": ["0"], "nested_limit": [str(PAGE_SIZE)]}


def test_a_thread_id_on_the_page_wins_over_its_path() -> None:
    embed = CommentEmbed("isso", {"host": HOST, "thread": "/harbour-plans"})
    assert query(ISSO.first_page(embed, PAGE_URL, ApiSettings()))["uri"] == ["/harbour-plans"]


def test_a_server_under_a_path_keeps_its_path() -> None:
    embed = CommentEmbed("isso", {"host": "https://news.example/isso"})
    assert ISSO.first_page(embed, PAGE_URL, ApiSettings()).startswith(
        "https://news.example/isso/?uri=")


def test_an_embed_that_names_no_server_cannot_be_read() -> None:
    with pytest.raises(NotReadable) as raised:
        ISSO.first_page(CommentEmbed("isso", {}), PAGE_URL, ApiSettings())
    assert raised.value.reason == "no_host"


def test_replies_follow_their_parent_with_its_id() -> None:
    answer = ISSO.read(thread(comment(1, replies=[comment(3, parent=1), comment(4, parent=1)]),
                              comment(2)), HOST + "?uri=/a/&limit=100&offset=0", 200)
    assert [(c.source_id, c.parent_source_id) for c in answer.comments] == [
        ("1", None), ("3", "1"), ("4", "1"), ("2", None)]


def test_times_are_the_unix_times_in_utc() -> None:
    answer = ISSO.read(thread(comment(1, created=1714980000.5)), HOST, 200)
    assert answer.comments[0].date == "2024-05-06T07:20:00.500000+00:00"


def test_text_is_read_from_the_rendered_html_and_anonymous_authors_are_none() -> None:
    answer = ISSO.read(thread(comment(1, author=None, text="<p>First <em>point</em></p>"
                                                          "<p>Second</p>")), HOST, 200)
    assert (answer.comments[0].author, answer.comments[0].text) == (None,
                                                                    "First point\n\nSecond")


def test_a_deleted_comment_is_skipped_and_its_replies_keep_it_as_parent() -> None:
    deleted = comment(1, mode=4, author=None, text="", replies=[comment(2, parent=1)])
    answer = ISSO.read(thread(deleted), HOST, 200)
    assert [(c.source_id, c.parent_source_id) for c in answer.comments] == [("2", "1")]
    assert answer.skipped == {"deleted": 1}


def test_more_top_level_comments_are_asked_for_from_where_this_page_ends() -> None:
    url = f"{HOST}?uri=%2Fa%2F&limit=2&offset=4&nested_limit=100"
    answer = ISSO.read(thread(comment(5), comment(6), hidden=3), url, 200)
    assert [query(u) for u in answer.next_urls] == [
        {"uri": ["/a/"], "limit": [str(PAGE_SIZE)], "offset": ["6"],
         "nested_limit": [str(PAGE_SIZE)]}]


def test_replies_beyond_those_shown_are_asked_for_by_their_parent() -> None:
    shown = comment(7, replies=[comment(8, parent=7)])
    shown["hidden_replies"] = 4
    answer = ISSO.read(thread(shown), f"{HOST}?uri=%2Fa%2F&limit=100&offset=0", 200)
    assert [query(u) for u in answer.next_urls] == [
        {"uri": ["/a/"], "limit": [str(PAGE_SIZE)], "offset": ["1"], "parent": ["7"]}]
    replies = {"id": 7, "total_replies": 5, "hidden_replies": 2,
               "replies": [comment(9, parent=7), comment(10, parent=7)]}
    more = ISSO.read(replies, answer.next_urls[0], 200)
    assert [(c.source_id, c.parent_source_id) for c in more.comments] == [("9", "7"),
                                                                          ("10", "7")]
    assert query(more.next_urls[0])["offset"] == ["3"]


def test_the_last_page_asks_for_nothing_more() -> None:
    assert ISSO.read(thread(comment(1)), HOST, 200).next_urls == []


@pytest.mark.parametrize(("payload", "status", "error"), [
    (None, 200, "not_a_thread"), ({"replies": "x"}, 200, "not_a_thread"),
    ({"error": "no"}, 404, "http_404"),
])
def test_an_answer_that_is_not_a_thread_is_an_error(payload: object, status: int,
                                                    error: str) -> None:
    assert ISSO.read(payload, HOST, status).error == error
