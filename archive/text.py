"""Text normalisation of `process`, on Arrow columns: whitespace and mojibake, nothing else.

The extractor gives plain text (markup stripped and entities unescaped there, once), so this
module never touches a character of it: `x<y and y>z`, `&amp;` or `&section=` written in a
comment stay as written. What it does:

- Unicode NFC (canonically equivalent: the same characters, one spelling, so that equal
  texts hash equal);
- mojibake repair with ftfy, only on the values where a mojibake pair appears (UTF-8 read as
  Latin-1 or windows-1252 always leaves a lead byte's letter before a continuation byte's);
- whitespace: line ends unified, runs of spaces (and no-break or typographic spaces) made
  one space, lines trimmed, the lines of a paragraph joined with a space, a blank line
  between paragraphs.

Everything runs as Arrow kernels over whole columns except ftfy, which runs in Python on
the few values that need it.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Callable

import ftfy
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from archive.utf8 import rows_maybe_not_nfc, rows_with

# Repair mojibake, keep the typography (curly quotes, ligatures) the site wrote.
_FTFY = ftfy.TextFixerConfig(uncurl_quotes=False, fix_latin_ligatures=False,
                             fix_character_width=False, normalization="NFC")
MOJIBAKE = ("[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192"
            "\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a"
            "\u20ac\u2122]")
# The bytes every mojibake pair starts with: U+00C2-U+00F4, then the lead byte of what
# may follow it (see MOJIBAKE).
_MOJIBAKE_BYTES = [b"\xc3", bytes(range(0x82, 0xB5)), b"\xc2\xc5\xc6\xcb\xe2"]
_SPACES = "[ \t\f\v\u00a0\u2000-\u200b\u202f\u205f\u3000]+"
_LINE_END = "\r\n?"
_AROUND_NEWLINE = " *\n *"
_JOINED_LINE = "([^\n])\n([^\n])"
_PARAGRAPH_BREAK = "\n\n+"
# Any of these makes a value need tidying; most extracted text has none (one pass instead
# of six).
_UNTIDY = ("[\r\t\f\v\u00a0\u2000-\u200b\u202f\u205f\u3000]|  | \n|\n |\n\n\n|"
           "[^\n]\n[^\n]|^[ \n]|[ \n]$")


def _as_array(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    array = values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values
    return array.cast(pa.large_string())


def _where(array: pa.Array, mask: pa.Array, change: Callable[[pa.Array], pa.Array]) -> pa.Array:
    """`array` with `change` applied to the values where `mask` holds (only to those)."""
    rows = np.flatnonzero(pc.fill_null(mask, False).to_numpy(zero_copy_only=False))
    if len(rows) == 0:
        return array
    if len(rows) == len(array):
        return change(array)
    return replace_rows(array, rows, change(array.take(pa.array(rows))))


def replace_rows(array: pa.Array, rows: np.ndarray, values: pa.Array) -> pa.Array:
    """`array` with its values at `rows` (ascending positions) replaced by `values`.

    One take from the two arrays end to end: a copy of the bytes, where `pc.if_else` over
    strings builds its result value by value (ten times slower on a batch of comments)."""
    index = np.arange(len(array), dtype=np.int64)
    index[rows] = len(array) + np.arange(len(rows))
    return pa.concat_arrays([array, values.cast(array.type)]).take(pa.array(index))


def _nfc(array: pa.Array) -> pa.Array:
    """NFC, computed only for the values that are not NFC already: a value of ASCII,
    Latin letters and typeset punctuation always is (`archive.utf8`); Unicode's quick
    check tells the others, much faster than normalising them."""
    unsure = rows_maybe_not_nfc(array)
    if len(unsure) == 0:
        return array
    texts = array.take(pa.array(unsure)).to_pylist()
    unnormal = np.zeros(len(array), bool)
    unnormal[unsure] = [not unicodedata.is_normalized("NFC", t) for t in texts]
    return _where(array, pa.array(unnormal), lambda part: pc.utf8_normalize(part, "NFC"))


def repair_mojibake(values: pa.Array | pa.ChunkedArray) -> tuple[pa.Array, pa.Array]:
    """(NFC text with mojibake repaired, which values were repaired)."""
    array = _as_array(values)
    normalised = _nfc(array)
    maybe = rows_with(array, _MOJIBAKE_BYTES)
    suspects = pc.fill_null(pc.match_substring_regex(array.take(pa.array(maybe)), MOJIBAKE),
                            False)
    rows = maybe[suspects.to_numpy(zero_copy_only=False)]
    if len(rows) == 0:
        return normalised, pa.array(np.zeros(len(array), bool))
    fixed = normalised.to_pylist()
    repaired = np.zeros(len(array), bool)
    originals = array.take(pa.array(rows)).to_pylist()
    for row, text in zip(rows.tolist(), originals, strict=True):
        repair = ftfy.fix_text(text, config=_FTFY)
        repaired[row] = repair != fixed[row]
        fixed[row] = repair
    return pa.array(fixed, pa.large_string()), pa.array(repaired)


def tidy_whitespace(array: pa.Array) -> pa.Array:
    """Spaces, line ends and paragraphs as the archive stores them."""
    return _where(array, pc.match_substring_regex(array, _UNTIDY), _tidy)


def _tidy(array: pa.Array) -> pa.Array:
    text = pc.replace_substring_regex(array, _LINE_END, "\n")
    text = pc.replace_substring_regex(text, _SPACES, " ")
    text = pc.replace_substring_regex(text, _AROUND_NEWLINE, "\n")
    text = pc.utf8_trim(text, " \n")
    for _ in range(2):  # matches overlap: a second pass joins what the first skipped
        text = pc.replace_substring_regex(text, _JOINED_LINE, "\\1 \\2")
    return pc.replace_substring_regex(text, _PARAGRAPH_BREAK, "\n\n")


def clean_paragraphs(values: pa.Array | pa.ChunkedArray) -> tuple[pa.Array, pa.Array]:
    """(Clean text, mojibake repaired?) of a text column; empty text stays empty."""
    fixed, repaired = repair_mojibake(values)
    return pc.fill_null(tidy_whitespace(fixed), ""), repaired


def clean_line(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    """A one-line field (title, author, section): clean, on one line, null when empty."""
    fixed, _ = repair_mojibake(values)
    text = pc.replace_substring_regex(tidy_whitespace(fixed), "\n+", " ")
    return pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.large_string()), text)


def clean_lines(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    """A list of one-line values (authors, tags): each cleaned, the empty ones left out,
    a null list as an empty one."""
    lists = values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values
    lists = pc.fill_null(lists, pa.scalar([], lists.type))
    flat = pc.list_flatten(lists)
    parents = pc.list_parent_indices(lists).to_numpy(zero_copy_only=False)
    cleaned = clean_line(flat)
    keep = pc.is_valid(cleaned)
    kept_parents = parents[keep.to_numpy(zero_copy_only=False)]
    counts = np.bincount(kept_parents, minlength=len(lists))
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int32)
    items = cleaned.filter(keep).cast(pa.string())
    return pa.ListArray.from_arrays(pa.array(offsets), items)


def content_hashes(texts: pa.Array | pa.ChunkedArray) -> pa.Array:
    """SHA-256 (hex) of each text's UTF-8 bytes, hashed straight from the Arrow buffer."""
    array = _as_array(texts)
    if array.offset or array.null_count:
        array = pc.fill_null(array, "").take(pa.array(np.arange(len(array))))
    offsets = np.frombuffer(array.buffers()[1], np.int64, len(array) + 1)
    data = memoryview(array.buffers()[2] or b"")
    return pa.array([hashlib.sha256(data[start:end]).hexdigest()
                     for start, end in zip(offsets[:-1].tolist(), offsets[1:].tolist(),
                                           strict=True)], pa.string())


def replacement_shares(texts: pa.Array | pa.ChunkedArray) -> pa.Array:
    """Share of U+FFFD replacement characters: the mark of a text decoded with a wrong
    charset (0 for a null text). Counted only in the texts that hold one."""
    array = _as_array(texts)
    shares = np.zeros(len(array))
    rows = rows_with(array, [bytes([b]) for b in "\ufffd".encode()])
    if len(rows):
        some = array.take(pa.array(rows))
        count = pc.count_substring(some, "\ufffd").to_numpy(zero_copy_only=False)
        shares[rows] = count / np.maximum(pc.utf8_length(some).to_numpy(zero_copy_only=False), 1)
    return pa.array(shares)


def clean_text(text: str | None) -> str:
    """One text as `clean_paragraphs` cleans a column (for tools and tests)."""
    cleaned, _ = clean_paragraphs(pa.array([text or ""], pa.large_string()))
    return cleaned[0].as_py()
