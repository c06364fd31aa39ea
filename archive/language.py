"""Language detection with py3langid, whose model ships inside the package (no download)."""

from __future__ import annotations

from functools import lru_cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

MIN_CHARS = 40
MIN_CONFIDENCE = 0.8
SAMPLE_CHARS = 1000  # enough to tell a language; the cost grows with the length


@lru_cache(maxsize=1)
def _identifier() -> LanguageIdentifier:
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect(text: str, declared: str | None = None) -> str | None:
    """ISO 639-1 code of `text`; the declared language when the text is too short to tell."""
    if len(text) >= MIN_CHARS:
        code, confidence = _identifier().classify(text[:SAMPLE_CHARS])
        if confidence >= MIN_CONFIDENCE:
            return code
    return declared
