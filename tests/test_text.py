"""Text normalisation: whitespace and mojibake only; plain text keeps every character."""

from __future__ import annotations

import hashlib
import random
import re

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from archive.text import (
    _MOJIBAKE_BYTES,
    MOJIBAKE,
    clean_line,
    clean_lines,
    clean_text,
    content_hashes,
    replacement_shares,
)
from archive.utf8 import rows_with
from archive.words import split_words

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
    assert split_words(pa.array(texts)).counts.tolist() == [len(t.split()) for t in texts]


def _pairs_and_noise() -> list[str]:
    """Every pair of characters the mojibake pattern names, in and across values, and
    random text with accents, quotes and dashes around them."""
    pattern = re.compile(MOJIBAKE)
    seconds = [chr(c) for c in range(0x80, 0x2200) if pattern.fullmatch("\u00c3" + chr(c))]
    firsts = [chr(c) for c in range(0xC2, 0xF5)]
    alphabet = "abc éüçà’“”—–€™\u00a0\u00c3\u00e2\u0192"
    rng = random.Random(7)
    noise = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
             for _ in range(3000)]
    return [f"x{a}{b}y" for a in firsts for b in seconds] + noise + ["end\u00c3", "\u20acstart"]


def test_the_byte_search_finds_every_value_the_mojibake_pattern_matches() -> None:
    texts = _pairs_and_noise()
    pattern = re.compile(MOJIBAKE)
    suspects = {i for i, t in enumerate(texts) if pattern.search(t)}
    found = set(rows_with(pa.array(texts, pa.large_string()), _MOJIBAKE_BYTES).tolist())
    assert len(suspects) > 3000
    assert suspects <= found
    assert len(found - suspects) < len(suspects) / 10  # a search, not every value


def test_replacement_share_is_the_share_of_u_fffd_characters() -> None:
    texts = ["ok", "\ufffd\ufffdab", "", None, "a\ufffd", "\ufffe\uffff\uffef"]
    shares = replacement_shares(pa.array(texts, pa.large_string())).to_pylist()
    assert shares == [0.0, 0.5, 0.0, 0.0, 0.5, 0.0]


def test_replacement_share_reads_a_sliced_column() -> None:
    texts = pa.array(["\ufffd", "ok", "x\ufffd"], pa.large_string())
    assert replacement_shares(texts.slice(1)).to_pylist() == [0.0, 0.5]
    assert pc.sum(replacement_shares(texts.slice(0, 2))).as_py() == 1.0
