"""Refuse requests that a crawler of the open web must never make.

Only http and https; only hosts the site allows; and no host that is, or resolves to, a
loopback, private, link-local, shared, multicast or reserved address unless it is a start
URL host or listed in the site file (`PRESSARCHIVE_PRIVATE_HOSTS`). Checked on every
request, so redirects are checked too, and counted as `refused/<reason>`.

One exception to the domains: the host of a comment system's API that an article page
names (an Isso server) or the site file configures (the Disqus API), for the spider's
requests to it (`comment_api` in their meta names that very host) and for that host's
robots.txt, so that robots rules apply there too; nothing else on that host, and a
redirect elsewhere is off-domain again. The address rules apply to it unchanged.

Address spellings that browsers and `inet_aton` accept are read as the address they mean:
`http://2130706434/`, `http://0x7f000002/`, `http://0177.0.0.2/`, `http://127.2/`,
`http://[::ffff:127.0.0.2]/`, 6to4 and NAT64 forms. A host name is resolved (in a thread)
when its request is scheduled; `GuardedResolver`, installed as Scrapy's DNS resolver,
checks the address again when the connection is made, so a DNS answer that changes in
between (rebinding) is refused too.
"""

from __future__ import annotations

import ipaddress
import logging
import re
import socket
from collections.abc import Sequence
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.resolver import CachingThreadedResolver
from scrapy.statscollectors import StatsCollector
from scrapy.utils.asyncio import run_in_thread
from twisted.internet.defer import Deferred
from twisted.internet.error import DNSLookupError

logger = logging.getLogger(__name__)
ALLOWED_SCHEMES = frozenset({"http", "https"})
_NUMERIC_HOST = re.compile(r"^(?:0x[0-9a-f]+|[0-9]+)(?:\.(?:0x[0-9a-f]+|[0-9]+)){0,3}$", re.I)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class RefusedRequest(IgnoreRequest):
    """A request the safety rules refused; the reason is in the message and the stats."""


class PrivateAddressError(DNSLookupError):
    """A host name that resolved to an address the crawl must not connect to."""


def literal_address(host: str) -> IPAddress | None:
    """The address a host *is*, when it is an IP literal in any spelling; else None."""
    host = host.strip("[]")
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if _NUMERIC_HOST.match(host):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return None


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip.ipv4_mapped:
        return ip.ipv4_mapped
    if ip.sixtofour:
        return ip.sixtofour
    if ip.teredo:
        return ip.teredo[1]
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def is_public_address(address: str | IPAddress) -> bool:
    """Whether an address is globally reachable (and so fine to fetch from)."""
    ip = ipaddress.ip_address(address) if isinstance(address, str) else address
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(ip)
        if embedded is not None:
            ip = embedded
    return ip.is_global and not ip.is_multicast


@lru_cache(maxsize=4096)
def resolve(host: str) -> tuple[str, ...]:
    """Every address a host name resolves to; empty when it does not resolve."""
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return ()
    return tuple(sorted({str(info[4][0]).split("%")[0] for info in infos}))


def host_matches(host: str, domains: set[str]) -> bool:
    return any(host == d or host.endswith(f".{d}") for d in domains)


class SafetyMiddleware:
    def __init__(self, crawler: Crawler, private_hosts: list[str]) -> None:
        self.crawler = crawler
        self.stats: StatsCollector = crawler.stats
        self.private_hosts = {h.lower() for h in private_hosts}
        self.addresses: dict[str, tuple[str, ...]] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SafetyMiddleware:
        return cls(crawler, crawler.settings.getlist("PRESSARCHIVE_PRIVATE_HOSTS"))

    async def process_request(self, request: Request) -> None:
        spider = self.crawler.spider
        reason = self.refusal(request.url, spider)
        if reason == "off_domain" and comment_api_request(request, spider):
            reason = self.refusal(request.url, None)
            request.meta["allow_offsite"] = True  # vetted here; Scrapy's offsite would refuse
        if reason is None and self._needs_lookup(request.url):
            host = (urlsplit(request.url).hostname or "").lower()
            if host not in self.addresses:
                self.addresses[host] = await run_in_thread(resolve, host)
            addresses = self.addresses[host]
            if addresses and not all(is_public_address(a) for a in addresses):
                reason = "private_address"
        if reason:
            self.stats.inc_value(f"refused/{reason}")
            logger.info("refused %s: %s", request.url, reason)
            raise RefusedRequest(f"{reason}: {request.url}")

    def refusal(self, url: str, spider: Spider | None) -> str | None:
        """Why `url` must not be fetched, as far as is known without DNS; else None."""
        parts = urlsplit(url)
        if parts.scheme.lower() not in ALLOWED_SCHEMES:
            return "scheme"
        host = (parts.hostname or "").lower()
        if not host:
            return "no_host"
        allowed = {d.lower() for d in getattr(spider, "allowed_domains", None) or []}
        if allowed and not host_matches(host, allowed):
            return "off_domain"
        if host in self.private_hosts:
            return None
        literal = literal_address(host)
        if literal is not None and not is_public_address(literal):
            return "private_address"
        return None

    def _needs_lookup(self, url: str) -> bool:
        host = (urlsplit(url).hostname or "").lower()
        return host not in self.private_hosts and literal_address(host) is None


def comment_api_request(request: Request, spider: Spider | None) -> bool:
    """Whether `request` goes to a comment API host the spider asked, for its API or for its
    robots.txt (see the module docstring)."""
    netloc = urlsplit(request.url).netloc.lower()
    if netloc not in getattr(spider, "comment_api_hosts", ()):
        return False
    if request.meta.get("comment_api") == netloc:
        return True
    return bool(request.meta.get("dont_obey_robotstxt")) and \
        urlsplit(request.url).path == "/robots.txt"


class GuardedResolver(CachingThreadedResolver):
    """Scrapy's caching resolver, refusing private addresses at connect time.

    The address checked is the address connected to, so a name that resolved to a public
    address when its request was scheduled and to 127.0.0.1 now is refused. A refusal
    looks like a failed lookup to the downloader (Twisted drops the reason).
    """

    def __init__(self, reactor: Any, cache_size: int, timeout: float,
                 private_hosts: Sequence[str] = ()) -> None:
        super().__init__(reactor, cache_size, timeout)
        self.private_hosts = {h.lower() for h in private_hosts}

    @classmethod
    def from_crawler(cls, crawler: Any, reactor: Any) -> GuardedResolver:
        settings = crawler.settings
        cache_size = settings.getint("DNSCACHE_SIZE") if settings.getbool("DNSCACHE_ENABLED") \
            else 0
        return cls(reactor, cache_size, settings.getfloat("DNS_TIMEOUT"),
                   settings.getlist("PRESSARCHIVE_PRIVATE_HOSTS"))

    def getHostByName(self, name: str, timeout: Sequence[int] = ()) -> Deferred[str]:
        result: Deferred[str] = super().getHostByName(name, timeout)
        result.addCallback(self._check, name)
        return result

    def _check(self, address: str, name: str) -> str:
        if name.lower() in self.private_hosts or is_public_address(address):
            return address
        logger.warning("refused to connect to %s: it resolves to %s", name, address)
        raise PrivateAddressError(f"{name} resolves to the private address {address}")
