"""A lease on a step, so that two overlapping runs never write the same data at once.

An exclusive `flock` on a file under `DIR/state/`: the second process waits (up to a
timeout) and then fails with a clear message. The kernel releases it if the holder dies.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class LeaseTimeout(RuntimeError):
    pass


@contextmanager
def lease(path: Path, timeout: float = 3600.0, poll: float = 0.2) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise LeaseTimeout(f"another process holds {path}") from None
                time.sleep(poll)
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        yield
    finally:
        os.close(fd)
