"""A lease on a step, so that two overlapping runs never write the same data at once.

An exclusive `flock` on a file under `DIR/state/`: the second process waits (up to a
timeout, logging who holds it) and then fails with a clear message. The kernel releases
the lock when the holder exits or is killed, so a crashed run never blocks the next one.
The lock is local to one machine: two machines writing one object-storage archive need an
orchestrator that runs one `process` at a time (Airflow: one active run of the DAG).
"""

from __future__ import annotations

import fcntl
import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

logger = logging.getLogger(__name__)


class LeaseTimeout(RuntimeError):
    pass


def _holder(path: Path) -> str:
    try:
        return path.read_text().strip() or "?"
    except OSError:
        return "?"


@contextmanager
def lease(path: Path, timeout: float = 3600.0, poll: float = 0.2) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + timeout
    waited = False
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not waited:
                    logger.info("waiting for %s, held by process %s", path, _holder(path))
                    waited = True
                if time.monotonic() >= deadline:
                    raise LeaseTimeout(f"process {_holder(path)} still holds {path} after "
                                       f"{timeout:.0f} s") from None
                time.sleep(poll)
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        yield
    finally:
        os.close(fd)
