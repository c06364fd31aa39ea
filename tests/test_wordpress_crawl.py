"""Crawling the real WordPress: the Done-when of issues 9 and 10, per theme and REST mode.

Each case (site x theme x REST API on/off) is crawled and processed once per session
through the CLI (`wordpress_crawls`) and scored against the site's own truth
(tests/wordpress/score.py); every rate is over the site's own posts and comments, so a
missing one counts as wrong. `python -m tests.wordpress.score --details` shows the figures.
"""

from __future__ import annotations

import pytest

from tests.wordpress.fixtures import SUITE_CASES
from tests.wordpress.score import Case, CrawlOutput, Score, details

# The first test waits for the session's 14 crawls (about 3 minutes on 2 cores).
pytestmark = [pytest.mark.wordpress, pytest.mark.slow, pytest.mark.timeout(1800)]


def _cases(selected: list[Case] | None = None) -> list[pytest.param]:
    return [pytest.param(c, id=c.name) for c in (selected or SUITE_CASES)]


def _score(crawls: dict[Case, tuple[CrawlOutput, Score]], case: Case) -> Score:
    return crawls[case][1]


@pytest.mark.parametrize("case", _cases())
def test_crawl_and_process_exit_cleanly(wordpress_crawls: dict, case: Case) -> None:
    assert _score(wordpress_crawls, case).error is None


@pytest.mark.parametrize("case", _cases())
def test_every_published_post_is_archived_once_and_nothing_else(wordpress_crawls: dict,
                                                                case: Case) -> None:
    s = _score(wordpress_crawls, case)
    assert s.every_post_once, details(s)


@pytest.mark.parametrize("case", _cases())
def test_titles_are_exact_for_99_percent_of_articles(wordpress_crawls: dict,
                                                    case: Case) -> None:
    s = _score(wordpress_crawls, case)
    assert s.title_exact >= 0.99, details(s)


@pytest.mark.parametrize("case", _cases())
def test_authors_are_exact_for_99_percent_of_articles(wordpress_crawls: dict,
                                                     case: Case) -> None:
    s = _score(wordpress_crawls, case)
    assert s.authors_exact >= 0.99, details(s)


@pytest.mark.parametrize("case", _cases())
def test_published_times_are_exact_in_utc_for_99_percent_of_articles(wordpress_crawls: dict,
                                                                    case: Case) -> None:
    s = _score(wordpress_crawls, case)
    assert s.published_exact >= 0.99, details(s)


@pytest.mark.parametrize("case", _cases())
def test_body_token_f1_is_at_least_0_98(wordpress_crawls: dict, case: Case) -> None:
    s = _score(wordpress_crawls, case)
    assert s.body_f1 >= 0.98, details(s)


@pytest.mark.parametrize("case", _cases())
def test_every_article_holds_all_its_text_also_when_split_over_pages(wordpress_crawls: dict,
                                                                     case: Case) -> None:
    s = _score(wordpress_crawls, case)
    assert s.body_f1_least >= 0.9, details(s)


@pytest.mark.parametrize("case", _cases())
def test_comment_recall_is_at_least_0_99(wordpress_crawls: dict, case: Case) -> None:
    s = _score(wordpress_crawls, case)
    assert s.comment_recall >= 0.99, details(s)


@pytest.mark.parametrize("case", _cases())
def test_comment_thread_parents_are_right_for_99_percent(wordpress_crawls: dict,
                                                        case: Case) -> None:
    s = _score(wordpress_crawls, case)
    assert s.parent_exact >= 0.99, details(s)


@pytest.mark.parametrize("case", _cases())
def test_comment_times_are_exact_in_utc_for_99_percent(wordpress_crawls: dict,
                                                      case: Case) -> None:
    s = _score(wordpress_crawls, case)
    assert s.comment_time_exact >= 0.99, details(s)


@pytest.mark.parametrize("case", _cases())
def test_comment_authors_are_exact_for_99_percent(wordpress_crawls: dict, case: Case) -> None:
    s = _score(wordpress_crawls, case)
    assert s.comment_author_exact >= 0.99, details(s)


@pytest.mark.parametrize("case", _cases())
def test_no_pending_spam_or_protected_post_comment_is_archived(wordpress_crawls: dict,
                                                              case: Case) -> None:
    assert _score(wordpress_crawls, case).comments_forbidden == 0


@pytest.mark.parametrize("case", _cases([c for c in SUITE_CASES if c.rest == "off"
                                         and Case(c.site, c.theme, "on") in SUITE_CASES]))
def test_rest_api_on_and_off_give_the_same_comment_rows(wordpress_crawls: dict,
                                                        case: Case) -> None:
    s = _score(wordpress_crawls, case)
    assert s.same_rows, details(s)
