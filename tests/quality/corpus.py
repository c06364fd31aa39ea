"""Real pages with human gold: `../shared/corpora/dragnet-train/` (see its README).

The pages are read where they lie, never copied into the repository; where the folder is
absent, `missing_reason` says so and the tests that need it skip.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORPORA = ROOT.parent / "shared" / "corpora"
DRAGNET = CORPORA / "dragnet-train"


@dataclass(frozen=True)
class GoldPage:
    id: str
    path: Path
    body: str
    comments: str | None

    @property
    def url(self) -> str:
        """The pages were saved without their address: a stand-in that no request can reach
        and whose shape says nothing about the page (no home page, no archive path)."""
        return f"https://dragnet.invalid/pages/{self.id}.html"

    def html(self) -> bytes:
        return gzip.decompress(self.path.read_bytes())


def missing_reason(folder: Path = DRAGNET) -> str | None:
    if not (folder / "gold.jsonl").is_file():
        return f"real-page corpus not found at {folder}"
    return None


def gold_pages(folder: Path = DRAGNET) -> Iterator[GoldPage]:
    with (folder / "gold.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            yield GoldPage(str(record["id"]), folder / record["html"], record["body"] or "",
                           record["comments"] or None)


def corpus_hash(folder: Path = DRAGNET) -> str:
    """Identity of the corpus: its gold file and the list of page files."""
    digest = hashlib.sha256((folder / "gold.jsonl").read_bytes())
    for path in sorted((folder / "pages").iterdir()):
        digest.update(path.name.encode())
        digest.update(str(path.stat().st_size).encode())
    return digest.hexdigest()[:16]
