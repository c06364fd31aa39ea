"""`crawler.siteconfig`: site files are validated when loaded, errors name the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.siteconfig import SiteConfigError, load_site, load_sites, site_from_urls


def write(tmp_path: Path, text: str, name: str = "ledger.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_minimal_file_gets_polite_defaults(tmp_path: Path) -> None:
    site = load_site(write(tmp_path, "start_urls: ['https://www.ledger.test/news/']\n"))
    assert site.name == "ledger"
    assert site.allowed_domains == ["www.ledger.test"]
    assert site.discovery == ["rest", "sitemap", "feed", "links"]
    assert site.download_delay >= 1 and site.concurrency <= 2
    assert "pressarchive" in site.user_agent and "+http" in site.user_agent


@pytest.mark.parametrize(("text", "field"), [
    ("start_urls: ['ftp://ledger.test/']\n", "start_urls"),
    ("start_urls: ['file:///etc/passwd']\n", "start_urls"),
    ("start_urls: []\n", "start_urls"),
    ("start_urls: ['https://l.test/']\ntimezone: Mars/Olympus\n", "timezone"),
    ("start_urls: ['https://l.test/']\ndiscovery: [rss]\n", "discovery.0"),
    ("start_urls: ['https://l.test/']\nmax_pages: 0\n", "max_pages"),
    ("start_urls: ['https://l.test/']\ndownload_delay: -1\n", "download_delay"),
    ("start_urls: ['https://l.test/']\npattern_cp: 3\n", "pattern_cp"),
    ("start_urls: ['https://l.test/']\ndisqus_api_url: 'file:///etc/'\n", "disqus_api_url"),
    ("start_urls: ['https://l.test/']\nquery_keep: ['a=b']\n", "query_keep"),
    ("start_urls: ['https://l.test/']\nquery_drop: ['']\n", "query_drop"),
])
def test_a_bad_file_is_refused_with_the_field_named(tmp_path: Path, text: str,
                                                    field: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(SiteConfigError, match=f"{path}: {field}"):
        load_site(path)


def test_a_file_that_is_not_a_mapping_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SiteConfigError, match="mapping"):
        load_site(write(tmp_path, "- just\n- a list\n"))


def test_a_bare_url_is_a_site(tmp_path: Path) -> None:
    site = site_from_urls(["https://www.ledger.test/"])
    assert site.name == "ledger.test" and site.start_hosts == {"www.ledger.test"}


def test_a_directory_of_sites_loads_in_name_order(tmp_path: Path) -> None:
    write(tmp_path, "start_urls: ['https://b.test/']\n", "b.yaml")
    write(tmp_path, "start_urls: ['https://a.test/']\n", "a.yml")
    assert [s.name for s in load_sites(tmp_path)] == ["a", "b"]


def test_a_site_file_names_query_parameters_to_keep_and_to_drop(tmp_path: Path) -> None:
    site = load_site(write(tmp_path, "start_urls: ['https://l.test/']\n"
                                     "query_keep: [SID, ref]\nquery_drop: [sort]\n"))
    assert site.query_rules.keeps("sid", "a1b2c3d4e5f6a7b8c9d0e1f2")
    assert site.query_rules.keeps("ref", "home")
    assert not site.query_rules.keeps("sort", "new")
    assert not site.query_rules.keeps("utm_source", "x")


@pytest.mark.parametrize(("text", "message"), [
    ("query_keep: [sid]\nquery_drop: [SID]\n", "query_keep and query_drop both name: sid"),
    ("query_allowlist: [page]\nquery_keep: [p]\n",
     "query_keep names parameters that query_allowlist drops: p"),
])
def test_contradictory_query_rules_are_refused(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(SiteConfigError, match=message):
        load_site(write(tmp_path, "start_urls: ['https://l.test/']\n" + text))
