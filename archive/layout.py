"""Where everything lives under a data directory.

```
DIR/raw/run=<run_id>/site=<site>/items-<session>.jsonl       extracted records, append-only
DIR/raw/run=<run_id>/site=<site>/responses-<session>.warc.gz  every response of the crawl
DIR/raw/run=<run_id>/site=<site>/_SUCCESS                    written when the crawl finished
DIR/parquet/articles/site=<host>/month=<YYYY-MM>/part-0.parquet
DIR/parquet/comments/site=<host>/month=<YYYY-MM>/part-0.parquet
DIR/quarantine/<entity>/run=<run_id>/part-<site>.parquet   rejected records, with reason
DIR/index/                                     the embedded search index
DIR/runs/<run_id>.json                         the run report
DIR/state/                                     crawl state, job dirs, dedupe signatures
```
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class DataDir:
    root: Path

    @classmethod
    def at(cls, root: str | Path) -> DataDir:
        return cls(Path(root).expanduser().resolve())

    @property
    def raw(self) -> Path:
        return self.root / "raw"

    def raw_run(self, run_id: str) -> Path:
        return self.raw / f"run={run_id}"

    def raw_site(self, run_id: str, site: str) -> Path:
        """One site's crawl within a run (a nightly run crawls every site)."""
        return self.raw_run(run_id) / f"site={site.replace(':', '_')}"

    def raw_sites(self, run_id: str) -> list[Path]:
        return sorted(p for p in self.raw_run(run_id).glob("site=*") if p.is_dir())

    @property
    def parquet(self) -> Path:
        return self.root / "parquet"

    @property
    def quarantine(self) -> Path:
        return self.root / "quarantine"

    @property
    def index(self) -> Path:
        return self.root / "index"

    @property
    def runs(self) -> Path:
        return self.root / "runs"

    @property
    def state(self) -> Path:
        return self.root / "state"

    def job_dir(self, run_id: str, site: str) -> Path:
        return self.state / "jobs" / run_id / site.replace(":", "_")

    def crawl_state(self, site: str) -> Path:
        return self.state / "crawl" / f"{site.replace(':', '_')}.sqlite"

    def run_ids(self) -> list[str]:
        """Raw runs present, oldest first (run ids sort by their timestamp prefix)."""
        if not self.raw.exists():
            return []
        return sorted(p.name.removeprefix("run=") for p in self.raw.glob("run=*") if p.is_dir())
