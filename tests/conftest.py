"""Shared fixtures: sample sites served on 127.0.0.1, site files, the CLI in a subprocess."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml

from sample_site.generate import bundled_site
from sample_site.model import Site
from sample_site.server import SiteServer
from tests.wordpress.fixtures import wordpress, wordpress_crawls  # noqa: F401 (fixtures)

ROOT = Path(__file__).resolve().parent.parent

# Politeness off for local fixture sites (the defaults are tested on their own).
FAST_CRAWL = {"download_delay": 0, "concurrency": 4}


@pytest.fixture(scope="session")
def bundled() -> Site:
    return bundled_site()


@pytest.fixture(scope="module")
def bundled_server(bundled: Site) -> Iterator[SiteServer]:
    with SiteServer(bundled) as server:
        yield server


@pytest.fixture
def site_file(tmp_path: Path) -> Callable[..., Path]:
    """Writes a site YAML for a served fixture site and returns its path."""

    def write(base_url: str, name: str = "sample", **settings: object) -> Path:
        path = tmp_path / f"{name}.yaml"
        data = {"name": name, "start_urls": [f"{base_url}/"], **FAST_CRAWL, **settings}
        path.write_text(yaml.safe_dump(data), encoding="utf-8")
        return path

    return write


def run_cli(*args: str | Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    """`pressarchive ARGS` in a subprocess, as a user would run it."""
    completed = subprocess.run(
        [sys.executable, "-m", "archive.cli", *map(str, args)],
        capture_output=True, text=True, cwd=ROOT, timeout=300)
    if check and completed.returncode != 0:
        raise AssertionError(f"pressarchive {' '.join(map(str, args))} exited "
                             f"{completed.returncode}:\n{completed.stderr}")
    return completed
