"""`crawler.middlewares.safety`: schemes, allowed domains and private addresses, in every
spelling, when a request is scheduled and again when it connects."""

from __future__ import annotations

import asyncio
import ipaddress

import pytest
from scrapy import Request, Spider
from scrapy.utils.test import get_crawler
from twisted.internet.error import DNSLookupError

from crawler.middlewares.safety import (
    GuardedResolver,
    PrivateAddressError,
    RefusedRequest,
    SafetyMiddleware,
    is_public_address,
    literal_address,
)

ALLOWED = ["127.0.0.1", "example.org", "2130706434", "0x7f000002", "0177.0.0.2", "127.2",
           "::ffff:127.0.0.2", "2002:7f00:2::", "64:ff9b::7f00:2", "169.254.169.254",
           "localhost", "8.8.8.8"]


@pytest.fixture
def middleware() -> SafetyMiddleware:
    crawler = get_crawler(Spider, {"PRESSARCHIVE_PRIVATE_HOSTS": ["127.0.0.1"]})
    crawler.spider = Spider("safety", allowed_domains=ALLOWED)
    return SafetyMiddleware.from_crawler(crawler)


@pytest.mark.parametrize(("host", "address"), [
    ("2130706434", "127.0.0.2"),
    ("0x7f000002", "127.0.0.2"),
    ("0177.0.0.2", "127.0.0.2"),
    ("127.2", "127.0.0.2"),
    ("[::ffff:127.0.0.2]", "::ffff:127.0.0.2"),
    ("169.254.169.254", "169.254.169.254"),
])
def test_ip_literals_are_read_in_every_spelling(host: str, address: str) -> None:
    assert literal_address(host) == ipaddress.ip_address(address)


@pytest.mark.parametrize("host", ["example.org", "cafe.be", "deadbeef", "1e100.net"])
def test_host_names_are_not_ip_literals(host: str) -> None:
    assert literal_address(host) is None


@pytest.mark.parametrize("address", [
    "127.0.0.2", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1",
    "0.0.0.0", "224.0.0.1", "::1", "fe80::1", "fc00::1", "::ffff:127.0.0.2",
    "2002:7f00:2::", "64:ff9b::7f00:2", "2001:0:4136:e378:8000:63bf:80ff:fffd",
])
def test_private_loopback_link_local_and_embedded_addresses_are_not_public(address: str) -> None:
    assert not is_public_address(address)


@pytest.mark.parametrize("address", ["8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8"])
def test_global_addresses_are_public(address: str) -> None:
    assert is_public_address(address)


@pytest.mark.parametrize("url", [
    "file:///etc/passwd", "ftp://example.org/x", "data:text/html,hi", "gopher://example.org/",
    "s3://bucket/key", "javascript:alert(1)",
])
def test_schemes_other_than_http_and_https_are_refused(middleware: SafetyMiddleware,
                                                       url: str) -> None:
    assert middleware.refusal(url, middleware.crawler.spider) == "scheme"


@pytest.mark.parametrize("url", [
    "http://2130706434/", "http://0x7f000002/", "http://0177.0.0.2/", "http://127.2/",
    "http://[::ffff:127.0.0.2]:8080/", "http://[2002:7f00:2::]/", "http://[64:ff9b::7f00:2]/",
    "http://169.254.169.254/latest/meta-data/",
])
def test_private_address_spellings_are_refused_even_on_an_allowed_host(
        middleware: SafetyMiddleware, url: str) -> None:
    assert middleware.refusal(url, middleware.crawler.spider) == "private_address"


def test_other_hosts_are_refused_as_off_domain(middleware: SafetyMiddleware) -> None:
    assert middleware.refusal("http://evil.example.com/", middleware.crawler.spider) \
        == "off_domain"
    assert middleware.refusal("http://sub.example.org/", middleware.crawler.spider) is None


def test_the_start_host_may_be_private(middleware: SafetyMiddleware) -> None:
    assert middleware.refusal("http://127.0.0.1:8080/", middleware.crawler.spider) is None


def test_a_name_resolving_to_loopback_is_refused_and_counted(middleware: SafetyMiddleware) -> None:
    with pytest.raises(RefusedRequest, match="private_address"):
        asyncio.run(middleware.process_request(Request("http://localhost:9/")))
    assert middleware.stats.get_value("refused/private_address") == 1


def test_a_refused_scheme_is_counted(middleware: SafetyMiddleware) -> None:
    with pytest.raises(RefusedRequest):
        asyncio.run(middleware.process_request(Request("ftp://example.org/file")))
    assert middleware.stats.get_value("refused/scheme") == 1


def test_a_public_literal_passes(middleware: SafetyMiddleware) -> None:
    assert asyncio.run(middleware.process_request(Request("http://8.8.8.8/"))) is None


def test_the_resolver_refuses_a_private_answer_at_connect_time() -> None:
    resolver = GuardedResolver(None, 0, 5.0, private_hosts=["fixture.test"])
    with pytest.raises(PrivateAddressError) as refused:
        resolver._check("127.0.0.1", "rebinding.example.org")
    assert isinstance(refused.value, DNSLookupError)
    assert resolver._check("127.0.0.1", "fixture.test") == "127.0.0.1"
    assert resolver._check("93.184.216.34", "example.org") == "93.184.216.34"


def test_the_resolver_is_scrapys_dns_resolver() -> None:
    from crawler import settings

    assert settings.TWISTED_DNS_RESOLVER == "crawler.middlewares.safety.GuardedResolver"
