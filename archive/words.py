"""The words of texts (runs of non-whitespace, as `str.split` and Arrow's
`utf8_split_whitespace` find them), found on the Arrow buffer without copying it.

A word is returned as a view of the text's bytes from its first character to the next
word (so with the whitespace after it): whitespace is always ASCII bytes here, which never
occur inside a multi-byte UTF-8 character, so every view is valid text. Texts with one of
the few non-ASCII whitespace characters (no-break space, line separator, ...) have those
replaced by a space first: the same words, found by one table of bytes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

_ASCII_WHITESPACE = np.zeros(256, bool)
_ASCII_WHITESPACE[[0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0x1F, 0x20]] = True
_WIDE_WHITESPACE = "[\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"


@dataclass(frozen=True)
class Words:
    """Every word of every text, flat and in order (each with the whitespace after it),
    and how many words each text has."""

    spans: pa.LargeStringArray
    counts: np.ndarray  # int64, one per text


def _flat(texts: pa.Array | pa.ChunkedArray) -> pa.LargeStringArray:
    """`texts` as one large_string array with no offset and no nulls (null: no words)."""
    array = texts.combine_chunks() if isinstance(texts, pa.ChunkedArray) else texts
    array = array.cast(pa.large_string())
    if array.offset or array.null_count:
        array = pa.concat_arrays([pc.fill_null(array, "")])
    return array


def _narrow_spaces(array: pa.LargeStringArray) -> pa.LargeStringArray:
    """Non-ASCII whitespace as spaces (looked for only in the texts that are not ASCII)."""
    wide = np.flatnonzero(pc.invert(pc.string_is_ascii(array)).to_numpy(zero_copy_only=False))
    if len(wide) == 0:
        return array
    part = array.take(pa.array(wide))
    spaced = np.flatnonzero(pc.match_substring_regex(part, _WIDE_WHITESPACE).to_numpy(
        zero_copy_only=False))
    if len(spaced) == 0:
        return array
    rows = wide[spaced]
    positions = np.full(len(array), -1, np.int64)
    positions[rows] = np.arange(len(rows))
    picked = pa.array(positions)
    fixed = pc.replace_substring_regex(array.take(pa.array(rows)), _WIDE_WHITESPACE, " ")
    return _flat(pc.if_else(pc.greater_equal(picked, 0),
                            fixed.take(pc.max_element_wise(picked, 0)), array))


def split_words(texts: pa.Array | pa.ChunkedArray) -> Words:
    """The words of each text (see `Words`)."""
    array = _narrow_spaces(_flat(texts))
    offsets = np.frombuffer(array.buffers()[1], np.int64, len(array) + 1)
    end = int(offsets[-1]) if len(array) else 0
    data = array.buffers()[2]
    if end == 0:
        return Words(pa.array([], pa.large_string()), np.zeros(len(array), np.int64))
    space = _ASCII_WHITESPACE[np.frombuffer(data, np.uint8, end)]
    after_space = np.empty(end, bool)
    after_space[0] = True
    after_space[1:] = space[:-1]
    after_space[offsets[:-1][offsets[:-1] < end]] = True  # a text's first byte starts a word
    starts = np.flatnonzero(after_space & ~space)
    counts = np.diff(np.searchsorted(starts, offsets))
    bounds = np.append(starts, end).astype(np.int64)
    spans = pa.LargeStringArray.from_buffers(len(starts), pa.py_buffer(bounds), data)
    return Words(spans, counts)


def word_counts(texts: pa.Array | pa.ChunkedArray) -> pa.Array:
    """Words of each text (int32)."""
    return pa.array(split_words(texts).counts.astype(np.int32))
