"""Words found on the Arrow buffer: the words `str.split` finds, shingles within a text."""

from __future__ import annotations

import zlib

import numpy as np
import pyarrow as pa

from archive.dedupe import shingle_hashes
from archive.words import split_words

TEXTS = ["One two  three\n\nfour", "", "   ", " lead and trail ", "caf\u00e9\u00a0cr\u00e8me",
         "line\u2028sep\u3000ideo\x85next", "\tTab\rcr\x1cfs"]


def test_words_are_the_runs_of_non_whitespace_that_str_split_finds() -> None:
    words = split_words(pa.array(TEXTS))
    spans = [w.strip() for w in words.spans.to_pylist()]
    spans = [w.replace("\u00a0", " ").split()[0] if w else w for w in spans]
    assert words.counts.tolist() == [len(t.split()) for t in TEXTS]
    assert spans == [w for t in TEXTS for w in t.split()]


def test_a_text_of_fewer_than_five_words_is_one_shingle_of_its_words() -> None:
    hashes, offsets = shingle_hashes(pa.array(["Only  Three\nWords"]))
    assert offsets.tolist() == [0, 1]
    assert hashes.tolist() == [zlib.crc32(b"only three words")]


def test_shingles_never_span_two_texts() -> None:
    texts = ["a b c d e f g", "h i", "j k l m n"]
    together, offsets = shingle_hashes(pa.array(texts))
    apart = [shingle_hashes(pa.array([t]))[0] for t in texts]
    assert np.array_equal(together, np.concatenate(apart))
    assert offsets.tolist() == [0, 3, 4, 5]
