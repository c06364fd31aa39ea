"""The `session_ids` fault: per-response session ids glued onto internal links.

Java style (`/path;jsessionid=ID?query`) or PHP style (`/path?query&PHPSESSID=id`),
chosen per URL; a new id for every response, so the URL space never ends.
"""

from __future__ import annotations

import random
import threading
import zlib


class SessionIds:
    """The `session_ids` fault: a fresh id per response, in Java or PHP style per link."""

    def __init__(self, seed: int = 0) -> None:
        self._rng = random.Random(seed)
        self._lock = threading.Lock()

    def decorator(self) -> SessionDecorator:
        with self._lock:
            token = f"{self._rng.getrandbits(128):032X}"
        return SessionDecorator(token)


class SessionDecorator:
    def __init__(self, token: str) -> None:
        self.token = token

    def __call__(self, url: str) -> str:
        url, hash_mark, fragment = url.partition("#")
        base, question, query = url.partition("?")
        if zlib.crc32(base.encode()) % 2:
            decorated = f"{base};jsessionid={self.token}{question}{query}"
        else:
            sep = "&" if question else "?"
            decorated = f"{url}{sep}PHPSESSID={self.token[:26].lower()}"
        return decorated + hash_mark + fragment
