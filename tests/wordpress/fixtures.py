"""pytest fixtures of the real WordPress: installed, started and filled once per session,
each case of the suite crawled once per session (imported by tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.wordpress.content import REST_MODES, THEMES
from tests.wordpress.score import Case, CrawlOutput, Score, cases, run
from tests.wordpress.site import WordPress, WordPressUnavailable

# Every shipped theme with the REST API on and off on the news site (the seed article, 40
# others, 470 comments); on the ?p=N / gmt_offset site and the German one every theme with
# the REST API off (HTML only, where their permalinks, zones and dates matter most) and one
# theme with it on. 14 crawls, about 3 minutes side by side on 2 cores.
SUITE_CASES = [
    *cases(["news"], THEMES, REST_MODES),
    *cases(["plain", "german"], THEMES, ["off"]),
    Case("plain", "twentytwentythree", "on"),
    Case("german", "twentytwentyone", "on"),
]


@pytest.fixture(scope="session")
def wordpress() -> Iterator[WordPress]:
    """Every test site, installed from Debian's packages, running and filled; skips with
    the reason where that is impossible."""
    try:
        yield WordPress().up()
    except WordPressUnavailable as exc:
        pytest.skip(f"no real WordPress here: {exc}")


@pytest.fixture(scope="session")
def wordpress_crawls(wordpress: WordPress, tmp_path_factory: pytest.TempPathFactory
                     ) -> dict[Case, tuple[CrawlOutput, Score]]:
    """Each case of the suite crawled and processed once, with its score."""
    return run(wordpress, SUITE_CASES, tmp_path_factory.mktemp("wordpress"), jobs=4)
