"""What the real-Airflow suites check in an archive: every record of the fixture sites, once."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pyarrow.dataset as ds

from sample_site.model import Site


def rows(data: Path, entity: str) -> list[dict[str, Any]]:
    return ds.dataset(data / "parquet" / entity, partitioning="hive").to_table().to_pylist()


def report(data: Path, run_id: str) -> dict[str, Any]:
    from crawler.runner import safe_run_id

    return dict(json.loads((data / "runs" / f"{safe_run_id(run_id)}.json").read_text()))


def assert_archive_holds(data: Path, sites: dict[str, Site]) -> None:
    """Every article and comment of each site (keyed by its base URL) once, nothing else."""
    articles, comments = rows(data, "articles"), rows(data, "comments")
    assert Counter(a["article_id"] for a in articles).most_common(1)[0][1] == 1
    assert Counter(c["comment_id"] for c in comments).most_common(1)[0][1] == 1
    by_host = {urlsplit(base).netloc: site for base, site in sites.items()}
    assert {urlsplit(a["url"]).netloc for a in articles} == set(by_host)
    for host, site in by_host.items():
        mine = [a for a in articles if urlsplit(a["url"]).netloc == host]
        assert {urlsplit(a["url"]).path for a in mine} == {a.path for a in site.articles}
        assert len(mine) == len(site.articles)
        ids = {a["article_id"] for a in mine}
        assert sum(c["article_id"] in ids for c in comments) == sum(
            len(a.comments) for a in site.articles)
    assert len(comments) == sum(len(a.comments) for s in sites.values() for a in s.articles)
