"""Keep the raw record of a crawl: every fetched response, with its request, in rotating gzip WARC files.

Extractors improve and sites disappear; with the WARC files a later ``newsharvest process`` can rebuild the
articles without fetching anything again, and researchers get the record of what was served.

:class:`WarcRecorder` is a downloader middleware placed between ``RedirectMiddleware`` (600) and
``CookiesMiddleware`` (700): ``process_response`` runs from high to low order, so it sees each response
*before* redirects are followed and before ``HttpCompressionMiddleware`` (590) decodes the body. Redirects,
retried errors, robots.txt, feeds and sitemaps are recorded too, and the payload is the body as the server
sent it (after transfer decoding, which Twisted has already done). Headers are recorded as they describe the
stored payload, the Common Crawl way: ``Transfer-Encoding`` becomes ``X-Crawler-Transfer-Encoding`` and a
``Content-Length`` that does not match becomes ``X-Crawler-Content-Length``. ``Content-Encoding`` is kept
exactly when the payload is still encoded (Scrapy removes it when it decodes), so readers decode correctly.

:class:`RotatingWarcWriter` is plain Python: files are written under a hidden temporary name, synced and
renamed when complete (like the Parquet files), rotated by size, and named so that they never collide
across processes and machines. A write error is logged and counted, never raised into the crawl.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import os
import re
import secrets
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from importlib.metadata import version
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import datetime_to_iso_date
from warcio.warcwriter import WARCWriter

from newsharvest import __version__
from pipelines.parquet import fsync_dir

logger = logging.getLogger(__name__)

#: Folder of the WARC files inside the output folder.
WARC_DIR = "warc"
#: Extension WARC headers with what the crawl knew about a page, so ``newsharvest process`` can reproduce it.
SOURCE_HEADER = "WARC-Newsharvest-Source"
VIA_HEADER = "WARC-Newsharvest-Via"
HINTED_PUBLISHED_HEADER = "WARC-Newsharvest-Hinted-Published"
HINTED_TITLE_HEADER = "WARC-Newsharvest-Hinted-Title"
#: Link depth of a request fetched as a page (absent for robots.txt, feeds and sitemaps).
DEPTH_HEADER = "WARC-Newsharvest-Depth"

StatsHook = Callable[[str, int], None]


@dataclass(slots=True)
class Exchange:
    """One HTTP request and the response it got, as they will be recorded."""

    url: str
    status: int
    response_headers: list[tuple[str, str]]
    body: bytes
    method: str = "GET"
    request_headers: list[tuple[str, str]] = field(default_factory=list)
    request_body: bytes = b""
    protocol: str = "HTTP/1.1"
    fetched_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    ip_address: str | None = None
    extra: dict[str, str] = field(default_factory=dict)  # extension WARC headers of the response record


def recordable_headers(headers: list[tuple[str, str]], payload_length: int) -> list[tuple[str, str]]:
    """The response headers as they describe the stored payload (which is no longer transfer-encoded)."""
    out: list[tuple[str, str]] = []
    for name, value in headers:
        lower = name.lower()
        if lower == "transfer-encoding":
            out.append(("X-Crawler-Transfer-Encoding", value))
        elif lower == "content-length" and value.strip() != str(payload_length):
            out.append(("X-Crawler-Content-Length", value))
        else:
            out.append((name, value))
    if any(n.lower() == "x-crawler-content-length" for n, _ in out):
        out.append(("Content-Length", str(payload_length)))
    return out


def _one_line(value: str) -> str:
    """WARC header values must not contain line breaks."""
    return " ".join(value.split())


def warc_date(when: dt.datetime) -> str:
    """WARC/1.0 date (second precision, UTC, ``Z``)."""
    when = when.astimezone(dt.UTC).replace(tzinfo=None) if when.tzinfo else when
    return datetime_to_iso_date(when)


def serialise_exchange(exchange: Exchange) -> bytes:
    """The request and response records of one exchange, each its own gzip member (request first)."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    date = warc_date(exchange.fetched_at)
    reason = HTTPStatus(exchange.status).phrase if exchange.status in HTTPStatus._value2member_map_ else ""
    response_http = StatusAndHeaders(
        f"{exchange.status} {reason}".strip(),
        recordable_headers(exchange.response_headers, len(exchange.body)),
        protocol=exchange.protocol,
    )
    warc_headers = {"WARC-Date": date}
    if exchange.ip_address:
        warc_headers["WARC-IP-Address"] = exchange.ip_address
    warc_headers.update({k: _one_line(v) for k, v in exchange.extra.items() if v})
    response = writer.create_warc_record(
        exchange.url, "response", payload=io.BytesIO(exchange.body), length=len(exchange.body),
        http_headers=response_http, warc_headers_dict=warc_headers,
    )  # fmt: skip
    parts = urlsplit(exchange.url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    request_headers = list(exchange.request_headers)
    if not any(n.lower() == "host" for n, _ in request_headers):
        request_headers.insert(0, ("Host", parts.netloc))
    request_http = StatusAndHeaders(
        f"{exchange.method} {target} {exchange.protocol}", request_headers, is_http_request=True
    )
    request = writer.create_warc_record(
        exchange.url, "request", payload=io.BytesIO(exchange.request_body), length=len(exchange.request_body),
        http_headers=request_http,
        warc_headers_dict={"WARC-Date": date, "WARC-Concurrent-To": response.rec_headers["WARC-Record-ID"]},
    )  # fmt: skip
    writer.write_record(request)
    writer.write_record(response)
    return buffer.getvalue()


def warcinfo_record(filename: str, info: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    writer.write_record(writer.create_warcinfo_record(filename, info))
    return buffer.getvalue()


class RotatingWarcWriter:
    """Appends exchanges to ``directory``; a new file after ``max_bytes``; files appear only when complete."""

    def __init__(
        self,
        directory: str | Path,
        *,
        run_id: str = "",
        max_bytes: int = 1_000_000_000,
        info: dict[str, str] | None = None,
        prefix: str = "newsharvest",
        inc_stat: StatsHook | None = None,
    ) -> None:
        self.directory = Path(directory)
        self.run_id = run_id or dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        self._serial = 0
        self.max_bytes = max(1, max_bytes)
        self.info = dict(info or {})
        self.prefix = prefix
        self.files_written: list[Path] = []
        self.errors = 0
        self._inc_stat = inc_stat
        self._fh: BinaryIO | None = None
        self._tmp: Path | None = None
        self._final: Path | None = None
        self._size = 0

    def _count(self, key: str, n: int = 1) -> None:
        if self._inc_stat is not None:
            self._inc_stat(key, n)

    def _next_name(self) -> str:
        """``PREFIX-RUNID-SERIAL-HOST-PID-RANDOM.warc.gz``: in write order when sorted by name (run ids start
        with their start time, the serial orders one run's files), and never the same twice across processes
        and machines. Order matters: ``newsharvest process`` reads a folder in name order, and dedup keeps
        the first copy it sees, as the crawl did."""
        self._serial += 1
        host = re.sub(r"[^A-Za-z0-9]", "", socket.gethostname())[:12] or "host"
        unique = f"{host}-{os.getpid()}-{secrets.token_hex(3)}"
        return f"{self.prefix}-{self.run_id}-{self._serial:05d}-{unique}.warc.gz"

    def _open(self) -> BinaryIO:
        self.directory.mkdir(parents=True, exist_ok=True)
        name = self._next_name()
        self._final = self.directory / name
        self._tmp = self.directory / f".{name}.tmp"
        fh = open(self._tmp, "xb")  # noqa: SIM115 - lives until the file is finalised
        head = warcinfo_record(name, self.info)
        fh.write(head)
        self._fh, self._size = fh, len(head)
        return fh

    def write(self, exchange: Exchange) -> bool:
        """Record one exchange; ``False`` (after logging) when it could not be written."""
        try:
            data = serialise_exchange(exchange)
        except Exception:
            self._error(f"could not serialise the response of {exchange.url}")
            return False
        fh, start = self._fh, self._size
        try:
            if fh is None:
                fh = self._open()
                start = self._size
            fh.write(data)
        except OSError:
            self._error(f"could not write the response of {exchange.url} to {self._tmp}")
            self._rollback(start)
            return False
        self._size = start + len(data)
        self._count("warc/records", 2)
        self._count("warc/bytes", len(data))
        if self._size >= self.max_bytes:
            self.finalise()
        return True

    def _rollback(self, size: int) -> None:
        """Cut a partly written exchange off, so the file stays readable; give the file up if that fails."""
        if self._fh is None:
            return
        try:
            self._fh.flush()
            self._fh.truncate(size)
            self._fh.seek(size)
        except OSError:
            logger.error("Giving up WARC file %s after a write error", self._tmp)
            self._abandon()

    def _abandon(self) -> None:
        try:
            if self._fh is not None:
                self._fh.close()
        except OSError:
            pass
        self._fh, self._tmp, self._final, self._size = None, None, None, 0

    def _error(self, message: str) -> None:
        self.errors += 1
        self._count("warc/errors")
        # The first error of a run is worth a traceback; thousands of identical ones (disk full) are not.
        if self.errors == 1:
            logger.exception("WARC: %s", message)
        elif self.errors % 1000 == 0:
            logger.error("WARC: %s (%d errors so far)", message, self.errors)

    def finalise(self) -> Path | None:
        """Sync and close the current file and rename it into place."""
        if self._fh is None or self._tmp is None or self._final is None:
            return None
        fh, tmp, final = self._fh, self._tmp, self._final
        self._fh, self._tmp, self._final, self._size = None, None, None, 0
        try:
            fh.flush()
            os.fsync(fh.fileno())
            fh.close()
            os.replace(tmp, final)
            fsync_dir(self.directory)
        except OSError:
            self._error(f"could not finalise {tmp}")
            return None
        self.files_written.append(final)
        self._count("warc/files")
        logger.info("Finalised WARC file %s", final)
        return final

    def close(self) -> None:
        self.finalise()


# -- Scrapy --------------------------------------------------------------------------------------------------
def _header_pairs(headers: Any) -> list[tuple[str, str]]:
    return [
        (name.decode("latin-1"), value.decode("latin-1"))
        for name, values in headers.items()
        for value in values
    ]


def exchange_from(request: Any, response: Any) -> Exchange:
    """What a Scrapy request/response pair looks like on the wire, as far as Scrapy lets us know."""
    meta = request.meta
    extra = {SOURCE_HEADER: meta.get("nh_source") or "", VIA_HEADER: meta.get("nh_via") or ""}
    published = meta.get("nh_published")
    if isinstance(published, dt.datetime):
        extra[HINTED_PUBLISHED_HEADER] = published.isoformat()
    if meta.get("nh_depth") is not None:
        extra[DEPTH_HEADER] = str(meta["nh_depth"])
    if meta.get("nh_title"):
        extra[HINTED_TITLE_HEADER] = str(meta["nh_title"])
    ip = getattr(response, "ip_address", None)
    return Exchange(
        url=response.url, status=response.status, response_headers=_header_pairs(response.headers),
        body=response.body, method=request.method, request_headers=_header_pairs(request.headers),
        request_body=request.body or b"", protocol=getattr(response, "protocol", None) or "HTTP/1.1",
        ip_address=str(ip) if ip is not None else None, extra=extra,
    )  # fmt: skip


class WarcRecorder:
    """Downloader middleware writing every fetched response to ``OUTPUT/warc/`` when ``NEWSHARVEST_WARC``."""

    def __init__(self, crawler: Any) -> None:
        from scrapy import signals

        from newsharvest.runtime import runtime

        settings, rt = crawler.settings, runtime(crawler)
        self.crawler = crawler
        self.writer = RotatingWarcWriter(
            rt.output / WARC_DIR, run_id=rt.run_id, max_bytes=settings.getint("NEWSHARVEST_WARC_MAX_BYTES"),
            info={
                "software": f"newsharvest/{__version__} (warcio/{version('warcio')})",
                "format": "WARC File Format 1.0",
                "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.0/",
                "hostname": socket.gethostname(), "isPartOf": rt.run_id,
                "robots": "obey" if settings.getbool("ROBOTSTXT_OBEY") else "ignore",
                "http-header-user-agent": settings.get("USER_AGENT") or "",
                "description": "payloads as received (content-encoding kept); transfer-encoding removed",
            },
            inc_stat=lambda key, n: crawler.stats.inc_value(f"newsharvest/{key}", n),
        )  # fmt: skip
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Any) -> WarcRecorder:
        from scrapy.exceptions import NotConfigured

        if not crawler.settings.getbool("NEWSHARVEST_WARC"):
            raise NotConfigured("NEWSHARVEST_WARC is off")
        return cls(crawler)

    def process_response(self, request: Any, response: Any) -> Any:
        if "cached" not in response.flags:  # HttpCacheMiddleware replays: nothing was fetched
            try:
                self.writer.write(exchange_from(request, response))
            except Exception:  # never let archiving break the crawl
                logger.exception("WARC: could not record %s", response.url)
        return response

    def spider_closed(self, spider: Any = None, reason: str = "") -> None:
        self.writer.close()
