"""(b) Extraction on one core: `crawler.extraction.extract_page` and trafilatura side by side.

Pages are rendered by the fixture sites' own themes (`sample_site`: classic WordPress
comment lists with nested replies, the seed's print layout, JSON-LD with microdata
comments), `PAGES` article pages per theme, each with all its comments. Both extractors
read the same HTML strings in the same process; trafilatura is asked for what
`extract_page` gives (main text, comments, metadata).
"""

from __future__ import annotations

import time
import warnings
from datetime import UTC, datetime
from typing import Any

from crawler.extraction import PageContext, extract_page
from sample_site.generate import build_site
from sample_site.model import THEMES
from sample_site.routes import Router

BASE_URL = "http://127.0.0.1:8000"


def pages(theme: str, count: int) -> list[tuple[str, str]]:
    """(url, html) of `count` article pages rendered by `theme`."""
    site = build_site(theme, n_articles=count, seed=11, include_seed_article=False)
    router = Router(site, BASE_URL)
    out = []
    for article in site.all_articles[:count]:
        response = router.handle("GET", article.path, {})
        out.append((BASE_URL + article.path, response.body.decode("utf-8")))
    return out


def _rate(count: int, seconds: float) -> float:
    return round(count / seconds, 1)


def measure(per_theme: int) -> dict[str, Any]:
    import trafilatura

    warnings.filterwarnings("ignore")
    fetched = datetime(2021, 6, 1, tzinfo=UTC)
    themes: dict[str, Any] = {}
    total = {"pages": 0, "bytes": 0, "ours": 0.0, "trafilatura": 0.0, "comments": 0,
             "ours_cpu": 0.0, "trafilatura_cpu": 0.0}
    for theme in THEMES:
        corpus = pages(theme, per_theme)
        size = sum(len(html) for _, html in corpus)
        extract_page(corpus[0][1], corpus[0][0], PageContext(fetched_at=fetched))  # warm up
        trafilatura.extract(corpus[0][1], url=corpus[0][0])
        mark, cpu = time.perf_counter(), time.process_time()
        comments = 0
        for url, html in corpus:
            comments += len(extract_page(html, url, PageContext(fetched_at=fetched)).comments)
        ours, ours_cpu = time.perf_counter() - mark, time.process_time() - cpu
        mark, cpu = time.perf_counter(), time.process_time()
        for url, html in corpus:
            trafilatura.extract(html, url=url, include_comments=True, with_metadata=True,
                                output_format="json")
        theirs, theirs_cpu = time.perf_counter() - mark, time.process_time() - cpu
        themes[theme] = {"pages": len(corpus), "mean_page_kb": round(size / len(corpus) / 1024),
                         "comments_found": comments,
                         "extract_page_per_second": _rate(len(corpus), ours),
                         "trafilatura_per_second": _rate(len(corpus), theirs),
                         "extract_page_per_cpu_second": _rate(len(corpus), ours_cpu),
                         "trafilatura_per_cpu_second": _rate(len(corpus), theirs_cpu)}
        for key, value in (("pages", len(corpus)), ("bytes", size), ("ours", ours),
                           ("trafilatura", theirs), ("comments", comments),
                           ("ours_cpu", ours_cpu), ("trafilatura_cpu", theirs_cpu)):
            total[key] += value
    return {"pages_per_theme": per_theme, "themes": themes,
            "extract_page_per_second": _rate(total["pages"], total["ours"]),
            "trafilatura_per_second": _rate(total["pages"], total["trafilatura"]),
            "extract_page_per_cpu_second": _rate(total["pages"], total["ours_cpu"]),
            "trafilatura_per_cpu_second": _rate(total["pages"], total["trafilatura_cpu"]),
            "pages": total["pages"], "comments_found": total["comments"],
            "trafilatura_options": "include_comments=True, with_metadata=True, json"}
