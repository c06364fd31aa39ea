"""(b) Extraction on one core, on real pages: `extract_page` beside trafilatura.

The pages are the 966 real news and blog pages of `../shared/corpora/dragnet-train/` (the
real-page quality gate's corpus, `tests/quality`). Both extractors read the same bytes in
the same process, one after the other; trafilatura is asked for what `extract_page` gives
(main text, comments and metadata: `include_comments=True, with_metadata=True`, JSON), and
also for its main text alone. The figure that matters is pages per CPU-second, which does
not depend on what else the machine runs.
"""

from __future__ import annotations

import time
import warnings
from datetime import UTC, datetime
from typing import Any

from crawler.extraction import PageContext, extract_page
from tests.quality.corpus import gold_pages, missing_reason

FETCHED_AT = datetime(2013, 1, 1, tzinfo=UTC)


def _timed(pages: list[tuple[str, bytes]], read: Any) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    for url, html in pages:
        read(url, html)
    return time.perf_counter() - wall, time.process_time() - cpu


def measure(limit: int) -> dict[str, Any]:
    import trafilatura

    reason = missing_reason()
    if reason:
        raise SystemExit(f"extraction benchmark: {reason}")
    warnings.filterwarnings("ignore")
    pages = [(p.url, p.html()) for p in gold_pages()][:limit or None]
    size = sum(len(html) for _, html in pages)
    readers = {  # every page is from another site: nothing learnt on one is used on the next
        "extract_page": lambda url, html: extract_page(html, url, PageContext(
            fetched_at=FETCHED_AT)),
        "trafilatura_full": lambda url, html: trafilatura.extract(
            html, url=url, include_comments=True, with_metadata=True, output_format="json"),
        "trafilatura_body": lambda url, html: trafilatura.extract(
            html, url=url, include_comments=False),
    }
    for read in readers.values():
        read(*pages[0])  # imports and caches warmed up
    figures: dict[str, Any] = {"pages": len(pages), "mean_page_kb": round(size / len(pages) / 1024)}
    for name, read in readers.items():
        wall, cpu = _timed(pages, read)
        figures[name] = {"per_second": round(len(pages) / wall, 1),
                         "per_cpu_second": round(len(pages) / cpu, 1)}
    figures["ratio_cpu"] = round(figures["extract_page"]["per_cpu_second"]
                                 / figures["trafilatura_full"]["per_cpu_second"], 2)
    figures["trafilatura_options"] = "include_comments=True, with_metadata=True, json"
    return figures
