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
import zlib
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
_READ_ERRORS = (ArchiveLoadFailed, zlib.error, EOFError, ValueError, OSError, IndexError, KeyError)
# gzip.BadGzipFile is an OSError; a decoder may raise others on garbage, all mean "this record is bad".
_GZIP_MAGIC = b"\x1f\x8b\x08"
_SCAN_BLOCK = 1 << 20

# Extension headers written by newsharvest.warc (kept literal: this module must not import Scrapy code).
SOURCE_HEADER = "WARC-Newsharvest-Source"
VIA_HEADER = "WARC-Newsharvest-Via"
HINTED_PUBLISHED_HEADER = "WARC-Newsharvest-Hinted-Published"
HINTED_TITLE_HEADER = "WARC-Newsharvest-Hinted-Title"

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
                if record.format != "warc":  # warcio falls back to ARC parsing on garbage: not for us
                    raise ArchiveLoadFailed(f"not a WARC record: {record.rec_headers.statusline!r}")
                seen, in_bad_stretch = seen + 1, False
                yield record
                record_start = iterator.offset
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


def _whole_gzip_records(fh: BinaryIO, *, skip: int, stats: ReadStats) -> Iterator[Any]:
    """Records of a WARC compressed as a single gzip stream, after the ``skip`` already read."""
    fh.seek(0)
    with gzip.GzipFile(fileobj=fh) as stream:
        try:
            for index, record in enumerate(_QuietIterator(stream)):
                if index >= skip:
                    yield record
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

    def read_file(
        self, path: str | Path, progress: Callable[[int], None] | None = None
    ) -> Iterator[Page | Dropped]:
        """The pages of one file; :class:`NotAWarcError` (or ``OSError``) when it cannot be read at all."""
        with open(path, "rb") as fh:
            done = 0
            for record in iter_records(fh, self.stats):
                self.stats.records += 1
                try:
                    item = self._item(record)
                except _READ_ERRORS as exc:
                    self.stats.skipped["corrupt"] += 1
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
        self.stats.skipped[reason] += 1

    def _item(self, record: Any) -> Page | Dropped | None:
        if record.rec_type == "revisit":
            return self._skip("revisit")
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
        if status >= 400 and is_html:
            return Dropped(
                url=url, reason=Reason.HTTP_ERROR, source=source, detail=f"HTTP {status}", status=status,
                fetched_at=fetched_at,
            )  # fmt: skip
        if not is_html or status >= 400:
            if status < 300 and any(t in content_type for t in _FEED_TYPES):
                self._learn_hints(url, self._payload(record, limit=self.max_page_bytes))
            return self._skip("not_html")
        body = self._payload(record, limit=self.max_page_bytes)
        if body is None:
            return self._skip("truncated")
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
