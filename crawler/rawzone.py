"""The raw zone of one crawl run: append-only JSON lines of extracted records
(`items-<session>.jsonl`) and of the crawl's progress (`pages-<session>.jsonl`).

A line is written and flushed per record, so a killed crawl leaves at most one partial
last line, which readers skip and count. Files are never rewritten: a resumed run appends
to a new session file beside the old ones.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from archive.layout import DataDir

if TYPE_CHECKING:  # Scrapy costs half a second to import: `process` never needs it
    from scrapy.settings import BaseSettings

logger = logging.getLogger(__name__)
SUCCESS_MARKER = "_SUCCESS"
COMPLETE_REASONS = frozenset({"finished", "closespider_pagecount"})
"""Scrapy finish reasons of a crawl that did all it was meant to (the page budget included)."""


@dataclass
class RawReadStats:
    lines: int = 0
    broken_lines: int = 0
    files: list[str] = field(default_factory=list)


def item_files(run_dir: Path) -> list[Path]:
    return sorted(run_dir.glob("items-*.jsonl"))


def page_files(run_dir: Path) -> list[Path]:
    """The crawl's progress: one `page` record per page of an article read completely."""
    return sorted(run_dir.glob("pages-*.jsonl"))


def read_items(run_dir: Path, stats: RawReadStats | None = None) -> Iterator[dict[str, Any]]:
    """Every record of a run, in write order; a broken (truncated) line is skipped."""
    yield from _read(item_files(run_dir), stats)


def read_pages(run_dir: Path) -> Iterator[dict[str, Any]]:
    """Every `page` record of a run, in write order (see `crawler.items.PageReadItem`)."""
    yield from _read(page_files(run_dir), None)


def _read(paths: list[Path], stats: RawReadStats | None) -> Iterator[dict[str, Any]]:
    stats = stats if stats is not None else RawReadStats()
    for path in paths:
        stats.files.append(path.name)
        with path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError:
                    stats.broken_lines += 1
                    logger.warning("%s:%d: skipping a truncated record", path, number)
                    continue
                stats.lines += 1
                yield record


def session_of(path: Path) -> str:
    """The crawl session that wrote a raw zone file (`items-<session>.jsonl`)."""
    return path.name.removeprefix("items-").removesuffix(".jsonl")


class RawItemWriter:
    """Appends records to `items-<session>.jsonl` of a run, one line per `write` call.

    Each line goes to the file in one unbuffered write, so a kill leaves whole lines
    behind (a line cut short could only come from a full disk or a crash of the host).
    """

    def __init__(self, run_dir: Path, session: str, kind: str = "items") -> None:
        run_dir.mkdir(parents=True, exist_ok=True)
        self.path = run_dir / f"{kind}-{session}.jsonl"
        self._handle: BinaryIO = self.path.open("ab", buffering=0)

    def write(self, record: dict[str, Any]) -> None:
        line = (json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")
        view = memoryview(line)
        while view:
            written = self._handle.write(view)
            if not written:
                raise OSError(f"cannot append to {self.path}")
            view = view[written:]

    def close(self) -> None:
        self._handle.close()


def is_complete(run_dir: Path) -> bool:
    return (run_dir / SUCCESS_MARKER).exists()


def site_run_dir(settings: BaseSettings) -> Path | None:
    """This crawl's raw zone directory, from the PRESSARCHIVE_* settings."""
    data, run_id, site = (settings.get("PRESSARCHIVE_DATA"), settings.get("PRESSARCHIVE_RUN_ID"),
                          settings.get("PRESSARCHIVE_SITE_NAME"))
    if not (data and run_id and site):
        return None
    return DataDir.at(data).raw_site(run_id, site)
