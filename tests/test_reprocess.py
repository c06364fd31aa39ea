"""`pressarchive reprocess`: archived WARC responses re-extracted with no network."""

from __future__ import annotations

from pathlib import Path

import pytest

from archive.layout import DataDir
from archive.process import Archive, process
from archive.reprocess import reprocess, warc_responses
from crawler.rawzone import read_items
from crawler.runner import crawl
from crawler.siteconfig import SiteConfig
from sample_site.generate import build_site
from sample_site.server import SiteServer

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module", params=[True, False], ids=["rest", "html"])
def crawled(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
            ) -> tuple[DataDir, str]:
    site = build_site("classic", n_articles=4, seed=9, comments_per_page=3,
                      rest_api=request.param)
    data = DataDir.at(tmp_path_factory.mktemp("data"))
    with SiteServer(site) as server:
        config = SiteConfig(name="fixture", start_urls=[f"{server.base_url}/"],
                            download_delay=0, concurrency=4)
        result = crawl(config, data, "run1", settings={"AUTOTHROTTLE_ENABLED": False})
    process(data, runs=[result.run_id])
    return data, result.run_id


def _rows(data: DataDir, entity: str) -> list[dict]:
    archive = Archive.open(data)
    store = archive.articles if entity == "articles" else archive.comments
    return store.dataset().to_table().to_pylist()


def _ids(data: DataDir) -> tuple[set[str], set[str]]:
    return ({r["article_id"] for r in _rows(data, "articles")},
            {r["comment_id"] for r in _rows(data, "comments")})


def test_every_response_is_in_the_warc(crawled: tuple[DataDir, str]) -> None:
    data, run_id = crawled
    urls = [r.url for site in data.raw_sites(run_id) for r in warc_responses(site)]
    assert any(u.endswith("/robots.txt") for u in urls)
    assert any("/2019/" in u or "/2020/" in u or "/2018/" in u or "wp-json" in u for u in urls)


def test_reprocess_rebuilds_the_same_records_offline(crawled: tuple[DataDir, str]) -> None:
    data, run_id = crawled
    articles, comments = _ids(data)
    figures = reprocess(data, run_id=run_id)
    assert figures["records"] >= len(articles) + len(comments)
    process(data, runs=[figures["run_id"]])
    assert _ids(data) == (articles, comments)


def test_reprocessed_records_keep_the_original_fetch_times(crawled: tuple[DataDir, str]
                                                           ) -> None:
    data, run_id = crawled
    before = {r["article_id"]: r["first_seen_at"] for r in _rows(data, "articles")}
    process(data, runs=[reprocess(data, run_id=run_id)["run_id"]])
    assert {r["article_id"]: r["first_seen_at"] for r in _rows(data, "articles")} == before


def test_a_warc_cut_short_by_a_kill_is_read_up_to_the_damage(tmp_path: Path) -> None:
    from io import BytesIO

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    site_dir = tmp_path / "site=x"
    site_dir.mkdir()
    path = site_dir / "responses-1.warc.gz"
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        for number in (1, 2):
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")],
                                       protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                f"https://x.example/{number}/", "response", http_headers=headers,
                payload=BytesIO(b"<html><p>" + b"word " * 2000 + b"</p></html>")))
    whole = path.read_bytes()
    path.write_bytes(whole[:len(whole) - 300])
    assert [r.url for r in warc_responses(site_dir)] == ["https://x.example/1/"]


@pytest.fixture(scope="module")
def crawled_with_site_file(tmp_path_factory: pytest.TempPathFactory
                           ) -> tuple[DataDir, str, SiteConfig]:
    """A site whose comments give only local wall times ("On <date> @ 1:26 pm"), crawled
    with a site file that names the zone those times are in."""
    site = build_site("print", n_articles=2, seed=9, rest_api=False, timezone="Asia/Tokyo")
    data = DataDir.at(tmp_path_factory.mktemp("site-file"))
    with SiteServer(site) as server:
        config = SiteConfig(name="tokyo", start_urls=[f"{server.base_url}/"],
                            timezone="Asia/Tokyo", discovery=["sitemap"], download_delay=0,
                            concurrency=4)
        result = crawl(config, data, "run1", settings={"AUTOTHROTTLE_ENABLED": False})
    return data, result.run_id, config


def _comment_times(data: DataDir, run_id: str) -> dict[str, tuple[str, str, str]]:
    return {r["comment_id"]: (r["published_at"], r["timezone"], r["timezone_source"])
            for site in data.raw_sites(run_id) for r in read_items(site)
            if r["type"] == "comment"}


def test_reprocess_reads_a_site_with_its_site_file_as_the_crawl_did(
        crawled_with_site_file: tuple[DataDir, str, SiteConfig]) -> None:
    data, run_id, config = crawled_with_site_file
    crawled = _comment_times(data, run_id)
    again = _comment_times(data, reprocess(data, run_id=run_id, sites=[config])["run_id"])
    assert crawled and again == crawled
    assert {zone for _, zone, _ in again.values()} == {"Asia/Tokyo"}
    assert {source for _, _, source in again.values()} == {"site_file"}


def test_reprocess_without_the_site_file_keeps_the_zone_the_run_decided(
        crawled_with_site_file: tuple[DataDir, str, SiteConfig]) -> None:
    data, run_id, _ = crawled_with_site_file
    assert _comment_times(data, reprocess(data, run_id=run_id)["run_id"]) == (
        _comment_times(data, run_id))
