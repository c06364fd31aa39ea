"""Text normalisation: whitespace and mojibake only; plain text keeps every character."""

from __future__ import annotations

import hashlib

import pyarrow as pa
import pytest

from archive.text import clean_line, clean_lines, clean_text, content_hashes
from archive.words import word_counts

PLAIN = [
    "x<y and y>z",
    "https://example.com/?id=3&section=news&amp=1",
    "I wrote &amp; literally, and &lt;b&gt; too",
    "Tom & Jerry <3 &copy; &nbsp; &#38; &#x26;",
    "<p>not a tag to us</p> <b>bold?</b>",
    "a < b > c && d",
]


@pytest.mark.parametrize("text", PLAIN)
def test_plain_text_keeps_every_character(text: str) -> None:
    assert clean_text(text) == text


@pytest.mark.parametrize("text", PLAIN)
def test_one_line_fields_keep_every_character(text: str) -> None:
    assert clean_line(pa.array([text])).to_pylist() == [text]


def test_text_is_nfc_with_tidy_whitespace() -> None:
    assert clean_text("Cafe\u0301  au\tlait\r\n\r\n\n\nSecond\u00a0para ") == (
        "Café au lait\n\nSecond para")


def test_lines_of_a_paragraph_are_joined_and_paragraphs_kept() -> None:
    assert clean_text("  one\ntwo \n three\n\n\n four\nfive") == "one two three\n\nfour five"


def test_mojibake_is_repaired_and_typography_kept() -> None:
    assert clean_text("Itâ€™s a cafÃ© — “quoted”") == "It’s a café — “quoted”"


def test_lists_of_names_are_cleaned_and_empty_names_dropped() -> None:
    lists = pa.array([[" Ann  Lee ", "", "  "], None, ["R&D <team>"]])
    assert clean_lines(lists).to_pylist() == [["Ann Lee"], [], ["R&D <team>"]]


def test_content_hash_is_the_sha256_of_the_utf8_text() -> None:
    texts = ["café", "x<y"]
    assert content_hashes(pa.array(texts)).to_pylist() == [
        hashlib.sha256(t.encode()).hexdigest() for t in texts]


def test_words_are_runs_of_non_whitespace() -> None:
    texts = ["a b  c\n\nd", "", "x<y", " a\u2028b\u00a0c ", "caf\u00e9\u3000x"]
    assert word_counts(pa.array(texts)).to_pylist() == [len(t.split()) for t in texts]
