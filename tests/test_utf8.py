"""Searches of a string column's UTF-8 bytes: they find every value the work needs."""

from __future__ import annotations

import random
import unicodedata

import pyarrow as pa

from archive.utf8 import SURELY_NFC_RANGES, rows_maybe_not_nfc, rows_with


def _surely_nfc(code: int) -> bool:
    return any(low <= code <= high for low, high in SURELY_NFC_RANGES)


def _second_parts() -> set[int]:
    """Every character that a canonical decomposition has as its second part."""
    seconds = set()
    for code in range(0x110000):
        parts = unicodedata.decomposition(chr(code)).split()
        if len(parts) == 2 and not parts[0].startswith("<"):
            seconds.add(int(parts[1], 16))
    return seconds


def test_the_surely_nfc_characters_never_combine_and_are_nfc_alone() -> None:
    seconds = _second_parts()
    for low, high in SURELY_NFC_RANGES:
        for code in range(low, high + 1):
            char = chr(code)
            assert unicodedata.combining(char) == 0, hex(code)
            assert unicodedata.is_normalized("NFC", char), hex(code)
            assert code not in seconds, hex(code)


def test_every_other_character_of_the_bmp_makes_its_value_unsure() -> None:
    codes = [c for c in range(0x10000) if not 0xD800 <= c <= 0xDFFF]
    values = pa.array([chr(c) for c in codes], pa.large_string())
    unsure = set(rows_maybe_not_nfc(values).tolist())
    assert unsure == {i for i, c in enumerate(codes) if not _surely_nfc(c)}


def test_a_value_that_is_not_nfc_is_always_found() -> None:
    rng = random.Random(3)
    alphabet = ["a", "e", " ", "\u00e9", "\u2019", "\u2014", "\u0301", "\u0327", "\u1100",
                "\u1161", "\uac00", "\u11a8", "\u212b", "\u2000", "\U0001d15e", "\u0958"]
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 6)))
             for _ in range(5000)]
    found = set(rows_maybe_not_nfc(pa.array(texts, pa.large_string())).tolist())
    missed = [t for i, t in enumerate(texts)
              if not unicodedata.is_normalized("NFC", t) and i not in found]
    assert missed == []
    assert len(found) < len(texts)


def test_typeset_english_and_latin_text_is_sure() -> None:
    texts = ["It\u2019s \u201cfine\u201d \u2014 really\u2026", "Cr\u00e8me br\u00fbl\u00e9e, "
             "\u0142\u00f3d\u017a", "plain"]
    assert rows_maybe_not_nfc(pa.array(texts, pa.large_string())).tolist() == []


def test_a_search_reads_a_sliced_column_by_its_own_rows() -> None:
    values = pa.array(["a\u0301", "ok", "e\u0301", "\ufffd"], pa.large_string()).slice(1)
    assert rows_maybe_not_nfc(values).tolist() == [1, 2]
    assert rows_with(values, [b"\xef", b"\xbf", b"\xbd"]).tolist() == [2]
