"""`crawler.extraction.comment_systems.remark42`: the thread request a Remark42 embed needs,
and its answers (in the shape Remark42's `find` gives them) read into comments."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest

from crawler.extraction.comment_systems import READERS, ApiSettings, NotReadable, detect
from crawler.extraction.comment_systems.remark42 import Remark42Api
from crawler.extraction.comments import finish
from crawler.extraction.dates import DateResolver
from crawler.extraction.document import parse
from crawler.extraction.records import CommentEmbed
from tests import embed_pages
from tests.comment_servers import remark42_comment

REMARK = Remark42Api()
PAGE_URL = "https://news.example/2024/05/06/harbour-plans/?utm_source=feed#comments"
HOST = "https://remark42.news.example"
THREAD_URL = "https://news.example/2024/05/06/harbour-plans/"
FETCHED = datetime(2024, 5, 7, tzinfo=UTC)


def comment(cid: str, *, pid: str = "", name: str = "Ann", text: str = "<p>Hello</p>\n",
            time: str = "2024-05-06T10:15:00.123456789-05:00", delete: bool = False) -> dict:
    return remark42_comment(cid, name, time, text, pid=pid, delete=delete)


def query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def test_a_remark42_embed_is_read_by_its_reader() -> None:
    [embed] = detect(parse(embed_pages.article_page(embed_pages.REMARK42)), PAGE_URL,
                     embed_pages.article_page(embed_pages.REMARK42).decode())
    assert isinstance(READERS[embed.system], Remark42Api)


def test_the_thread_is_asked_of_the_find_endpoint_with_the_site_and_the_url_named() -> None:
    embed = CommentEmbed("remark42", {"host": HOST, "site_id": "news", "url": THREAD_URL})
    url = REMARK.first_page(embed, PAGE_URL, ApiSettings())
    assert url.startswith(HOST + "/api/v1/find?")
    assert query(url) == {"site": ["news"], "url": [THREAD_URL], "format": ["plain"],
                          "sort": ["+time"]}


def test_without_a_url_or_site_the_thread_is_the_pages_address_on_the_default_site() -> None:
    url = REMARK.first_page(CommentEmbed("remark42", {"host": HOST}), PAGE_URL, ApiSettings())
    assert query(url)["url"] == [THREAD_URL] and query(url)["site"] == ["remark"]


def test_an_embed_that_names_no_server_cannot_be_read() -> None:
    with pytest.raises(NotReadable) as raised:
        REMARK.first_page(CommentEmbed("remark42", {}), PAGE_URL, ApiSettings())
    assert raised.value.reason == "no_host"


def test_every_comment_of_the_thread_is_read_with_author_time_text_and_parent() -> None:
    page = REMARK.read({"comments": [comment("a1"), comment("b2", pid="a1", name="Tom",
                                                            text="<p>Not <b>so</b> fast</p>")],
                        "info": {"count": 2}}, THREAD_URL, 200)
    first, reply = page.comments
    assert (first.source_id, first.author, first.text) == ("a1", "Ann", "Hello")
    assert (reply.parent_source_id, reply.author, reply.text) == ("a1", "Tom", "Not so fast")
    assert page.next_urls == [] and page.error is None


def test_times_are_stored_in_utc() -> None:
    page = REMARK.read({"comments": [comment("a1")]}, THREAD_URL, 200)
    [found] = finish(page.comments, "art", DateResolver("UTC", FETCHED), 1, layout=REMARK.layout)
    assert found.published.iso == "2024-05-06T15:15:00.123456Z"


def test_a_deleted_comment_is_skipped_and_its_reply_keeps_it_as_parent() -> None:
    page = REMARK.read({"comments": [comment("a1", delete=True), comment("b2", pid="a1")]},
                       THREAD_URL, 200)
    assert [c.source_id for c in page.comments] == ["b2"]
    assert page.comments[0].parent_source_id == "a1"
    assert page.skipped["deleted"] == 1


def test_an_older_server_answering_a_bare_list_is_read_too() -> None:
    assert len(REMARK.read([comment("a1")], THREAD_URL, 200).comments) == 1


@pytest.mark.parametrize(("payload", "status", "error"), [
    ({"comments": [comment("a1")]}, 404, "http_404"),
    ({"error": "site not found"}, 200, "not_a_thread"),
    (None, 200, "not_a_thread"),
])
def test_an_answer_that_is_not_a_thread_is_an_error(payload: object, status: int,
                                                    error: str) -> None:
    assert REMARK.read(payload, THREAD_URL, status).error == error
