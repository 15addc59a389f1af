"""Incremental crawling: do not fetch again what an earlier run already wrote, unless it may have changed.

A crontab line re-reads the same feeds and sitemaps every 15 minutes; without this every run would download
every listed article again only for dedup to discard it. The downloader middleware here looks each article
request up in the state store (by canonical URL, the key dedup writes under):

- not known: fetched as usual;
- known and older than ``NEWSHARVEST_RECHECK_HOURS`` (since published, or since fetched when the date is
  unknown): not fetched at all (``IgnoreRequest``, counted as ``newsharvest/incremental/skipped``; not a
  dropped page, since nothing was fetched). News articles get corrected in their first hours or days, rarely
  later, so re-checking old ones would cost a request each for nothing;
- known and recent: re-fetched with a conditional request built from the stored ``ETag``/``Last-Modified``.
  A ``304 Not Modified`` becomes a ``Dropped(reason="unchanged")`` in the spider; a ``200`` goes through the
  pipelines, where dedup decides whether the text changed materially (a new version) or not (a duplicate).

Only page requests are candidates: those the spider sends to its ``parse_page`` callback, except configured
start URLs. Discovery requests (feeds, sitemaps, robots.txt, start URLs) are re-read on every run: they are
how new articles are found. (``nh_via`` alone cannot tell: an article listed by a feed has ``nh_via="feed"``
like the feed itself.) A page whose declared canonical URL differs from its own is looked up under its own,
so it is not found and is fetched again each run; dedup then drops it as a duplicate.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from scrapy import Request
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response

from newsharvest.runtime import runtime
from pipelines.state.base import StateStore, StoredArticle
from pipelines.urls import canonicalize

logger = logging.getLogger(__name__)

#: The spider callback of page (possibly article) requests; any other callback is discovery.
PAGE_CALLBACK = "parse_page"
#: ``nh_via`` of page requests that are nevertheless discovery (section fronts), re-read on every run.
ALWAYS_FETCHED = frozenset({"start_url", "robots"})
#: Request meta flag set on a skipped request, so the spider's errback does not record it as a failure.
SKIPPED_META = "nh_skipped"
CONDITIONAL_META = "nh_conditional"


def is_page_request(request: Request) -> bool:
    """Whether a request fetches a page that may be a stored article (not a feed, sitemap or start URL)."""
    if request.meta.get("nh_source") is None or request.meta.get("nh_via") in ALWAYS_FETCHED:
        return False
    return getattr(request.callback, "__name__", None) == PAGE_CALLBACK


def recheck_due(stored: StoredArticle, now: dt.datetime, window: dt.timedelta) -> bool:
    """Whether a stored article is recent enough to be worth a (conditional) re-fetch."""
    reference = stored.published or stored.fetched_at
    if reference.tzinfo is None:
        reference = reference.replace(tzinfo=dt.UTC)
    return now - reference <= window


def _aware(value: dt.datetime) -> dt.datetime:
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value


class IncrementalMiddleware:
    """Downloader middleware: skip or conditionally re-fetch article pages the state store already holds."""

    def __init__(self, crawler: Any, recheck_hours: float) -> None:
        self.crawler = crawler
        self.window = dt.timedelta(hours=recheck_hours)
        # Articles fetched from now on were written by this run: a URL variant of one of them is fetched and
        # recorded as a duplicate, not skipped unrecorded (which of the two comes first is a race).
        self.started = dt.datetime.now(dt.UTC)

    @classmethod
    def from_crawler(cls, crawler: Any) -> IncrementalMiddleware:
        if not crawler.settings.getbool("NEWSHARVEST_INCREMENTAL", True):
            raise NotConfigured
        return cls(crawler, crawler.settings.getfloat("NEWSHARVEST_RECHECK_HOURS"))

    @property
    def store(self) -> StateStore:
        return runtime(self.crawler).store

    def _inc(self, key: str, source: str) -> None:
        stats = self.crawler.stats
        stats.inc_value(f"newsharvest/incremental/{key}")
        stats.inc_value(f"newsharvest/source/{source}/{key}")

    def process_request(self, request: Request, spider: Any = None) -> None:
        if not is_page_request(request):
            return None
        source = request.meta["nh_source"]
        canonical, _ = canonicalize(request.url)
        stored = self.store.article_by_url(canonical)
        if stored is None or _aware(stored.fetched_at) >= self.started:
            return None
        if not recheck_due(stored, dt.datetime.now(dt.UTC), self.window):
            self._inc("skipped", source)
            request.meta[SKIPPED_META] = True
            raise IgnoreRequest(f"already harvested: {request.url} (article {stored.article_id})")
        self._inc("rechecked", source)
        if stored.etag:
            request.headers[b"If-None-Match"] = stored.etag
        if stored.last_modified:
            request.headers[b"If-Modified-Since"] = stored.last_modified
        request.meta[CONDITIONAL_META] = bool(stored.etag or stored.last_modified)
        return None

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Response:
        if response.status == 304 and request.meta.get(CONDITIONAL_META):
            self._inc("not_modified", request.meta.get("nh_source", ""))
        return response
