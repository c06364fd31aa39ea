"""`crawler.extensions.hosted_comments`: the run report's account of comments hosted by a
comment system, from the spider's reason-keyed stats, and the lines that say what to do."""

from __future__ import annotations

from crawler.extensions.hosted_comments import combine, hosted_comments, notes

STATS = {
    "comments/hosted/disqus": 3, "comments/not_archived/disqus/no_api_key": 3,
    "comments/hosted/isso": 2, "comments/archived/isso": 1,
    "comments/not_archived/isso/api_error": 1, "comments/api/isso/pages": 4,
    "comments/api/isso/skipped/deleted": 2, "comments/hosted/facebook": 1,
    "comments/not_archived/facebook/no_public_api": 1, "downloader/request_count": 9,
}


def test_each_system_counts_its_articles_the_archived_and_the_rest_by_reason() -> None:
    assert hosted_comments(STATS) == {
        "disqus": {"articles": 3, "archived": 0, "not_archived": {"no_api_key": 3}},
        "facebook": {"articles": 1, "archived": 0, "not_archived": {"no_public_api": 1}},
        "isso": {"articles": 2, "archived": 1, "not_archived": {"api_error": 1}},
    }


def test_the_sessions_of_a_run_add_up() -> None:
    one = hosted_comments({"comments/hosted/disqus": 1,
                           "comments/not_archived/disqus/no_api_key": 1})
    assert combine([one, one])["disqus"] == {"articles": 2, "archived": 0,
                                             "not_archived": {"no_api_key": 2}}


def test_each_reason_says_what_was_not_archived_and_what_to_do() -> None:
    assert notes(hosted_comments(STATS)) == [
        "3 articles with comments hosted by Disqus, not archived: "
        "set `disqus_api_key` in the site file",
        "1 article with comments hosted by Facebook comments, not archived: "
        "pressarchive has no reader for its API",
        "1 article with comments hosted by Isso, not archived: "
        "its API answered with an error (see the crawl log)",
    ]


def test_a_run_that_archived_everything_has_nothing_to_say() -> None:
    assert notes(hosted_comments({"comments/hosted/isso": 2, "comments/archived/isso": 2})) == []

