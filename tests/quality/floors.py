"""Pinned floors of the real-page gate, stored with the hash of the corpus they were met on."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.quality.table import Row

FLOORS = Path(__file__).resolve().parents[1] / "fixtures" / "quality_floors.json"
GATED = ("body_f1", "comments_f1")
"""Scores that may not fall below their floor (higher is better)."""
CAPPED = ("false_comment_pages", "comment_text_in_body", "empty_comment_records", "errors",
          "not_articles")
"""Counts and shares that may not rise above their pinned value (lower is better)."""


def load() -> dict[str, Any]:
    return json.loads(FLOORS.read_text()) if FLOORS.exists() else {"corpus": None, "floors": {}}


def pin(scores: Row, corpus: str, *, allow_lower: bool = False) -> list[str]:
    """Store `scores` as the floors; returns the names it refused to make worse."""
    old = load()["floors"]
    new = scores.to_dict()
    worse = [k for k in GATED if k in old and new[k] < old[k]]
    worse += [k for k in CAPPED if k in old and new[k] > old[k]]
    if worse and not allow_lower:
        return worse
    kept = {k: new[k] for k in (*GATED, *CAPPED)}
    FLOORS.write_text(json.dumps({"corpus": corpus, "floors": kept}, indent=2) + "\n")
    return []
