"""PostgreSQL and Redis for the real-Airflow suites, through the project's own script.

`infra/airflow/services.sh` installs them from Debian's packages (as root) and starts a
private instance of each on 127.0.0.1 under a temporary directory. Where that cannot be
done (not root and the packages missing, no apt), the suites skip with the reason.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "infra" / "airflow" / "services.sh"


@dataclass(frozen=True)
class Services:
    postgres: Path
    """The instance's directory; `url` in it is the metadata database's SQLAlchemy URL."""
    redis: Path
    """The instance's directory; `url` in it is the Celery broker URL."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _script(*args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(SCRIPT), *args], capture_output=True, text=True,
                          timeout=timeout, check=False)


@contextmanager
def running_services() -> Iterator[Services]:
    """Both servers started (installed first if need be), stopped and removed at the end."""
    installed = _script("install")
    if installed.returncode != 0:
        pytest.skip(f"PostgreSQL and Redis from Debian are not available: "
                    f"{installed.stderr.strip()[-500:]}")
    # Under /tmp, not pytest's 0700 directories: the servers run as their own users.
    base = Path(tempfile.mkdtemp(prefix="pressarchive-services-"))
    base.chmod(0o711)
    services = Services(postgres=base / "postgres", redis=base / "redis")
    try:
        for name, where in (("postgres", services.postgres), ("redis", services.redis)):
            started = _script(name, str(where), str(free_port()), timeout=120)
            if started.returncode != 0:
                raise RuntimeError(f"services.sh {name} failed: {started.stderr}")
        yield services
    finally:
        for where in (services.postgres, services.redis):
            _script("stop", str(where), timeout=120)
        shutil.rmtree(base, ignore_errors=True)
