"""The command line: the contract other tools call (names, flags, JSON, exit status)."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from sample_site.generate import build_site
from sample_site.seed import seed_article
from sample_site.server import SiteServer
from tests.conftest import run_cli
from tests.pages import article_page
from tests.quality.corpus import CORPORA


@pytest.mark.parametrize("theme", ["classic", "print", "structured"])
def test_extract_prints_the_article_and_its_comments(theme: str, tmp_path: Path) -> None:
    site = build_site(theme, n_articles=2, seed=3)
    article = site.articles[0]
    page = article_page(site, article)
    saved = tmp_path / "page.html"
    saved.write_bytes(page.body)
    data = json.loads(run_cli("extract", saved, "--url", page.url).stdout)
    assert data["title"] == article.title
    assert data["authors"] == list(article.authors)
    assert data["published_at"] == article.published_utc(site.timezone).isoformat().replace(
        "+00:00", "Z")
    assert [c["author"] for c in data["comments"]] == [c.author for c in article.threaded()]
    assert {"author", "published_at", "text", "parent_id"} <= set(data["comments"][0])


def test_extract_reads_the_seed_page(tmp_path: Path) -> None:
    site = build_site("print", n_articles=0, seed=0)
    seed = seed_article()
    page = article_page(site, next(a for a in site.articles if a.title == seed.title))
    saved = tmp_path / "seed.html"
    saved.write_bytes(page.body)
    data = json.loads(run_cli("extract", saved, "--url", page.url).stdout)
    assert len(data["comments"]) == 11
    assert data["comments"][0]["published_at"] == "2019-02-11T18:26:00Z"


XML_DECLARED = CORPORA / "dragnet-train" / "pages" / "R468.html.gz"


@pytest.mark.skipif(not XML_DECLARED.exists(), reason="the dragnet-train corpus is not here")
def test_extract_reads_a_real_gzipped_page_that_declares_its_encoding_in_xml() -> None:
    data = json.loads(run_cli("extract", XML_DECLARED, "--url",
                              "https://example.com/r468").stdout)
    assert len(data["text"]) > 200


def test_a_page_extract_cannot_read_is_no_article_with_its_reason(tmp_path: Path) -> None:
    saved = tmp_path / "noise.html"
    saved.write_bytes(bytes(range(256)) * 8)
    data = json.loads(run_cli("extract", saved).stdout)
    assert data["comments"] == []
    assert data["page"]["is_article"] is False and data["page"]["reason"]


def test_missing_file_fails_with_one_line_and_status_1(tmp_path: Path) -> None:
    result = run_cli("extract", tmp_path / "nope.html", check=False)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    result = run_cli("--debug", "extract", tmp_path / "nope.html", check=False)
    assert result.returncode == 1 and "Traceback" in result.stderr


def test_unknown_flag_is_a_usage_error_with_status_2() -> None:
    assert run_cli("search", "x", "--frm", "2019", check=False).returncode == 2


def test_crawl_without_url_or_site_is_a_usage_error(tmp_path: Path) -> None:
    assert run_cli("crawl", "--data", tmp_path, check=False).returncode == 2


def test_bad_site_file_names_the_field(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nstart_urls: ['https://x.example/']\ntimezone: Mars/Olympus\n")
    result = run_cli("crawl", "--site", bad, "--data", tmp_path, check=False)
    assert result.returncode == 1
    assert "timezone" in result.stderr and "bad.yaml" in result.stderr


def test_search_on_an_empty_data_dir_finds_nothing(tmp_path: Path) -> None:
    result = run_cli("search", "anything", "--json", "--data", tmp_path)
    assert json.loads(result.stdout) == {"total": 0, "hits": [], "next": None}


def test_an_offset_past_the_search_window_is_a_usage_error_naming_the_cursor(
        tmp_path: Path) -> None:
    result = run_cli("search", "x", "--offset", "9995", "--data", tmp_path, check=False)
    assert result.returncode == 2 and "--after" in result.stderr


def test_process_with_nothing_to_do_succeeds(tmp_path: Path) -> None:
    assert run_cli("process", "--data", tmp_path).returncode == 0


def _serve_once(page: bytes) -> tuple[ThreadingHTTPServer, str]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = page if self.path == "/" else b"not here"
            self.send_response(200 if self.path == "/" else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}/"


def test_crawl_warns_when_no_timezone_can_be_found(tmp_path: Path) -> None:
    page = (b"<html><body><div class='post-content'><p>Posted By Ann On March 3, 2015 @ 9:12"
            b" pm</p><p>" + b"Words of the text. " * 30 + b"</p></div></body></html>")
    server, url = _serve_once(page)
    try:
        result = run_cli("crawl", url, "--data", tmp_path)
    finally:
        server.shutdown()
    assert "no timezone" in result.stderr and "read as UTC" in result.stderr


def test_crawl_of_a_site_with_its_own_dates_does_not_warn(
        tmp_path: Path, bundled_server: SiteServer, site_file: Callable[..., Path]) -> None:
    result = run_cli("crawl", "--site", site_file(bundled_server.base_url), "--data", tmp_path)
    assert "no timezone" not in result.stderr
