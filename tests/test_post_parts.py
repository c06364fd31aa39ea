"""Posts split over several pages (`crawler/extraction/post_parts.py`): every page is the
same article, its comments are read from the first page only, and the first page names
the others, in order, for the spider to read before it stores the article."""

from __future__ import annotations

from crawler.extraction import extract_page
from tests.wordpress_markup import PARAGRAPHS, SITE, block_post, page_links, paragraphs, thread

URL = f"{SITE}/2021/03/03/harbour-plan/"
PARTS = [URL, f"{URL}2/", f"{URL}3/"]


def part(number: int, urls: list[str] = PARTS) -> str:
    text = paragraphs((f"Part {number} of the harbour report, with its own findings.",
                       *PARAGRAPHS))
    return block_post(body=text + page_links(urls, number), comments=thread(), part=number)


def test_the_first_page_of_a_split_post_names_the_other_pages_in_order() -> None:
    page = extract_page(part(1), PARTS[0])

    assert page.post_part == 1
    assert page.post_parts == PARTS[1:]


def test_the_first_page_of_a_split_post_keeps_its_comments() -> None:
    page = extract_page(part(1), PARTS[0])

    assert page.comments


def test_a_later_page_of_a_split_post_is_the_first_pages_article() -> None:
    first, later = extract_page(part(1), PARTS[0]), extract_page(part(3), PARTS[2])

    assert later.post_part == 3
    assert later.article.article_id == first.article.article_id
    assert later.article.url == PARTS[0]


def test_a_later_page_of_a_split_post_reads_no_comments_and_no_comment_pages() -> None:
    later = extract_page(part(2), PARTS[1])

    assert later.comments == []
    assert later.comment_pages == []


def test_each_page_reads_its_own_part_of_the_text_and_not_the_page_links() -> None:
    later = extract_page(part(2), PARTS[1])

    assert "Part 2 of the harbour report" in later.article.text
    assert "Part 1" not in later.article.text
    assert "Pages:" not in later.article.text


def test_the_pages_of_a_plain_permalink_post_are_its_page_parameter() -> None:
    urls = [f"{SITE}/?p=104", f"{SITE}/?p=104&page=2"]
    first, later = extract_page(part(1, urls), urls[0]), extract_page(part(2, urls), urls[1])

    assert first.post_parts == urls[1:]
    assert later.article.article_id == first.article.article_id


def test_a_post_in_one_page_has_no_other_pages() -> None:
    page = extract_page(block_post(), URL)

    assert (page.post_part, page.post_parts) == (1, [])
