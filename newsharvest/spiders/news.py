"""The ``news`` spider: discovers article pages through feeds, sitemaps and section pages, and fetches them.

The spider only discovers and fetches. Every fetched page is yielded as a :class:`~pipelines.records.Page`
item (or a :class:`~pipelines.records.Dropped` entry when it cannot be one: HTTP error, not HTML, fetch
failure); extraction, filtering, dedup and writing are the item pipelines' job.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import deque
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.core.scheduler import Scheduler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response, TextResponse
from scrapy.utils.asyncio import sleep
from scrapy.utils.misc import load_object
from scrapy.utils.sitemap import sitemap_urls_from_robots
from twisted.python.failure import Failure
from w3lib.url import safe_url_string

from newsharvest.config import ConfigError, SourcesConfig, load_sources
from newsharvest.discovery import DiscoveryError, Listed, parse_feed, parse_sitemap, sitemap_body
from newsharvest.links import LinkFinder
from newsharvest.runtime import runtime
from pipelines.records import Dropped, Page, Reason, utcnow

logger = logging.getLogger(__name__)

_HTML_TYPES = ("text/html", "application/xhtml+xml")
#: How often the spider looks whether sitemaps may still add to an empty backlog (seconds).
_BACKLOG_POLL = 0.05


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def _header(response: Response, name: bytes) -> str | None:
    """A response header as text (validators are ASCII), ``None`` when absent or empty."""
    value = response.headers.get(name)
    return (value.decode("latin-1").strip() or None) if value else None


class NewsSpider(scrapy.Spider):
    """Crawl the sources of a sources file (``-a sources=FILE`` or ``NEWSHARVEST_SOURCES``)."""

    name = "news"
    # Scrapy checks the callback of every response for a generator returning a value, reading and parsing its
    # source. Its cache holds the bound method weakly, and each request has its own, gone with the request: it
    # rarely hits (1.5% of the crawl process's CPU). tests/test_sitemap_backlog.py checks our callbacks once.
    custom_settings = {"WARN_ON_GENERATOR_RETURN_VALUE": False}

    def __init__(self, sources: str | None = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sources_path = sources

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> NewsSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        path = spider.sources_path or crawler.settings.get("NEWSHARVEST_SOURCES")
        if not path:
            raise ConfigError("(none)", "sources", "no sources file given: use -a sources=FILE")
        spider.config = load_sources(path)
        spider._setup(spider.config)
        crawler.signals.connect(spider.request_dropped, signal=signals.request_dropped)
        return spider

    def request_dropped(self, request: scrapy.Request, spider: Any = None) -> None:
        """Record redirect loops: the scheduler's duplicate filter ends them silently, without an errback."""
        chain = request.meta.get("redirect_urls") or []
        if request.url not in chain or "nh_source" not in request.meta:
            return
        flow = runtime(self.crawler).flow
        if flow is None:
            return
        self.crawler.stats.inc_value(f"newsharvest/errors/{request.meta['nh_source']}")
        flow.drop(
            Dropped(url=chain[0], reason=Reason.FETCH_ERROR, source=request.meta["nh_source"],
                    detail=f"redirect loop back to {request.url}")
        )  # fmt: skip

    def _setup(self, config: SourcesConfig) -> None:
        self.sources = {source.name: source for source in config.sources}
        self.source_domains: dict[str, tuple[str, ...]] = {}
        for source in config.sources:
            hosts = source.allowed_domains or tuple(sorted({host_of(u) for u in source.urls}))
            self.source_domains[source.name] = hosts
        self.allowed_domains = sorted({d for hosts in self.source_domains.values() for d in hosts})
        self.default_depth = self.settings.getint("NEWSHARVEST_LINK_DEPTH")
        self.max_page_bytes = self.settings.getint("NEWSHARVEST_MAX_PAGE_BYTES")
        # Domain filtering is done on host names below: LinkExtractor's allow_domains compares the netloc,
        # port included, so it would drop every link of a site served on a non-default port.
        self._link_finder = LinkFinder()
        # URLs of the requests this spider has yielded. A link to one of them would only be dropped by the
        # scheduler's duplicate filter (same URL, same fingerprint), after costing a Request, the spider
        # middlewares and a fingerprint in this single-threaded process: most links of a news page are to
        # pages already requested (navigation, sections, related stories), so they are skipped here.
        self._requested: set[str] = set()
        # Pages listed by sitemaps, waiting for room in the scheduler: per host, (url, source, title, date).
        self._backlog: dict[str, deque[tuple[str, str, str | None, dt.datetime | None]]] = {}
        self._use_backlog = self._backlog_possible()

    def _backlog_possible(self) -> bool:
        """The backlog only lives in this process: not with JOBDIR (a paused crawl would lose it) nor with
        another scheduler (scale-out keeps every request in Redis, where a worker's crash loses none)."""
        settings = self.settings
        if not settings.getbool("NEWSHARVEST_SITEMAP_BACKLOG") or settings.get("JOBDIR"):
            return False
        scheduler = settings.get("SCHEDULER")
        try:
            scheduler = load_object(scheduler) if isinstance(scheduler, str) else scheduler
        except (ImportError, NameError, ValueError):
            return False
        return scheduler is Scheduler

    # -- start -----------------------------------------------------------------------------------------------
    async def start(self) -> AsyncIterator[scrapy.Request]:
        for request in self.start_requests_for_sources():
            yield request
        async for request in self._drain_backlog():
            yield request

    async def _drain_backlog(self) -> AsyncIterator[scrapy.Request]:
        """Requests for the pages sitemaps listed, made as the downloader has room (Scrapy's lazy start
        pattern: wait for ``scheduler_empty`` while the engine backs out), until no sitemap can add more.

        Sitemaps can only add pages while a request is downloading, a response is being processed or a
        request waits in the scheduler; when none is and the backlog is empty, start() ends and the engine
        closes the spider as usual once idle."""
        engine = self.crawler.engine
        while True:
            if self._backlog:
                if engine.needs_backout():
                    await self.crawler.signals.wait_for(signals.scheduler_empty)
                    continue
                request = self._backlog_request(*self._next_listed(engine.downloader.slots))
                if request is not None:
                    yield request
            elif (
                engine.downloader.active
                or not engine.scraper.slot.is_idle()
                or (engine.scheduler is not None and engine.scheduler.has_pending_requests())
            ):
                await sleep(_BACKLOG_POLL)
            else:
                return

    def _next_listed(self, slots: dict[str, Any]) -> tuple[str, str, str | None, dt.datetime | None]:
        """The next listed page of the host whose download slot has the fewest requests, as Scrapy's default
        ``DownloaderAwarePriorityQueue`` picks among queued requests: a slow or throttled site does not hold
        up the others. Ties go round the hosts in turn (the host served moves to the end)."""
        backlog = self._backlog
        host = min(backlog, key=lambda h: len(slots[h].active) if h in slots else 0)
        entries = backlog.pop(host)
        entry = entries.popleft()
        if entries:
            backlog[host] = entries
        return entry

    def _backlog_request(
        self, url: str, source: str, title: str | None, published: dt.datetime | None
    ) -> scrapy.Request | None:
        try:
            return self._article_request(Listed(url, title, published), source, "sitemap")
        except ValueError as exc:  # not a URL a request can be made for ("Missing scheme")
            self.crawler.stats.inc_value("newsharvest/not_fetched/bad_url")
            logger.info("Not fetched %s (source %s, listed by a sitemap): %s", url, source, exc)
            return None

    def start_requests_for_sources(self) -> Iterator[scrapy.Request]:
        robots_done: set[str] = set()
        for source in self.sources.values():
            for url in source.feeds:
                yield self._request(url, source.name, self.parse_feed, via="feed")
            for url in source.sitemaps:
                yield self._request(url, source.name, self.parse_sitemap, via="sitemap")
            for url in source.start_urls:
                yield self._request(url, source.name, self.parse_page, via="start_url", depth=0)
            for url in source.urls:
                parts = urlsplit(url)
                root = f"{parts.scheme}://{parts.netloc}"
                if root not in robots_done:
                    robots_done.add(root)
                    yield self._request(f"{root}/robots.txt", source.name, self.parse_robots, via="robots")

    def _request(
        self, url: str, source: str, callback: Any, *, via: str, depth: int | None = None,
        hint: Listed | None = None,
    ) -> scrapy.Request:  # fmt: skip
        meta = {"nh_source": source, "nh_via": via, "nh_depth": depth}
        if hint is not None:
            meta["nh_published"], meta["nh_title"] = hint.published, hint.title
        request = scrapy.Request(url, callback=callback, errback=self.on_error, meta=meta)
        self._requested.add(request.url)
        return request

    # -- discovery -------------------------------------------------------------------------------------------
    def parse_robots(self, response: Response) -> Iterator[scrapy.Request]:
        if response.status >= 400 or not isinstance(response, TextResponse):
            return
        source = response.meta["nh_source"]
        for url in sitemap_urls_from_robots(response.body, base_url=response.url):
            if host_of(url) in self.source_domains[source]:
                yield self._request(url, source, self.parse_sitemap, via="sitemap")

    def parse_feed(self, response: Response) -> Iterator[Any]:
        source = response.meta["nh_source"]
        if response.status >= 400:
            yield self._dropped(response, Reason.BAD_FEED, f"HTTP {response.status}")
            return
        try:
            listed = parse_feed(response.body, response.url)
        except DiscoveryError as exc:
            logger.warning("Broken feed %s (source %s): %s", response.url, source, exc)
            yield self._dropped(response, Reason.BAD_FEED, str(exc))
            return
        self.crawler.stats.inc_value(f"newsharvest/discovered/feed/{source}", len(listed))
        for item in listed:
            yield self._article_request(item, source, "feed")

    def parse_sitemap(self, response: Response) -> Iterator[Any]:
        source = response.meta["nh_source"]
        if response.status >= 400:
            yield self._dropped(response, Reason.BAD_SITEMAP, f"HTTP {response.status}")
            return
        try:
            content = parse_sitemap(sitemap_body(response.body, self.max_page_bytes))
        except DiscoveryError as exc:
            logger.warning("Broken sitemap %s (source %s): %s", response.url, source, exc)
            yield self._dropped(response, Reason.BAD_SITEMAP, str(exc))
            return
        for url in content.sitemaps:
            if host_of(url) in self.source_domains[source]:
                yield self._request(url, source, self.parse_sitemap, via="sitemap")
        self.crawler.stats.inc_value(f"newsharvest/discovered/sitemap/{source}", len(content.pages))
        for item in content.pages:
            if not self._use_backlog:
                yield self._article_request(item, source, "sitemap")
                continue
            url = safe_url_string(item.url, "utf-8")  # the URL a Request makes of it
            if url not in self._requested:
                self._requested.add(url)
                entries = self._backlog.setdefault(host_of(url), deque())  # by download slot
                entries.append((url, source, item.title, item.published))

    def _article_request(self, item: Listed, source: str, via: str) -> scrapy.Request:
        # Pages listed by a feed or sitemap are leaves: their links are not followed.
        return self._request(
            item.url, source, self.parse_page, via=via, depth=self._depth_limit(source), hint=item
        )

    def _depth_limit(self, source: str) -> int:
        depth = self.sources[source].link_depth
        return self.default_depth if depth is None else depth

    # -- pages -----------------------------------------------------------------------------------------------
    def parse_page(self, response: Response) -> Iterator[Any]:
        source = response.meta["nh_source"]
        if response.meta.get("nh_challenge"):  # a captcha / login / paywall stub (newsharvest.health)
            yield self._dropped(response, Reason.BOT_CHALLENGE, response.meta["nh_challenge"])
            return
        if response.status == 304:  # answer to a conditional re-check (newsharvest.incremental)
            yield self._dropped(response, Reason.UNCHANGED, "304 Not Modified")
            return
        if response.status >= 400:
            yield self._dropped(response, Reason.HTTP_ERROR, f"HTTP {response.status}")
            return
        content_type = (
            response.headers.get(b"Content-Type", b"").decode("latin-1").split(";")[0].strip().lower()
        )
        if content_type and content_type not in _HTML_TYPES:
            yield self._dropped(response, Reason.NOT_HTML, content_type)
            return
        encoding = response.encoding if isinstance(response, TextResponse) else None
        yield Page(
            url=response.url, body=response.body, source=source, status=response.status, encoding=encoding,
            fetched_at=utcnow(), content_type=content_type or None,
            discovered_via=response.meta.get("nh_via"),
            hinted_published=response.meta.get("nh_published"), hinted_title=response.meta.get("nh_title"),
            etag=_header(response, b"ETag"), last_modified=_header(response, b"Last-Modified"),
        )  # fmt: skip
        depth = response.meta.get("nh_depth")
        if isinstance(response, TextResponse) and depth is not None and depth < self._depth_limit(source):
            for url in self._link_finder.links(response):
                if url in self._requested or not self._in_source(url, source):
                    continue
                yield self._request(url, source, self.parse_page, via="link", depth=depth + 1)

    def _in_source(self, url: str, source: str) -> bool:
        """Whether ``url`` is on one of the source's hosts or their subdomains."""
        host = host_of(url)
        return any(host == d or host.endswith("." + d) for d in self.source_domains[source])

    # -- errors ----------------------------------------------------------------------------------------------
    def on_error(self, failure: Failure) -> Iterator[Dropped]:
        request = failure.request  # type: ignore[attr-defined]
        via = request.meta.get("nh_via")
        if via == "robots" or request.meta.get("nh_skipped"):  # nh_skipped: not fetched (incremental)
            return
        message = failure.getErrorMessage() or failure.type.__name__
        if failure.check(IgnoreRequest) and not message.startswith("max redirections"):
            # Forbidden by robots.txt or off-site: never fetched, so not a dropped page.
            self.crawler.stats.inc_value("newsharvest/not_fetched/ignored")
            logger.debug("Not fetched %s: %s", request.url, message)
            return
        reason = Reason.FETCH_ERROR
        if "max size" in message or "maxsize" in message.lower():
            reason = Reason.TOO_LARGE
        elif via == "feed":
            reason = Reason.BAD_FEED
        elif via == "sitemap":
            reason = Reason.BAD_SITEMAP
        logger.info("Fetch failed %s (source %s): %s", request.url, request.meta.get("nh_source"), message)
        self.crawler.stats.inc_value(f"newsharvest/errors/{request.meta.get('nh_source')}")
        yield Dropped(
            url=request.url, reason=reason, source=request.meta.get("nh_source", ""),
            detail=f"{failure.type.__name__}: {message}"[:500],
        )  # fmt: skip

    def _dropped(self, response: Response, reason: Reason, detail: str) -> Dropped:
        source = response.meta["nh_source"]
        if reason in (Reason.HTTP_ERROR, Reason.BAD_FEED, Reason.BAD_SITEMAP):
            self.crawler.stats.inc_value(f"newsharvest/errors/{source}")
        return Dropped(url=response.url, reason=reason, source=source, detail=detail, status=response.status)
