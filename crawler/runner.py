"""The crawl step's library entry point, shared by the CLI and the Airflow task."""

from __future__ import annotations

import json
import re
import secrets
import signal
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from archive.layout import DataDir
from archive.reports import read_report
from crawler.siteconfig import SiteConfig

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
STOP_GRACE_SECONDS = 30.0


EXIT_UNREACHABLE = 4  # the crawl process could fetch none of the site's start pages


class CrawlError(RuntimeError):
    """A crawl process that did not finish; its log is named in the message."""


@dataclass(frozen=True)
class CrawlResult:
    run_id: str
    site: str
    counts: dict[str, int]
    finish_reason: str
    timezone: str | None = None
    timezone_source: str | None = None  # "default_utc": the local times were read as UTC
    notes: tuple[str, ...] = ()  # what the run could not archive, and what to do about it


def new_run_id(now: datetime | None = None) -> str:
    """A sortable run id: UTC time, then a random suffix."""
    now = now or datetime.now(UTC)
    return f"{now.strftime('%Y%m%dT%H%M%SZ')}-{secrets.token_hex(3)}"


def safe_run_id(value: str) -> str:
    """A run id usable in paths (Airflow's run ids contain ':' and '+')."""
    return _UNSAFE.sub("_", value).strip("_") or new_run_id()


def stop(process: subprocess.Popen[bytes], grace: float | None = None) -> int:
    """Stop a crawl process cleanly (SIGINT), or kill it after `grace` seconds."""
    process.send_signal(signal.SIGINT)
    try:
        return process.wait(timeout=STOP_GRACE_SECONDS if grace is None else grace)
    except subprocess.TimeoutExpired:
        process.kill()
        return process.wait()


def crawl_command(site: SiteConfig, data: DataDir, run_id: str, *, progress: bool = False,
                  settings: dict[str, Any] | None = None) -> list[str]:
    """The command line of one crawl process (`python -m crawler.main ...`)."""
    command = [sys.executable, "-m", "crawler.main", "--data", str(data.root),
               "--run-id", run_id, "--site-json", site.model_dump_json(),
               "--settings-json", json.dumps(settings or {})]
    if progress:
        command.append("--progress")
    return command


def crawl(site: SiteConfig, data: DataDir, run_id: str, *, progress: bool = False,
          settings: dict[str, Any] | None = None, timeout: float | None = None) -> CrawlResult:
    """Crawl one site in a child process into `DIR/raw/run=<run_id>/site=<site>/`.

    After `timeout` seconds the crawl is stopped cleanly (SIGINT: Scrapy finishes the
    requests under way and keeps its JOBDIR), so the same run id resumes it; it is killed
    only if it has not stopped `STOP_GRACE_SECONDS` later.
    """
    process = subprocess.Popen(crawl_command(site, data, run_id, progress=progress,
                                             settings=settings))
    timed_out = False
    try:
        returncode = process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        returncode = stop(process)
    section = read_report(data, run_id).get(f"crawl:{site.name}", {})
    if returncode != 0 or timed_out:
        log = data.runs / f"{run_id}.{site.name.replace(':', '_')}.crawl.log"
        why = ("timed out" if timed_out else "no start page could be fetched"
               if returncode == EXIT_UNREACHABLE else
               section.get("finish_reason") or f"exit {returncode}")
        raise CrawlError(f"crawl of {site.name} stopped ({why}); see {log}")
    return CrawlResult(run_id, site.name, section.get("counts", {}),
                       section.get("finish_reason", "unknown"), section.get("timezone"),
                       section.get("timezone_source"), tuple(section.get("notes", ())))
