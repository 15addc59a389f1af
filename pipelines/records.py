"""The records that flow between stages: a fetched page in, an article or a dropped-page entry out.

Plain dataclasses (not Scrapy items) so every stage can be used and tested without Scrapy, and so they pickle
cheaply when a stage runs in a worker process.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum


class Reason(StrEnum):
    """Why a fetched page was not written as an article. Stored in the ``dropped`` dataset's ``reason``."""

    NOT_ARTICLE = "not_article"  # section front, tag/author/about page, search results, feed...
    DUPLICATE = "duplicate"  # same canonical URL, same text, or a near-copy of a stored article
    LANGUAGE = "language"  # language not in the configured ``languages``
    EMPTY = "empty"  # no article text could be extracted
    HTTP_ERROR = "http_error"  # 4xx/5xx after retries
    FETCH_ERROR = "fetch_error"  # timeout, DNS, connection refused, redirect loop...
    NOT_HTML = "not_html"  # PDF, image, binary payload
    TOO_LARGE = "too_large"  # body over NEWSHARVEST_MAX_PAGE_BYTES
    BAD_FEED = "bad_feed"  # a feed that could not be parsed
    BAD_SITEMAP = "bad_sitemap"  # a sitemap that could not be parsed
    UNCHANGED = "unchanged"  # re-fetched, text not materially changed since the stored version
    BOT_CHALLENGE = "bot_challenge"  # a captcha / login / paywall stub instead of an article
    EXTRACTION_ERROR = "extraction_error"  # the extractor raised on this page


def utcnow() -> dt.datetime:
    """The current time as an aware UTC datetime (the only kind of timestamp the project stores)."""
    return dt.datetime.now(dt.UTC)


@dataclass(slots=True)
class Page:
    """A fetched HTML page, the input of processing."""

    url: str
    body: bytes = field(repr=False)  # never dump a whole page into a log line
    source: str
    status: int = 200
    encoding: str | None = None  # from the HTTP headers / meta, when Scrapy knew it
    fetched_at: dt.datetime = field(default_factory=utcnow)
    content_type: str | None = None
    discovered_via: str | None = None  # feed, sitemap, link, start_url
    hinted_published: dt.datetime | None = None  # from a feed / news sitemap entry
    hinted_title: str | None = None
    # HTTP validators of the response, stored with the article so the next run can re-check it with a
    # conditional request (newsharvest.incremental).
    etag: str | None = None
    last_modified: str | None = None


@dataclass(slots=True)
class Article:
    """One clean article, one row of the ``articles`` dataset."""

    url: str
    canonical_url: str
    title: str | None
    text: str = field(repr=False)  # keep log lines short
    language: str | None
    published: dt.datetime | None
    authors: list[str]
    source: str
    fetched_at: dt.datetime
    content_hash: str
    canonical_rule: str = "url"
    site_name: str | None = None
    description: str | None = None
    tags: list[str] = field(default_factory=list)
    updated: dt.datetime | None = None
    article_id: str = ""
    version: int = 1
    run_id: str = ""
    word_count: int = 0


@dataclass(slots=True)
class Dropped:
    """A fetched page that was not written, with the reason; one row of the ``dropped`` dataset."""

    url: str
    reason: Reason | str
    source: str
    detail: str = ""
    duplicate_of: str | None = None
    status: int | None = None
    fetched_at: dt.datetime = field(default_factory=utcnow)
    run_id: str = ""


class DropPage(Exception):
    """Raised by a stage to say "do not write this page", carrying the ledger entry."""

    def __init__(self, dropped: Dropped) -> None:
        super().__init__(f"{dropped.reason}: {dropped.url}")
        self.dropped = dropped
