"""Resuming a crawl under the same run id, after a kill (SIGKILL: the JOBDIR is not
trusted, the raw zone is) and after a clean stop (SIGTERM: the JOBDIR is reused), with
the REST API and on the HTML path: the run ends with exactly the records of an
uninterrupted crawl, none twice, in the raw zone and in the processed archive."""

from __future__ import annotations

import signal
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from warcio.archiveiterator import ArchiveIterator

from archive.layout import DataDir
from archive.process import Archive, process
from crawler.main import CLEAN_STOP_MARKER
from sample_site.generate import build_site
from sample_site.server import CanaryServer, RequestRecord, SiteServer
from tests.crawl_support import (
    RUN_ID,
    SITE_NAME,
    Crawl,
    duplicates,
    in_parallel,
    interrupt_after,
    run_crawl,
    sent_by,
    served,
    start_crawl,
)

pytestmark = pytest.mark.slow

# Slow enough to be interrupted midway, at a request count the crawl always reaches.
PACE: dict[str, Any] = {"download_delay": 0.03, "concurrency": 2}
INTERRUPT_AT = 8
SCENARIOS = [(signum, rest) for signum in (signal.SIGKILL, signal.SIGTERM)
             for rest in (True, False)]
IDS = [f"{signal.Signals(s).name}-{'rest' if rest else 'html'}" for s, rest in SCENARIOS]


@dataclass
class Resumed:
    reference: Crawl
    exit_code: int
    first_session: list[RequestRecord]
    job_dir_kept: bool
    resumed: Crawl


def keys(crawl: Crawl) -> set[tuple[str, ...]]:
    """Every record's identity, with the article id spelled as its path (two servers of the
    same site would give different ids, one server gives the same)."""
    paths = {a["article_id"]: crawl.path_of(a["url"]) for a in crawl.articles}
    found = {("article", p) for p in paths.values()}
    for comment in crawl.comments:
        source = comment["comment_id"].removeprefix(comment["article_id"])
        found.add(("comment", paths[comment["article_id"]], source))
    return found


def agent(label: str) -> str:
    return f"pressarchive-test/{label} (+https://example.org/{label})"


def interrupted_run(server: SiteServer, canary: CanaryServer, data: DataDir, signum: int,
                    **options: Any) -> tuple[int, list[RequestRecord], bool, Crawl]:
    """Crawl, interrupt with `signum` midway, resume: (exit status, requests of the first
    session, whether its job dir was kept, the resumed crawl)."""
    user_agent = agent(signal.Signals(signum).name)
    crawl = start_crawl(server, data, user_agent=user_agent, **options)
    code = interrupt_after(crawl, server, requests=INTERRUPT_AT, user_agent=user_agent,
                           signum=signum)
    first = sent_by(server.requests, user_agent)
    kept = (data.job_dir(RUN_ID, SITE_NAME) / CLEAN_STOP_MARKER).exists()
    resumed = run_crawl(server, canary, data, user_agent=user_agent, **options)
    return code, first, kept, resumed


def scenarios(data: Path, rest: bool) -> dict[int, Resumed]:
    """An uninterrupted crawl, and one killed and one stopped, each then resumed: side by
    side on one server (each crawl known by its User-Agent), so all see the same URLs."""
    site = build_site("structured" if rest else "classic", n_articles=4, comments_per_page=2,
                      rest_api=rest)
    options = dict(PACE, discovery=["rest", "sitemap"] if rest else ["sitemap"])
    signums = (signal.SIGKILL, signal.SIGTERM)
    with served(site) as (server, canary):
        reference, *interrupted = in_parallel(
            lambda: run_crawl(server, canary, data / "reference", user_agent=agent("reference"),
                              **options),
            *(lambda s=s: interrupted_run(server, canary, DataDir.at(data / s.name), s,
                                          **options) for s in signums))
    return {signum: Resumed(reference, *result)
            for signum, result in zip(signums, interrupted, strict=True)}


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[int, bool], Resumed]:
    dirs = {rest: tmp_path_factory.mktemp(f"resume-{rest}") for rest in (True, False)}
    results = in_parallel(*(lambda r=r: scenarios(dirs[r], r) for r in (True, False)))
    return {(signum, rest): outcome for rest, found in zip((True, False), results, strict=True)
            for signum, outcome in found.items()}


@pytest.fixture(params=SCENARIOS, ids=IDS)
def outcome(request: pytest.FixtureRequest,
            outcomes: dict[tuple[int, bool], Resumed]) -> Resumed:
    result = outcomes[request.param]
    assert result.reference.error is None and result.resumed.error is None
    return result


def test_the_crawl_was_interrupted_midway(outcome: Resumed) -> None:
    assert outcome.exit_code in (-signal.SIGKILL, 3)  # 3: stopped cleanly, not finished
    reference_requests = len(outcome.reference.requests)
    assert INTERRUPT_AT <= len(outcome.first_session) < reference_requests


def test_the_resumed_run_holds_exactly_the_records_of_an_uninterrupted_crawl(
        outcome: Resumed) -> None:
    assert keys(outcome.resumed) == keys(outcome.reference)
    required = {("article", a.path) for a in outcome.resumed.site.required_articles}
    assert {k for k in keys(outcome.resumed) if k[0] == "article"} == required


def test_the_resumed_run_holds_every_comment_of_the_site(outcome: Resumed) -> None:
    """Against the site's own list of comments, not only against another crawl."""
    site = outcome.resumed.site
    truth = sorted(str(c.comment_id) for a in site.required_articles for c in a.comments)
    assert sorted(c["source_id"] for c in outcome.resumed.comments) == truth


def test_no_record_is_in_the_raw_zone_twice(outcome: Resumed) -> None:
    resumed = outcome.resumed
    assert duplicates([a["article_id"] for a in resumed.articles]) == {}
    assert duplicates([c["comment_id"] for c in resumed.comments]) == {}
    assert duplicates([d["article_id"] for d in resumed.of_type("done")]) == {}


def test_the_processed_archive_has_one_row_per_record(outcome: Resumed) -> None:
    data = outcome.resumed.data
    process(data)
    archive = Archive.open(data)
    articles = archive.articles.dataset().to_table().to_pylist()
    comments = archive.comments.dataset().to_table().to_pylist()
    assert duplicates([a["article_id"] for a in articles]) == {}
    assert duplicates([c["comment_id"] for c in comments]) == {}
    assert len(articles) == len(outcome.reference.articles)
    assert len(comments) == len(outcome.reference.comments)


def test_the_run_report_covers_both_sessions(outcome: Resumed) -> None:
    report = outcome.resumed.report
    counts = report["counts"]
    assert counts["articles"] == len(outcome.reference.articles)
    assert counts["comments"] == len(outcome.reference.comments)
    assert report["finish_reason"] == "finished"
    if outcome.exit_code == -signal.SIGKILL:
        assert len(report["killed_sessions"]) == 1 and len(report["sessions"]) == 1
    else:
        assert [s["finish_reason"] for s in report["sessions"]] == ["shutdown", "finished"]
        assert report["killed_sessions"] == []


def test_a_killed_crawl_starts_over_without_its_job_dir(outcomes: dict) -> None:
    for rest in (True, False):
        outcome: Resumed = outcomes[(signal.SIGKILL, rest)]
        assert not outcome.job_dir_kept
        assert "resume/from_jobdir" not in outcome.resumed.stats


def test_a_cleanly_stopped_crawl_resumes_from_its_job_dir(outcomes: dict) -> None:
    for rest in (True, False):
        outcome: Resumed = outcomes[(signal.SIGTERM, rest)]
        assert outcome.job_dir_kept
        assert outcome.resumed.stats["resume/from_jobdir"] == 1
        assert "Resuming crawl" in outcome.resumed.log()


def test_a_clean_stop_does_not_fetch_archived_pages_again(outcomes: dict) -> None:
    for rest in (True, False):
        outcome: Resumed = outcomes[(signal.SIGTERM, rest)]
        article_paths = {a.path for a in outcome.resumed.site.required_articles}
        before = {r.path for r in outcome.first_session
                  if r.path in article_paths and r.status == 200}
        again = {r.path for r in outcome.resumed.requests if r.path in article_paths}
        assert before & again == set()


def test_every_session_leaves_whole_warc_records(outcome: Resumed) -> None:
    resumed = outcome.resumed
    site_dir = resumed.data.raw_site(resumed.run_id, resumed.config.name)
    sessions = sorted(site_dir.glob("responses-*.warc.gz"))
    assert len(sessions) == 2
    responses = []
    for path in sessions:
        with path.open("rb") as stream:
            responses += [r.rec_headers.get_header("WARC-Target-URI")
                          for r in ArchiveIterator(stream) if r.rec_type == "response"]
    assert len(responses) >= len(outcome.reference.articles)
