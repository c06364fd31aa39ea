"""Language detection with py3langid, whose model ships inside the package (no download),
run on whole Arrow columns.

py3langid reads a text's UTF-8 bytes through a DFA (a Python loop) and scores the features
it meets with its naive Bayes table, one text at a time. Here a batch of texts is read
straight from the column's buffer: the DFA is walked over every text of the batch
together, one byte position at a time over every text still that long, and the batch's
scores are one sparse product (its texts' weighted features times the table, in scipy's
compiled kernel), so that no Python runs per text. The features and weights are
py3langid's, the table in float32 (the sums taken in feature order rather than in order of
appearance, so a probability may differ in its last bits): the same answers.

Only a text's first `SAMPLE_CHARS` characters are read: the cost grows with the length,
the answer does not change past a few hundred characters (on the 743 news bodies of
`dragnet-train` of 1,000 characters or more, the first 500 characters give the answer of
the first 1,000 for 99.9 %; the first 300 for 99.5 %).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from scipy.sparse import csr_matrix

from archive.text import replace_rows
from archive.utf8 import rows_maybe_not_nfc

MIN_CHARS = 40
MIN_CONFIDENCE = 0.8
SAMPLE_CHARS = 500
BATCH_TEXTS = 4096  # texts walked together

_ARRAYS = ("moves", "start", "ptc", "priors")
_ROW_BITS = 20  # a move packs the next state's row (high bits) and its feature (low bits)
_CACHE_FORMAT = 2  # bumped when the unpacked arrays change
_PAGE = 4096


@dataclass(frozen=True)
class _Model:
    classes: list[str]
    alias_pairs: list[tuple[int, int]]
    # py3langid's DFA, one int64 per (state row, byte): the next state's row offset in
    # this table, shifted by _ROW_BITS, and the feature that state outputs (or the row
    # count of `ptc`: none), so a step of the walk is one read of this table
    moves: np.ndarray
    start: np.ndarray  # the first state's row offset
    ptc: np.ndarray  # the naive Bayes table as float32 (numpy multiplies float16 slowly)
    priors: np.ndarray


def _cache_dir() -> Path:
    """Where the model is kept unpacked: py3langid ships it xz-compressed (0.7 s of CPU to
    load in every process); unpacked, each process maps the same files."""
    root = os.environ.get("PRESSARCHIVE_CACHE") or Path.home() / ".cache" / "pressarchive"
    return Path(root) / f"py3langid-{version('py3langid')}-{_CACHE_FORMAT}"


def _unpacked() -> _Model:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    ptc = np.asarray(identifier.nb_ptc, np.float32)
    nextmove = np.asarray(identifier.tk_nextmove, np.int64)
    rows = np.asarray(identifier.tk_row, np.int64) << 8  # a state's row offset
    output = np.asarray(identifier.tk_output, np.int64)
    output = np.where(output >= 0, output, ptc.shape[0])
    moves = (rows[nextmove] << _ROW_BITS) | output[nextmove]
    return _Model(list(identifier.nb_classes), list(identifier._alias_pairs), moves,
                  rows[:1].copy(), ptc, np.asarray(identifier.nb_pc, np.float32))


def _save(model: _Model, directory: Path) -> None:
    staging = directory.with_name(f".{directory.name}.{os.getpid()}.tmp")
    staging.mkdir(parents=True, exist_ok=True)
    for name in _ARRAYS:
        np.save(staging / f"{name}.npy", getattr(model, name))
    (staging / "labels.json").write_text(json.dumps(
        {"classes": model.classes, "alias_pairs": model.alias_pairs}))
    try:
        staging.rename(directory)
    except OSError:  # another process was first
        shutil.rmtree(staging, ignore_errors=True)


def _fault_in(array: np.ndarray) -> None:
    """Map in the pages of a mapped array at once, in order. The walk reads the DFA table
    at random: left to fault in page by page, it cost the first texts of every process
    0.3 s more (twice that from two threads at once); read in order, the kernel maps the
    pages in runs, in 0.03 s. (The naive Bayes table is read by rows of the features met,
    and is left alone: mapping it all in costs 50 MB of RSS and saves nothing.)"""
    np.bitwise_or.reduce(array.reshape(-1).view(np.uint8)[::_PAGE])


@lru_cache(maxsize=1)
def _model() -> _Model:
    directory = _cache_dir()
    try:
        labels = json.loads((directory / "labels.json").read_text())
        # Plain arrays over the mapped files (a memmap's indexing is slow).
        arrays = {n: np.asarray(np.load(directory / f"{n}.npy", mmap_mode="r"))
                  for n in _ARRAYS}
        _fault_in(arrays["moves"])
        return _Model(labels["classes"], [tuple(p) for p in labels["alias_pairs"]], **arrays)
    except (OSError, ValueError, KeyError):
        model = _unpacked()
        with contextlib.suppress(OSError):  # read-only: every process unpacks it itself
            _save(model, directory)
        return model


# --- the input py3langid reads ------------------------------------------------------------

def _samples(texts: pa.Array) -> pa.LargeStringArray:
    """What py3langid reads of each text: its first SAMPLE_CHARS characters, NFC, lower-cased
    when every cased letter is upper case (`LanguageIdentifier._encode`). Python reads only
    the values that may not be NFC (`archive.utf8`) or are all upper case, and only those
    it changes are replaced."""
    sample = pc.utf8_slice_codeunits(pc.fill_null(texts, ""), 0, SAMPLE_CHARS)
    sample = sample.cast(pa.large_string())
    upper = np.flatnonzero(pc.utf8_is_upper(sample).to_numpy(zero_copy_only=False))
    rows = np.union1d(rows_maybe_not_nfc(sample), upper)
    if len(rows) == 0:
        return _flat(sample)
    values = sample.take(pa.array(rows)).to_pylist()
    differ, changed = [], []
    for row, text in zip(rows.tolist(), values, strict=True):
        read = unicodedata.normalize("NFC", text.lower() if text.isupper() else text)
        if read != text:
            differ.append(row)
            changed.append(read)
    if not differ:
        return _flat(sample)
    return _flat(replace_rows(sample, np.array(differ, np.int64),
                              pa.array(changed, pa.large_string())))


def _flat(array: pa.Array) -> pa.LargeStringArray:
    """`array` with no offset and no nulls, so its buffers are the values in order."""
    if array.offset or array.null_count:
        array = pa.concat_arrays([pc.fill_null(array, "")])
    return array


def _bytes_of(array: pa.LargeStringArray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(UTF-8 bytes of all values, each value's start, each value's length)."""
    offsets = np.frombuffer(array.buffers()[1], np.int64, len(array) + 1)
    data = array.buffers()[2]
    buffer = (np.frombuffer(data, np.uint8, int(offsets[-1]))
              if data is not None and offsets[-1] else np.zeros(0, np.uint8))
    return buffer, offsets[:-1].copy(), np.diff(offsets)


# --- scoring ------------------------------------------------------------------------------

def _features(data: np.ndarray, starts: np.ndarray, lengths: np.ndarray,
              model: _Model) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The distinct DFA outputs of every text and how often each came: (text index,
    feature, count), in text order and by feature within a text. The texts come longest
    first. The walk writes position by position into a matrix (one row per position, one
    column per text); each text's column is then sorted, which groups its repeated
    features (and the padding, which sorts last)."""
    if np.any(np.diff(lengths) > 0):
        raise ValueError("texts must come longest first")
    descending = -lengths  # ascending: texts longer than `position` come first
    longest = int(lengths[0]) if len(lengths) else 0
    none = model.ptc.shape[0]  # sorts after every feature
    met = np.full((longest, len(lengths)), none, np.int32)
    row = np.full(len(lengths), model.start[0], np.int64)
    cursor = starts.astype(np.int64)
    step, move = np.empty(len(lengths), np.int64), np.empty(len(lengths), np.int64)
    feature_bits = np.int64((1 << _ROW_BITS) - 1)
    for position in range(longest):
        active = int(np.searchsorted(descending, -position, side="left"))
        np.add(row[:active], data[cursor[:active]], out=step[:active])
        model.moves.take(step[:active], out=move[:active], mode="clip")
        np.bitwise_and(move[:active], feature_bits, out=met[position, :active], casting="unsafe")
        np.right_shift(move[:active], _ROW_BITS, out=row[:active])
        cursor[:active] += 1
    if met.size == 0:  # no text, or only empty ones
        nothing = np.zeros(0, np.int64)
        return nothing, nothing, nothing
    by_text = np.sort(np.ascontiguousarray(met.T), axis=1)
    # Each run of one value in a sorted row is a feature (or the padding) and its count.
    change = np.empty(by_text.shape, bool)
    change[:, 0] = True
    np.not_equal(by_text[:, 1:], by_text[:, :-1], out=change[:, 1:])
    heads = np.flatnonzero(change)
    values = by_text.reshape(-1)[heads]
    real = np.flatnonzero(values < none)
    bounds = np.append(heads, by_text.size)
    return (heads[real] // by_text.shape[1], values[real].astype(np.int64),
            bounds[real + 1] - heads[real])


def _raw_scores(text_ids: np.ndarray, features: np.ndarray, counts: np.ndarray,
                count: int, model: _Model) -> np.ndarray:
    """py3langid's naive Bayes scores of every text (texts without a feature score 0):
    per text, log(1 + count) of each feature times the feature's row of the table, plus
    the class priors.

    The batch's (text, feature, weight) triples are a sparse matrix, in CSR order already,
    and its product with the table is one call of scipy's compiled kernel, which holds no
    GIL: the cleaning threads score side by side. (py3langid sums the features in order of
    appearance, this in feature order: a float32 sum in another order, which may differ
    in its last bits.)"""
    classes = len(model.classes)
    if len(features) == 0:
        return np.zeros((count, classes), np.float32)
    weights = np.log1p(counts.astype(np.float32))
    bounds = np.zeros(count + 1, np.int64)
    np.cumsum(np.bincount(text_ids, minlength=count), out=bounds[1:])
    matrix = csr_matrix((weights, features.astype(np.int32), bounds),
                        shape=(count, model.ptc.shape[0]))
    scores = np.asarray(matrix @ model.ptc, np.float32)
    scores[np.flatnonzero(np.diff(bounds))] += model.priors
    return scores


def classify_array(texts: pa.Array | pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray]:
    """(index into the model's classes, confidence) of each text's first SAMPLE_CHARS
    characters, as py3langid's `classify` with normalised probabilities gives them."""
    array = texts.combine_chunks() if isinstance(texts, pa.ChunkedArray) else texts
    model = _model()
    samples = _samples(array)
    # Texts of about the same length walked together (a batch's matrix is as long as
    # its longest text), longest first.
    by_length = np.argsort(-_bytes_of(samples)[2], kind="stable")
    best = np.zeros(len(array), np.int64)
    confidence = np.zeros(len(array), np.float64)
    for lo in range(0, len(array), BATCH_TEXTS):
        rows = by_length[lo:lo + BATCH_TEXTS]
        data, starts, lengths = _bytes_of(_flat(samples.take(pa.array(rows))))
        scores = _raw_scores(*_features(data, starts, lengths, model), len(rows), model)
        scores *= (1.0 / np.sqrt(np.maximum(lengths, 1))).astype(np.float32)[:, None]
        scores = np.exp(scores - scores.max(axis=1, keepdims=True))
        scores /= scores.sum(axis=1, keepdims=True)
        for i, j in model.alias_pairs:
            scores[:, i] += scores[:, j]
            scores[:, j] = 0.0
        chosen = scores.argmax(axis=1)
        best[rows] = chosen
        confidence[rows] = np.take_along_axis(scores, chosen[:, None], axis=1)[:, 0]
    return best, confidence


def _strings(texts: pa.Array | pa.ChunkedArray | list[str]) -> pa.Array:
    if isinstance(texts, list):
        return pa.array(texts, pa.large_string())
    return texts.combine_chunks() if isinstance(texts, pa.ChunkedArray) else texts


def classify_many(texts: list[str] | pa.Array | pa.ChunkedArray) -> list[tuple[str, float]]:
    """(language, confidence) of each text (see `classify_array`)."""
    best, confidence = classify_array(_strings(texts))
    classes = _model().classes
    return [(classes[b], c) for b, c in zip(best.tolist(), confidence.tolist(), strict=True)]


def detect_many(texts: pa.Array | pa.ChunkedArray | list[str],
                declared: pa.Array | pa.ChunkedArray | list[str | None] | None = None,
                min_chars: int = MIN_CHARS) -> pa.Array:
    """ISO 639-1 code of each text; the declared language (or null) when a text is shorter
    than `min_chars` or the model is not confident."""
    array = _strings(texts)
    fallback = (pa.nulls(len(array), pa.string()) if declared is None
                else pa.array(declared, pa.string()) if isinstance(declared, list)
                else declared.cast(pa.string()))
    wanted = np.flatnonzero(pc.greater_equal(pc.utf8_length(pc.fill_null(array, "")),
                                             min_chars).to_numpy(zero_copy_only=False))
    if len(wanted) == 0:
        return fallback
    best, confidence = classify_array(array.take(pa.array(wanted)))
    sure = confidence >= MIN_CONFIDENCE
    found = np.full(len(array), -1, np.int64)
    found[wanted[sure]] = best[sure]
    codes = pa.array(_model().classes, pa.string()).take(pa.array(found, mask=found < 0))
    return pc.coalesce(codes, fallback)
