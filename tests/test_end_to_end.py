"""`pressarchive run` on the bundled sample site, checked against the seed article."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.dataset as ds
import pytest

from archive.layout import DataDir
from archive.process import Archive
from sample_site.seed import seed_article
from sample_site.server import SiteServer
from tests.conftest import run_cli

pytestmark = pytest.mark.slow
SEED = seed_article()
TZ = "America/New_York"


@pytest.fixture(scope="module")
def archived(bundled_server: SiteServer, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory after one `pressarchive run` of the bundled site."""
    data = tmp_path_factory.mktemp("data")
    site = data / "sample.yaml"
    site.write_text(f"name: sample\nstart_urls: ['{bundled_server.base_url}/']\n"
                    "download_delay: 0\nconcurrency: 4\n")
    run_cli("run", "--site", site, "--data", data)
    return data


def _rows(data: Path, entity: str) -> list[dict]:
    archive = Archive.open(DataDir.at(data))
    store = archive.articles if entity == "articles" else archive.comments
    return store.dataset().to_table().to_pylist()


def _seed_row(data: Path) -> dict:
    return next(r for r in _rows(data, "articles") if r["title"] == SEED.title)


def test_seed_article_has_its_title_author_and_utc_time(archived: Path) -> None:
    row = _seed_row(archived)
    assert row["authors"] == list(SEED.authors)
    assert row["published_at"] == SEED.published_utc(TZ)
    assert row["published_at"].isoformat() == "2019-02-11T05:01:00+00:00"
    assert row["url"].endswith(SEED.path)


def test_seed_article_text_is_the_seed_text(archived: Path) -> None:
    assert " ".join(_seed_row(archived)["text"].split()) == " ".join(SEED.text.split())


def test_seed_comments_keep_authors_order_and_utc_times(archived: Path) -> None:
    article_id = _seed_row(archived)["article_id"]
    comments = sorted((c for c in _rows(archived, "comments") if c["article_id"] == article_id),
                      key=lambda c: c["position"])
    assert [c["author"] for c in comments] == [c.author for c in SEED.comments]
    assert [c["published_at"] for c in comments] == [c.published_utc(TZ) for c in SEED.comments]
    assert comments[0]["published_at"].isoformat() == "2019-02-11T18:26:00+00:00"
    assert [c["position"] for c in comments] == list(range(1, 12))
    assert all(c["article_title"] == SEED.title for c in comments)


def test_search_in_february_2019_finds_the_seed_article(archived: Path) -> None:
    found = run_cli("search", "history-making deal", "--from", "2019-02", "--to", "2019-02",
                    "--json", "--data", archived)
    hits = json.loads(found.stdout)["hits"]
    assert [h["title"] for h in hits] == [SEED.title]


def test_search_in_march_2019_does_not_find_it(archived: Path) -> None:
    found = run_cli("search", "history-making deal", "--from", "2019-03", "--to", "2019-03",
                    "--json", "--data", archived)
    assert json.loads(found.stdout)["hits"] == []


def test_a_second_run_adds_no_rows(archived: Path, bundled_server: SiteServer) -> None:
    before = {e: len(_rows(archived, e)) for e in ("articles", "comments")}
    run_cli("run", "--site", archived / "sample.yaml", "--data", archived)
    after = {e: len(_rows(archived, e)) for e in ("articles", "comments")}
    assert after == before
    ids = [r["comment_id"] for r in _rows(archived, "comments")]
    assert len(ids) == len(set(ids))


def test_archive_reads_as_a_hive_partitioned_dataset(archived: Path) -> None:
    dataset = ds.dataset(archived / "parquet" / "articles", partitioning="hive")
    assert {"site", "month"} <= set(dataset.schema.names)
    assert "2019-02" in set(dataset.to_table(columns=["month"]).column("month").to_pylist())
