"""The run report's account of comments that pages load from a comment system.

From the spider's stats (`crawler.spiders.comment_apis`): per system, the articles that
embed it (`comments/hosted/<system>`), those whose thread was read through its API
(`comments/archived/<system>`) and those that were not, by reason
(`comments/not_archived/<system>/<reason>`); and one line per system and reason saying
what was not archived and what to do about it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from crawler.extraction.comment_systems import label

HOSTED, ARCHIVED, NOT_ARCHIVED = "comments/hosted/", "comments/archived/", "comments/not_archived/"
WHAT_TO_DO = {
    "no_api_key": "set `disqus_api_key` in the site file",
    "no_forum": "set `disqus_forum` in the site file (its pages do not name their forum)",
    "no_public_api": "pressarchive has no reader for its API",
    "no_host": "the pages do not name the comment server",
    "api_error": "its API answered with an error (see the crawl log)",
    "api_failed": "its API could not be reached (see the crawl log)",
    "robots_forbidden": "the comment server's robots.txt forbids it",
}


def hosted_comments(stats: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """`{system: {"articles": n, "archived": n, "not_archived": {reason: n}}}`."""
    systems: dict[str, dict[str, Any]] = {}

    def entry(system: str) -> dict[str, Any]:
        return systems.setdefault(system, {"articles": 0, "archived": 0, "not_archived": {}})

    for key, value in stats.items():
        if not isinstance(value, int):
            continue
        if key.startswith(HOSTED) and "/" not in key[len(HOSTED):]:
            entry(key[len(HOSTED):])["articles"] += value
        elif key.startswith(ARCHIVED):
            entry(key[len(ARCHIVED):])["archived"] += value
        elif key.startswith(NOT_ARCHIVED) and key.count("/") == 3:
            system, reason = key[len(NOT_ARCHIVED):].split("/")
            reasons = entry(system)["not_archived"]
            reasons[reason] = reasons.get(reason, 0) + value
    return dict(sorted(systems.items()))


def combine(sessions: Iterable[Mapping[str, dict[str, Any]]]) -> dict[str, dict[str, Any]]:
    """The figures of several sessions of one run, added up."""
    total: dict[str, dict[str, Any]] = {}
    for session in sessions:
        for system, figures in session.items():
            into = total.setdefault(system, {"articles": 0, "archived": 0, "not_archived": {}})
            into["articles"] += figures.get("articles", 0)
            into["archived"] += figures.get("archived", 0)
            for reason, count in figures.get("not_archived", {}).items():
                into["not_archived"][reason] = into["not_archived"].get(reason, 0) + count
    return dict(sorted(total.items()))


def notes(systems: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """One line per system and reason comments were not archived."""
    lines = []
    for system, figures in systems.items():
        for reason, count in sorted(figures.get("not_archived", {}).items()):
            articles = "1 article" if count == 1 else f"{count} articles"
            advice = WHAT_TO_DO.get(reason, reason.replace("_", " "))
            lines.append(f"{articles} with comments hosted by {label(system)}, "
                         f"not archived: {advice}")
    return lines
