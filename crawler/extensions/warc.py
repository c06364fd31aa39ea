"""Keeps every response of a run in a WARC file, so old crawls can be re-extracted offline.

One gzip member per record, built in memory and appended in one unbuffered write, so a
killed crawl leaves whole records behind; a resumed run writes a new session file beside
the old one.
`WARC-Date` is the fetch time, which relative dates ("2 hours ago") are resolved against.
"""

from __future__ import annotations

from datetime import UTC, datetime
from http import HTTPStatus
from io import BytesIO
from typing import BinaryIO

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crawler.rawzone import site_run_dir

_HOP_HEADERS = {b"content-encoding", b"transfer-encoding", b"content-length"}


class WarcExtension:
    def __init__(self, crawler: Crawler, path: str, run_id: str) -> None:
        self.crawler = crawler
        self.path = path
        self.run_id = run_id
        self._handle: BinaryIO | None = None
        self._writer: WARCWriter | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcExtension:
        settings = crawler.settings
        run_dir = site_run_dir(settings)
        if run_dir is None:
            raise NotConfigured
        run_dir.mkdir(parents=True, exist_ok=True)
        path = run_dir / f"responses-{settings['PRESSARCHIVE_SESSION']}.warc.gz"
        extension = cls(crawler, str(path), settings["PRESSARCHIVE_RUN_ID"])
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.response_received, signal=signals.response_received)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider: Spider) -> None:
        self._handle = open(self.path, "ab", buffering=0)  # noqa: SIM115 - closed on close
        self._writer = WARCWriter(BytesIO(), gzip=True)
        info = self._writer.create_warcinfo_record(
            self.path.rsplit("/", 1)[-1],
            {"software": "pressarchive", "pressarchive-run-id": self.run_id},
        )
        self._write(info)

    def response_received(self, response: Response, request: Request, spider: Spider) -> None:
        if self._writer is None:
            return
        headers = [
            (k.decode("latin-1"), v.decode("latin-1"))
            for k, values in response.headers.items() if k.lower() not in _HOP_HEADERS
            for v in values
        ]
        status = f"{response.status} {_reason(response.status)}"
        record = self._writer.create_warc_record(
            response.url,
            "response",
            payload=BytesIO(response.body),
            http_headers=StatusAndHeaders(status, headers, protocol="HTTP/1.1"),
            warc_headers_dict={"WARC-Date": _warc_date(response.meta.get("fetched_at"))},
        )
        self._write(record)
        self.crawler.stats.inc_value("warc/records")

    def _write(self, record: object) -> None:
        assert self._writer is not None and self._handle is not None
        buffer = BytesIO()
        self._writer.out = buffer
        self._writer.write_record(record)
        view = memoryview(buffer.getvalue())
        while view:
            written = self._handle.write(view)
            if not written:
                raise OSError(f"cannot append to {self.path}")
            view = view[written:]

    def spider_closed(self, spider: Spider) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None


def _warc_date(fetched_at: str | None) -> str:
    value = fetched_at or datetime.now(UTC).isoformat()
    return value.replace("+00:00", "Z")


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"
