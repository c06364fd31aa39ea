"""A page's comment threads read again from archived API answers (`pressarchive reprocess`).

The crawl stored every API answer in its WARC. For a page that embeds a system with a
reader, the thread's first page is found among them by the URL the reader asks for, and
the pages it leads to after it, in the order the crawl asked for them. Neither the Disqus
key nor the API's host (a site file may point the Disqus API elsewhere) is part of a
thread's identity: answers are found by path and query, without the key.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from urllib.parse import urlsplit

from crawler.extraction.comment_systems import READERS
from crawler.extraction.comment_systems.api import ApiPage, ApiSettings, NotReadable
from crawler.extraction.comment_systems.disqus import redact
from crawler.extraction.records import CommentEmbed

ANY_KEY = ApiSettings(disqus_api_key="archived")


class Stored(Protocol):
    url: str
    fetched_at: datetime
    body: bytes


@dataclass
class ReplayedPage:
    system: str
    layout: str
    number: int
    """The thread's page number, counted as the crawl counted them."""
    answer: Stored
    page: ApiPage


def answer_key(url: str) -> str:
    """How an archived answer is looked up: its path and query, without the API key."""
    parts = urlsplit(redact(url))
    return f"{parts.path}?{parts.query}"


def archived_threads(embeds: list[CommentEmbed], page_url: str,
                     answers: Mapping[str, Stored]) -> Iterator[ReplayedPage]:
    """The archived pages of the threads of `embeds` (`answers` by `answer_key`)."""
    for embed in embeds:
        reader = READERS.get(embed.system)
        if reader is None:
            continue
        try:
            queue = [reader.first_page(embed, page_url, ANY_KEY)]
        except NotReadable:
            continue
        seen: set[str] = set()
        while queue:
            key = answer_key(queue.pop(0))
            answer = answers.get(key)
            if answer is None or key in seen:
                continue
            seen.add(key)
            try:
                payload = json.loads(answer.body)
            except ValueError:
                continue
            page = reader.read(payload, answer.url, 200)
            if page.error:
                continue
            yield ReplayedPage(embed.system, reader.layout, len(seen), answer, page)
            queue.extend(page.next_urls)
