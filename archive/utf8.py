"""Searches of the UTF-8 bytes of an Arrow string column with numpy: which values hold
something, without a string kernel (or Python) over every value, so that the work that
needs one runs on the values found only."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

# Characters that are NFC on their own and never combine with what comes before them
# (canonical combining class 0, not in any canonical composition as its second part), by
# their UTF-8 bytes: ASCII and U+0080-U+02FF (lead bytes below 0xCC), and the general
# punctuation of typeset text: U+2010-U+2027 (dashes, quotes, ellipsis), U+2030-U+205E.
# A text of these only is NFC: its quick check says yes. (tests/test_utf8.py checks the
# list against Python's Unicode database.)
_FIRST_UNSURE_LEAD = 0xCC
_PUNCTUATION = 0xE2
SURELY_NFC_RANGES = [(0x0000, 0x02FF), (0x2010, 0x2027), (0x2030, 0x205E)]


def _buffer(array: pa.LargeStringArray) -> tuple[np.ndarray, np.ndarray]:
    """(value offsets, the bytes up to the last value's end)."""
    offsets = np.frombuffer(array.buffers()[1], np.int64, len(array) + 1, array.offset * 8)
    data = array.buffers()[2]
    end = int(offsets[-1])
    text = np.frombuffer(data, np.uint8, end) if data is not None and end else (
        np.zeros(0, np.uint8))
    return offsets, text


def _rows_of(offsets: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """The rows holding these byte positions, ascending, each once."""
    rows = np.searchsorted(offsets, positions, side="right") - 1
    return np.unique(rows[(rows >= 0) & (rows < len(offsets) - 1)])


def rows_with(array: pa.LargeStringArray, pattern: list[bytes]) -> np.ndarray:
    """The rows whose bytes hold a run matching `pattern` (one set of allowed bytes per
    position; a run across two values counts too), ascending."""
    offsets, text = _buffer(array)
    if len(text) < len(pattern):
        return np.zeros(0, np.int64)
    at = np.flatnonzero(text[:len(text) - len(pattern) + 1] == pattern[0][0])
    for k, allowed in enumerate(pattern[1:], 1):
        at = at[np.isin(text[at + k], np.frombuffer(allowed, np.uint8))]
    return _rows_of(offsets, at)


def rows_maybe_not_nfc(array: pa.LargeStringArray) -> np.ndarray:
    """The rows holding a character outside SURELY_NFC_RANGES, ascending: only those may
    not be NFC."""
    offsets, text = _buffer(array)
    leads = np.flatnonzero(text >= _FIRST_UNSURE_LEAD)
    three = leads[text[leads] == _PUNCTUATION]
    last = len(text) - 1
    second = text[np.minimum(three + 1, last)]
    third = text[np.minimum(three + 2, last)]
    punctuation = (((second == 0x80) & (((third >= 0x90) & (third <= 0xA7)) | (third >= 0xB0)))
                   | ((second == 0x81) & (third <= 0x9E)))
    return _rows_of(offsets, np.setdiff1d(leads, three[punctuation], assume_unique=True))
