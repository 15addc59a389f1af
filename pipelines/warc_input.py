"""Reading WARC files back into :class:`~pipelines.records.Page` records: re-extraction without re-crawling.

Works on the WARC files of ``NEWSHARVEST_WARC`` and on any standard WARC (Common Crawl's CC-NEWS: response
records with HTTP payloads, gzip per record, or uncompressed ``.warc``). Plain Python, no Scrapy needed.

Real archives are imperfect, and one bad record must not cost the rest of a year's crawl: truncated or corrupt
records, revisit/request/metadata records, non-HTML and oversized payloads are skipped and counted by reason
(:class:`ReadStats`), and after a corrupt stretch reading resumes at the next record boundary found in the
file. Only a file with no readable record at all is refused (:class:`NotAWarcError`).

The :class:`Page` of a response record is built the way the crawl builds it: the URL is ``WARC-Target-URI``,
the encoding follows Scrapy's rules (HTTP charset, BOM, ``<meta>``, then detection), ``fetched_at`` is
``WARC-Date``, and for our own WARC files the source name and the feed/sitemap hints come from the extension
headers :mod:`newsharvest.warc` wrote. For other WARC files hints are learnt from the feeds and sitemaps found
in the same input, read in order.
"""

from __future__ import annotations

import datetime as dt
import gzip
import logging
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urljoin, urlsplit

from w3lib.encoding import (
    html_body_declared_encoding,
    http_content_type_encoding,
    read_bom,
    resolve_encoding,
)
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.timeutils import iso_date_to_datetime

from pipelines.records import Dropped, Page, Reason

logger = logging.getLogger(__name__)

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_FEED_TYPES = ("xml", "rss", "atom")
# warcio raises whatever its parsers hit on damaged input (ArchiveLoadFailed, zlib.error, EOFError, but also
# AttributeError on a record cut inside its headers...): for reading, any exception means "bad data here".
_READ_ERRORS = (Exception,)
#: Attribute of a warcio record where the reader notes why it skipped it (counted by :func:`iter_records`).
SKIP_ATTR = "nh_skip_reason"
_GZIP_MAGIC = b"\x1f\x8b\x08"
_SCAN_BLOCK = 1 << 20

# Extension headers written by newsharvest.warc (kept literal: this module must not import Scrapy code).
SOURCE_HEADER = "WARC-Newsharvest-Source"
VIA_HEADER = "WARC-Newsharvest-Via"
HINTED_PUBLISHED_HEADER = "WARC-Newsharvest-Hinted-Published"
HINTED_TITLE_HEADER = "WARC-Newsharvest-Hinted-Title"
DEPTH_HEADER = "WARC-Newsharvest-Depth"

_PAGE_FIELDS = frozenset(getattr(Page, "__dataclass_fields__", {}))


class NotAWarcError(Exception):
    """The file has no readable WARC record: it is not a WARC (or not one this reader understands)."""


@dataclass
class ReadStats:
    """What reading saw: records, pages handed on, and what was skipped, by reason."""

    records: int = 0
    pages: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    bad_files: list[tuple[str, str]] = field(default_factory=list)

    @property
    def skipped_total(self) -> int:
        return sum(self.skipped.values())


@dataclass(slots=True)
class Hint:
    published: dt.datetime | None = None
    title: str | None = None


def expand_inputs(inputs: Iterable[str | Path]) -> list[Path]:
    """Files as given, and the ``*.warc``/``*.warc.gz`` files under folders (hidden temporaries excluded),
    in name order (the writer's names sort by time)."""
    out: list[Path] = []
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            found = [
                p for p in path.rglob("*") if p.is_file() and p.name.endswith((".warc", ".warc.gz"))
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            ]  # fmt: skip
            out.extend(sorted(found))
        else:
            out.append(path)
    return out


# -- record iteration with resynchronisation -----------------------------------------------------------------
class _QuietIterator(ArchiveIterator):
    """warcio prints a warning to stderr for each record not followed by blank lines; we count, not print."""

    INC_RECORD = ""


def _next_boundary(fh: BinaryIO, after: int, gzipped: bool) -> int | None:
    """Offset of the next plausible record start after ``after`` (a gzip member, or a ``WARC/`` line)."""
    marker = _GZIP_MAGIC if gzipped else b"\nWARC/1."
    skip = 0 if gzipped else 1
    position = after
    while True:
        fh.seek(position)
        block = fh.read(_SCAN_BLOCK + len(marker))
        if len(block) < len(marker):
            return None
        index = block.find(marker)
        if index != -1:
            return position + index + skip
        position += _SCAN_BLOCK


def iter_records(fh: BinaryIO, stats: ReadStats) -> Iterator[Any]:
    """The records of an open WARC file; corrupt stretches are counted (once each) and skipped, not raised.

    Raises :class:`NotAWarcError` when not even the first record can be read.
    """
    gzipped = fh.read(3) == _GZIP_MAGIC
    start, seen, in_bad_stretch = 0, 0, False
    while True:
        fh.seek(start)
        iterator = _QuietIterator(fh)
        record_start = start
        try:
            for record in iterator:
                # warcio falls back to ARC parsing on garbage, and returns a header-less record for a gzip
                # member cut short: neither is a WARC record.
                if record.format != "warc" or not record.rec_type or not record.rec_headers["Content-Length"]:
                    raise ArchiveLoadFailed(f"not a WARC record at offset {record_start}")
                seen, in_bad_stretch = seen + 1, False
                yield record
                iterator.read_to_end()
                # One reason per skipped record: "truncated" wins over what the reader made of a cut record.
                if _cut_short(iterator, record):
                    stats.skipped["truncated"] += 1  # the file ends inside this record
                    in_bad_stretch = True  # what warcio may raise next is the same damage
                elif reason := getattr(record, SKIP_ATTR, None):
                    stats.skipped[reason] += 1
                record_start = iterator.offset
            # warcio takes a file cut inside a record's WARC headers for a clean end: look for leftovers.
            fh.seek(record_start)
            if fh.read(4096).strip(b"\r\n\t "):
                stats.skipped["truncated"] += 1
                logger.warning("WARC file ends inside a record (after offset %d)", record_start)
            return
        except _READ_ERRORS as exc:
            message = str(exc).strip()
            if seen == 0:
                raise NotAWarcError(f"{type(exc).__name__}: {message[:200]}") from exc
            if "non-chunked gzip" in message:  # one gzip stream for the whole file: valid, just not seekable
                yield from _whole_gzip_records(fh, skip=seen, stats=stats)
                return
            if not in_bad_stretch:
                stats.skipped["corrupt"] += 1
                logger.warning("Corrupt WARC data after offset %d: %s", record_start, message[:200])
            in_bad_stretch = True
        finally:
            iterator.close()
        resume = _next_boundary(fh, record_start + 1, gzipped)
        if resume is None:
            return
        start = resume


def _cut_short(iterator: ArchiveIterator, record: Any) -> bool:
    """Whether the record ended before its declared length, or its gzip member before the gzip trailer."""
    if getattr(record.raw_stream, "limit", 0) > 0:
        return True
    decompressor = getattr(iterator.reader, "decompressor", None)
    return decompressor is not None and getattr(decompressor, "eof", True) is False


def _whole_gzip_records(fh: BinaryIO, *, skip: int, stats: ReadStats) -> Iterator[Any]:
    """Records of a WARC compressed as a single gzip stream, after the ``skip`` already read."""
    fh.seek(0)
    with gzip.GzipFile(fileobj=fh) as stream:
        try:
            for index, record in enumerate(_QuietIterator(stream)):
                if index >= skip:
                    yield record
                    if reason := getattr(record, SKIP_ATTR, None):
                        stats.skipped[reason] += 1
        except _READ_ERRORS as exc:
            stats.skipped["corrupt"] += 1
            logger.warning("Corrupt WARC data: %s", str(exc).strip()[:200])


# -- records to pages ----------------------------------------------------------------------------------------
def _content_type(http: Any) -> tuple[str, str]:
    raw = http.get_header("Content-Type") or ""
    return raw, raw.split(";")[0].strip().lower()


def page_encoding(content_type_header: str, body: bytes) -> str | None:
    """The encoding Scrapy's ``TextResponse.encoding`` would give (declared, else inferred)."""
    bom = read_bom(body)[0]
    declared = bom or http_content_type_encoding(content_type_header) or html_body_declared_encoding(body)
    if declared:
        return resolve_encoding(declared) or declared
    for candidate in ("ascii", "utf-8"):
        try:
            body.decode(candidate)
        except UnicodeError:
            continue
        return resolve_encoding(candidate)
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - a Scrapy dependency, normally present
        return None
    match = from_bytes(body[:65536]).best()
    return resolve_encoding(match.encoding) if match else None


def _warc_date(value: str | None) -> dt.datetime:
    if value:
        try:
            return iso_date_to_datetime(value).replace(tzinfo=dt.UTC)
        except (ValueError, TypeError):
            pass
    return dt.datetime.now(dt.UTC)


def _iso(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


class WarcPageReader:
    """Turns the response records of WARC files into :class:`Page` (or, for error pages, :class:`Dropped`).

    One reader over all inputs, in order: hints learnt from a feed in one file serve pages in later ones.
    """

    def __init__(self, *, source: str | None = None, max_page_bytes: int = 8 * 1024 * 1024) -> None:
        self.source = source
        self.max_page_bytes = max_page_bytes
        self.stats = ReadStats()
        self.hints: dict[str, Hint] = {}
        self._error_urls: set[str] = set()
        self._ours = False  # whether the current file was written by newsharvest (its warcinfo says so)
        self._record: Any = None  # the record being read, where _skip notes its reason

    def read_file(
        self, path: str | Path, progress: Callable[[int], None] | None = None
    ) -> Iterator[Page | Dropped]:
        """The pages of one file; :class:`NotAWarcError` (or ``OSError``) when it cannot be read at all."""
        self._ours = False
        with open(path, "rb") as fh:
            done = 0
            for record in iter_records(fh, self.stats):
                self.stats.records += 1
                try:
                    item = self._item(record)
                except _READ_ERRORS as exc:
                    setattr(record, SKIP_ATTR, "corrupt")
                    logger.info("Skipped a corrupt record in %s: %s", path, exc)
                    item = None
                if progress is not None:
                    position = fh.tell()
                    if position > done:
                        progress(position - done)
                        done = position
                if item is not None:
                    if isinstance(item, Page):
                        self.stats.pages += 1
                    yield item

    def read(
        self, paths: Iterable[str | Path], progress: Callable[[int], None] | None = None
    ) -> Iterator[Page | Dropped]:
        """The pages of every input; unreadable inputs are reported in ``stats.bad_files`` and skipped.

        ``progress`` is called with the number of input bytes read since its last call.
        """
        for path in paths:
            try:
                yield from self.read_file(path, progress)
            except (NotAWarcError, OSError) as exc:
                self.stats.bad_files.append((str(path), str(exc)))
                logger.error("Skipped %s: not a readable WARC file (%s)", path, exc)

    # -- one record ------------------------------------------------------------------------------------------
    def _skip(self, reason: str) -> None:
        setattr(self._record, SKIP_ATTR, reason)

    def _item(self, record: Any) -> Page | Dropped | None:
        self._record = record
        if record.rec_type == "revisit":
            return self._skip("revisit")
        if record.rec_type == "warcinfo":
            self._ours = b"software: newsharvest/" in record.content_stream().read(8192)
        if record.rec_type != "response":
            return self._skip("not_response")
        url = record.rec_headers.get_header("WARC-Target-URI") or ""
        http = record.http_headers
        if not url.startswith(("http://", "https://")) or http is None:
            return self._skip("not_http")
        try:
            status = int(http.get_statuscode())
        except (TypeError, ValueError):
            return self._skip("corrupt")
        raw_type, content_type = _content_type(http)
        headers = record.rec_headers
        source = self.source or headers.get_header(SOURCE_HEADER) or (urlsplit(url).hostname or "").lower()
        fetched_at = _warc_date(headers.get_header("WARC-Date"))
        if 300 <= status < 400:
            self._follow_redirect(url, http.get_header("Location"))
            return self._skip("redirect")
        is_html = not content_type or content_type in HTML_TYPES
        # Our WARC files say whether the crawl fetched this as a page (robots.txt, feeds and sitemaps are
        # not pages); for other WARC files, every HTML response is one.
        ours = self._ours or headers.get_header(VIA_HEADER) is not None
        as_page = headers.get_header(DEPTH_HEADER) is not None if ours else is_html
        if status >= 400:
            if not as_page:
                return self._skip("not_a_page")
            if url in self._error_urls:  # retried by the crawler: one ledger entry, as in the crawl
                return self._skip("retried")
            self._error_urls.add(url)
            return Dropped(
                url=url, reason=Reason.HTTP_ERROR, source=source, detail=f"HTTP {status}", status=status,
                fetched_at=fetched_at,
            )  # fmt: skip
        if not is_html:
            if any(t in content_type for t in _FEED_TYPES):
                self._learn_hints(url, self._payload(record, limit=self.max_page_bytes))
            self._skip("not_html")
            if ours and as_page:  # the crawl records these in the ledger too
                return Dropped(
                    url=url, reason=Reason.NOT_HTML, source=source, detail=content_type, status=status,
                    fetched_at=fetched_at,
                )  # fmt: skip
            return None
        body = self._payload(record, limit=self.max_page_bytes)
        if body is None:  # cut short: counted as "truncated" by iter_records, which sees every record
            return None
        if len(body) > self.max_page_bytes:
            self._skip("too_large")
            return Dropped(
                url=url, reason=Reason.TOO_LARGE, source=source, detail=f"over {self.max_page_bytes} bytes",
                status=status, fetched_at=fetched_at,
            )  # fmt: skip
        via = headers.get_header(VIA_HEADER)
        if via:  # our own WARC: the hints the crawl had for this very request
            hint = Hint(
                _iso(headers.get_header(HINTED_PUBLISHED_HEADER)), headers.get_header(HINTED_TITLE_HEADER)
            )
        else:
            hint = self.hints.get(url) or Hint()
        extra: dict[str, Any] = {}
        if "etag" in _PAGE_FIELDS:
            extra["etag"] = http.get_header("ETag")
        if "last_modified" in _PAGE_FIELDS:
            extra["last_modified"] = http.get_header("Last-Modified")
        return Page(
            url=url, body=body, source=source, status=status, encoding=page_encoding(raw_type, body),
            fetched_at=fetched_at, content_type=content_type or None, discovered_via=via or "warc",
            hinted_published=hint.published, hinted_title=hint.title, **extra,
        )  # fmt: skip

    def _payload(self, record: Any, *, limit: int) -> bytes | None:
        """The decoded payload, up to ``limit + 1`` bytes; ``None`` when the record is cut short."""
        body = record.content_stream().read(limit + 1)
        if len(body) > limit:
            return body
        remaining = getattr(record.raw_stream, "limit", 0)
        if remaining and record.raw_stream.read(1):
            return body  # bytes left unread by a decoder (trailing data after a gzip member): not truncated
        return None if remaining else body

    # -- hints from feeds and sitemaps (WARC files not written by newsharvest) -------------------------------
    def _learn_hints(self, url: str, body: bytes | None) -> None:
        if not body:
            return
        try:
            from newsharvest.discovery import DiscoveryError, parse_feed, parse_sitemap, sitemap_body
        except ImportError:  # pragma: no cover
            return
        start = body[:512].lstrip().lower()
        try:
            if b"<urlset" in start or b"<sitemapindex" in start:
                listed = parse_sitemap(sitemap_body(body, self.max_page_bytes)).pages
            else:
                listed = parse_feed(body, url)
        except (DiscoveryError, ValueError):
            return
        for item in listed:
            self.hints.setdefault(item.url, Hint(item.published, item.title))

    def _follow_redirect(self, url: str, location: str | None) -> None:
        if location and url in self.hints:
            self.hints.setdefault(urljoin(url, location), self.hints[url])
