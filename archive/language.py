"""Language detection with py3langid, whose model ships inside the package (no download),
run on many texts at once.

py3langid reads a text's UTF-8 bytes through a DFA (a Python loop) and scores the features
it meets with its naive Bayes table, one text at a time. `classify_many` walks the DFA of a
whole batch of texts together, one byte position at a time over every text still that long,
then scores each text as py3langid does (the same features and weights, the table in
float32 so that the product runs in BLAS; the sum taken in feature order rather than in
order of appearance, so a probability may differ in its last bits): the same answers,
several times cheaper per text.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path

import numpy as np
from py3langid.langid import MODEL_FILE, LanguageIdentifier

MIN_CHARS = 40
MIN_CONFIDENCE = 0.8
SAMPLE_CHARS = 1000  # enough to tell a language; the cost grows with the length


_ARRAYS = ("nextmove", "rowbase", "output", "ptc", "priors")


@dataclass(frozen=True)
class _Model:
    classes: list[str]
    alias_pairs: list[tuple[int, int]]
    nextmove: np.ndarray
    rowbase: np.ndarray
    output: np.ndarray
    ptc: np.ndarray  # the naive Bayes table as float32 (numpy multiplies float16 slowly)
    priors: np.ndarray


def _cache_dir() -> Path:
    """Where the model is kept unpacked: py3langid ships it xz-compressed (0.7 s of CPU to
    load in every process); unpacked, each process maps the same files."""
    root = os.environ.get("PRESSARCHIVE_CACHE") or Path.home() / ".cache" / "pressarchive"
    return Path(root) / f"py3langid-{version('py3langid')}"


def _unpacked() -> _Model:
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    return _Model(list(identifier.nb_classes), list(identifier._alias_pairs),
                  np.asarray(identifier.tk_nextmove, np.int32),
                  np.asarray(identifier.tk_row, np.int64) << 8,
                  np.asarray(identifier.tk_output, np.int32),
                  np.asarray(identifier.nb_ptc, np.float32),
                  np.asarray(identifier.nb_pc, np.float32))


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


@lru_cache(maxsize=1)
def _model() -> _Model:
    directory = _cache_dir()
    try:
        labels = json.loads((directory / "labels.json").read_text())
        arrays = {n: np.load(directory / f"{n}.npy", mmap_mode="r") for n in _ARRAYS}
        return _Model(labels["classes"], [tuple(p) for p in labels["alias_pairs"]], **arrays)
    except (OSError, ValueError, KeyError):
        model = _unpacked()
        with contextlib.suppress(OSError):  # read-only: every process unpacks it itself
            _save(model, directory)
        return model


def _features(encoded: list[bytes], model: _Model) -> tuple[np.ndarray, np.ndarray]:
    """(text index, feature) of every DFA output, by byte position (so each text's
    features come in its byte order)."""
    lengths = np.fromiter((len(b) for b in encoded), np.int64, len(encoded))
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
    data = np.frombuffer(b"".join(encoded), np.uint8).astype(np.int64)
    order = np.argsort(-lengths, kind="stable")
    by_length, first = lengths[order], starts[order]
    descending = -by_length  # ascending: texts longer than `position` come first
    state = np.zeros(len(encoded), np.int64)
    texts, feats = [], []
    for position in range(int(by_length[0]) if len(by_length) else 0):
        active = int(np.searchsorted(descending, -position, side="left"))
        moved = model.nextmove[model.rowbase[state[:active]] + data[first[:active] + position]]
        state[:active] = moved
        found = model.output[moved]
        hit = np.flatnonzero(found >= 0)
        texts.append(order[hit])
        feats.append(found[hit])
    if not texts:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    return np.concatenate(texts), np.concatenate(feats)


def _raw_scores(text_ids: np.ndarray, features: np.ndarray, count: int,
                model: _Model) -> np.ndarray:
    """py3langid's naive Bayes scores of every text (texts without a feature score 0):
    per text, log(1 + count) of each feature times the feature's row of the table, plus
    the class priors. (py3langid sums the features in order of appearance, this in feature
    order: a float32 sum in another order, which may differ in its last bits.)"""
    scores = np.zeros((count, len(model.classes)), np.float32)
    if len(features) == 0:
        return scores
    width = np.int64(model.ptc.shape[0])
    keys, counts = np.unique(text_ids * width + features, return_counts=True)
    owners, features = keys // width, keys % width
    weights = np.log1p(counts.astype(np.float32))
    bounds = np.searchsorted(owners, np.arange(count + 1))
    table, priors = model.ptc, model.priors
    for text in np.flatnonzero(bounds[1:] > bounds[:-1]).tolist():
        lo, hi = bounds[text], bounds[text + 1]
        scores[text] = weights[lo:hi] @ table[features[lo:hi]] + priors
    return scores


def classify_many(texts: Sequence[str]) -> list[tuple[str, float]]:
    """(language, confidence) of each text's first SAMPLE_CHARS characters."""
    if not texts:
        return []
    model = _model()
    encoded = [LanguageIdentifier._encode(text[:SAMPLE_CHARS]) for text in texts]
    text_ids, features = _features(encoded, model)
    scores = _raw_scores(text_ids, features, len(texts), model)
    lengths = np.fromiter((len(b) for b in encoded), np.float64, len(encoded))
    scores *= (1.0 / np.sqrt(np.maximum(lengths, 1.0)))[:, None].astype(np.float32)
    scores = np.exp(scores - scores.max(axis=1, keepdims=True))
    scores /= scores.sum(axis=1, keepdims=True)
    for i, j in model.alias_pairs:
        scores[:, i] += scores[:, j]
        scores[:, j] = 0.0
    best = scores.argmax(axis=1)
    classes = model.classes
    return [(classes[b], float(scores[row, b])) for row, b in enumerate(best.tolist())]


def detect_many(texts: Sequence[str], declared: Sequence[str | None] | None = None,
                min_chars: int = MIN_CHARS) -> list[str | None]:
    """ISO 639-1 code of each text; the declared language (or None) when a text is shorter
    than `min_chars` or the model is not confident."""
    fallback = list(declared) if declared is not None else [None] * len(texts)
    wanted = [i for i, text in enumerate(texts) if len(text) >= min_chars]
    found = classify_many([texts[i] for i in wanted])
    for i, (code, confidence) in zip(wanted, found, strict=True):
        if confidence >= MIN_CONFIDENCE:
            fallback[i] = code
    return fallback


def detect(text: str, declared: str | None = None) -> str | None:
    """One text (see `detect_many`)."""
    return detect_many([text], [declared])[0]
