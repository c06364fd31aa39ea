"""What every benchmark shares: the machine, peak memory of a child, results on disk."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psutil

RESULTS = Path(__file__).resolve().parent / "results"
ROOT = Path(__file__).resolve().parent.parent


def machine() -> dict[str, Any]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import pyarrow

    return {"cpus": os.cpu_count(), "cpu_model": model,
            "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
            "python": platform.python_version(), "platform": platform.platform(),
            "pyarrow": pyarrow.__version__,
            # other work on the machine skews figures: the load average tells how much
            "load_average_1_5_15": [round(v, 2) for v in os.getloadavg()]}


@dataclass
class Child:
    """A benchmark step run in its own process, with the peak RSS of its process tree
    (the process and its workers, summed, sampled every `interval` seconds)."""

    args: list[str]
    interval: float = 0.1
    peak_rss: int = 0
    seconds: float = 0.0
    output: dict[str, Any] = field(default_factory=dict)

    def run(self) -> Child:
        started = time.monotonic()
        process = subprocess.Popen([sys.executable, "-m", "bench.child", *self.args],
                                   cwd=ROOT, stdout=subprocess.PIPE, text=True)
        stop = threading.Event()
        sampler = threading.Thread(target=self._sample, args=(process.pid, stop), daemon=True)
        sampler.start()
        stdout, _ = process.communicate()
        stop.set()
        sampler.join()
        self.seconds = time.monotonic() - started
        if process.returncode != 0:
            raise RuntimeError(f"benchmark step {self.args} exited {process.returncode}")
        self.output = json.loads(stdout.strip().splitlines()[-1])
        return self

    def _sample(self, pid: int, stop: threading.Event) -> None:
        try:
            root = psutil.Process(pid)
        except psutil.NoSuchProcess:
            return
        while not stop.is_set():
            total = 0
            try:
                for proc in [root, *root.children(recursive=True)]:
                    try:
                        total += proc.memory_info().rss
                    except psutil.NoSuchProcess:
                        continue
            except psutil.NoSuchProcess:
                return
            self.peak_rss = max(self.peak_rss, total)
            stop.wait(self.interval)


def mb(value: float) -> float:
    return round(value / 2**20, 1)


def save(name: str, result: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    result = {"benchmark": name, "date": datetime.now(UTC).isoformat(timespec="seconds"),
              "machine": machine(), **result}
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(result, indent=2, default=str) + "\n")
    return path


def table(rows: list[tuple[str, str, Any]]) -> str:
    """A plain text table of (benchmark, metric, value)."""
    widths = [max(len(str(r[i])) for r in [("benchmark", "metric", "value"), *rows])
              for i in range(3)]
    lines = []
    for row in [("benchmark", "metric", "value"), *rows]:
        lines.append("  ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=True)))
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
