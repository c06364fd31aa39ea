"""`crawler.main`: the JOBDIR of a run is reused after a clean stop, discarded after a kill,
and private to the crawling user; the settings a site file gives the crawl."""

from __future__ import annotations

import stat
from pathlib import Path

from archive.layout import DataDir
from crawler.main import CLEAN_STOP_MARKER, build_settings, prepare_job_dir
from crawler.siteconfig import SiteConfig


def test_a_job_dir_left_by_a_kill_is_discarded(tmp_path: Path) -> None:
    job = tmp_path / "job"
    (job / "requests.queue").mkdir(parents=True)
    prepare_job_dir(job)
    assert list(job.iterdir()) == []


def test_a_job_dir_left_by_a_clean_stop_is_reused_once(tmp_path: Path) -> None:
    job = tmp_path / "job"
    (job / "requests.queue").mkdir(parents=True)
    (job / CLEAN_STOP_MARKER).write_text("shutdown")
    prepare_job_dir(job)
    assert [p.name for p in job.iterdir()] == ["requests.queue"]
    prepare_job_dir(job)  # a kill during the resumed session: not trusted any more
    assert list(job.iterdir()) == []


def test_the_job_dir_is_private(tmp_path: Path) -> None:
    job = prepare_job_dir(tmp_path / "job")
    assert stat.S_IMODE(job.stat().st_mode) == 0o700


def test_site_settings_reach_scrapy(tmp_path: Path) -> None:
    site = SiteConfig(name="ledger", start_urls=["https://ledger.test/"], max_pages=50,
                      download_delay=2.5, concurrency=1, pattern_cap=9,
                      private_hosts=["intranet.test"])
    settings = build_settings(site, DataDir.at(tmp_path), "run-1", session="s", progress=False,
                              overrides={"DOWNLOAD_TIMEOUT": 5})
    assert settings.getint("CLOSESPIDER_PAGECOUNT") == 50
    assert settings.getint("PRESSARCHIVE_MAX_PAGES") == 50
    assert settings.getfloat("DOWNLOAD_DELAY") == 2.5
    assert settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") == 1
    assert settings.getint("PRESSARCHIVE_PATTERN_CAP") == 9
    assert sorted(settings.getlist("PRESSARCHIVE_PRIVATE_HOSTS")) == ["intranet.test",
                                                                     "ledger.test"]
    assert settings.getint("DOWNLOAD_TIMEOUT") == 5


def test_the_project_settings_are_safe_by_default(tmp_path: Path) -> None:
    site = SiteConfig(name="ledger", start_urls=["https://ledger.test/"])
    settings = build_settings(site, DataDir.at(tmp_path), "run-1", session="s", progress=False,
                              overrides={})
    handlers = settings.getdict("DOWNLOAD_HANDLERS")
    assert all(handlers[scheme] is None for scheme in ("file", "data", "ftp", "s3"))
    assert not settings.getbool("TELNETCONSOLE_ENABLED")
    assert not settings.getbool("REMOTE_CONTROL_ENABLED")
    assert not settings.getbool("COOKIES_ENABLED")
    assert settings.getbool("ROBOTSTXT_OBEY")
    assert settings.getbool("DOWNLOAD_FAIL_ON_DATALOSS")
    assert 0 < settings.getint("DOWNLOAD_MAXSIZE") <= 32 * 1024 * 1024
    assert 0 < settings.getint("DOWNLOAD_TIMEOUT") <= 60
    assert 0 < settings.getint("DNS_TIMEOUT") <= 30
    assert 0 < settings.getint("REDIRECT_MAX_TIMES") <= 10
    assert settings.getint("URLLENGTH_LIMIT") == 2083
    assert settings.get("TWISTED_DNS_RESOLVER") == "crawler.middlewares.safety.GuardedResolver"
