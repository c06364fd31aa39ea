"""Refuse requests that a crawler of the open web must never make.

Only http and https; only hosts the site allows; and no host that resolves to a loopback,
private, link-local, multicast or reserved address unless it is a start URL host or listed
in the site file. Checked on every request, so redirects are checked too. The address is
checked when the request is scheduled, not at connect time: a DNS answer that changes in
between (rebinding) is not caught here.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
from functools import lru_cache
from urllib.parse import urlsplit

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)
ALLOWED_SCHEMES = frozenset({"http", "https"})


class RefusedRequest(IgnoreRequest):
    """A request the safety rules refused; the reason is in the message and the stats."""


def is_public_address(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


@lru_cache(maxsize=4096)
def resolve(host: str) -> tuple[str, ...]:
    """Every address a host name resolves to (integer and hex spellings included)."""
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return ()
    return tuple(sorted({info[4][0].split("%")[0] for info in infos}))


def host_matches(host: str, domains: set[str]) -> bool:
    return any(host == d or host.endswith(f".{d}") for d in domains)


class SafetyMiddleware:
    def __init__(self, crawler: Crawler, private_hosts: list[str]) -> None:
        self.crawler = crawler
        self.stats: StatsCollector = crawler.stats
        self.private_hosts = {h.lower() for h in private_hosts}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SafetyMiddleware:
        return cls(crawler, crawler.settings.getlist("PRESSARCHIVE_PRIVATE_HOSTS"))

    def process_request(self, request: Request) -> None:
        reason = self.refusal(request.url, self.crawler.spider)
        if reason:
            self.stats.inc_value(f"refused/{reason}")
            logger.info("refused %s: %s", request.url, reason)
            raise RefusedRequest(f"{reason}: {request.url}")

    def refusal(self, url: str, spider: Spider | None) -> str | None:
        parts = urlsplit(url)
        if parts.scheme not in ALLOWED_SCHEMES:
            return "scheme"
        host = (parts.hostname or "").lower()
        allowed = {d.lower() for d in getattr(spider, "allowed_domains", None) or []}
        if allowed and not host_matches(host, allowed):
            return "off_domain"
        if host in self.private_hosts:
            return None
        addresses = resolve(host)
        if not addresses:
            return None  # the download fails with a DNS error, counted and retried there
        if not all(is_public_address(a) for a in addresses):
            return "private_address"
        return None
