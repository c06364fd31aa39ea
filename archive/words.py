"""The words of texts (runs of non-whitespace, as `str.split` and Arrow's
`utf8_split_whitespace` find them), found on the Arrow buffer without copying it.

A word is returned as a view of the text's bytes from its first character to the next
word (so with the whitespace after it). The bytes of whitespace are found by a table of
the ASCII ones, and the few non-ASCII whitespace characters (no-break space, line
separator, ...) by their lead byte and what follows it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

# The non-ASCII whitespace characters, by their UTF-8 lead byte: the bytes that may follow.
_WIDE = {0xC2: [(0x85,), (0xA0,)], 0xE1: [(0x9A, 0x80)],
         0xE2: [(0x80, b) for b in [*range(0x80, 0x8B), 0xA8, 0xA9, 0xAF]] + [(0x81, 0x9F)],
         0xE3: [(0x80, 0x80)]}


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


def _whitespace(data: np.ndarray) -> np.ndarray:
    """Which bytes of UTF-8 `data` belong to a whitespace character."""
    # ASCII whitespace: 0x09-0x0D and 0x1C-0x20 (comparisons are much faster than a table)
    space = (data - np.uint8(0x09) < 5) | (data - np.uint8(0x1C) < 5)
    leads = np.flatnonzero((data == 0xC2) | (data - np.uint8(0xE1) < 3))
    if len(leads) == 0:
        return space
    padded = np.concatenate([data, np.zeros(2, np.uint8)])
    lead, first, second = data[leads], padded[leads + 1], padded[leads + 2]
    for byte, tails in _WIDE.items():
        for tail in tails:
            hit = (lead == byte) & (first == tail[0])
            if len(tail) == 2:
                hit &= second == tail[1]
            for k in range(1 + len(tail)):
                space[leads[hit] + k] = True
    return space


def split_words(texts: pa.Array | pa.ChunkedArray) -> Words:
    """The words of each text (see `Words`)."""
    array = _flat(texts)
    offsets = np.frombuffer(array.buffers()[1], np.int64, len(array) + 1)
    end = int(offsets[-1]) if len(array) else 0
    if end == 0:
        return Words(pa.array([], pa.large_string()), np.zeros(len(array), np.int64))
    data = array.buffers()[2]
    space = _whitespace(np.frombuffer(data, np.uint8, end))
    after_space = np.empty(end, bool)
    after_space[0] = True
    after_space[1:] = space[:-1]
    after_space[offsets[:-1][offsets[:-1] < end]] = True  # a text's first byte starts a word
    starts = np.flatnonzero(after_space & ~space)
    counts = np.diff(np.searchsorted(starts, offsets))
    bounds = np.append(starts, end).astype(np.int64)
    spans = pa.LargeStringArray.from_buffers(len(starts), pa.py_buffer(bounds), data)
    return Words(spans, counts)

