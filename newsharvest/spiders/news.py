"""The ``news`` spider: discovers article pages through feeds, sitemaps and section pages, and fetches them.

The spider only discovers and fetches. Every fetched page is yielded as a :class:`~pipelines.records.Page`
item (or a :class:`~pipelines.records.Dropped` entry when it cannot be one: HTTP error, not HTML, fetch
failure); extraction, filtering, dedup and writing are the item pipelines' job.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response, TextResponse
from scrapy.linkextractors import LinkExtractor
from scrapy.utils.sitemap import sitemap_urls_from_robots
from twisted.python.failure import Failure

from newsharvest.config import ConfigError, SourcesConfig, load_sources
from newsharvest.discovery import DiscoveryError, Listed, parse_feed, parse_sitemap, sitemap_body
from pipelines.records import Dropped, Page, Reason, utcnow

logger = logging.getLogger(__name__)

_HTML_TYPES = ("text/html", "application/xhtml+xml")


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


class NewsSpider(scrapy.Spider):
    """Crawl the sources of a sources file (``-a sources=FILE`` or ``NEWSHARVEST_SOURCES``)."""

    name = "news"

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
        return spider

    def _setup(self, config: SourcesConfig) -> None:
        self.sources = {source.name: source for source in config.sources}
        self.source_domains: dict[str, tuple[str, ...]] = {}
        for source in config.sources:
            hosts = source.allowed_domains or tuple(sorted({host_of(u) for u in source.urls}))
            self.source_domains[source.name] = hosts
        self.allowed_domains = sorted({d for hosts in self.source_domains.values() for d in hosts})
        self.default_depth = self.settings.getint("NEWSHARVEST_LINK_DEPTH")
        self.max_page_bytes = self.settings.getint("NEWSHARVEST_MAX_PAGE_BYTES")
        self._extractors = {
            name: LinkExtractor(allow_domains=hosts, unique=True)
            for name, hosts in self.source_domains.items()
        }

    # -- start -----------------------------------------------------------------------------------------------
    async def start(self) -> AsyncIterator[scrapy.Request]:
        for request in self.start_requests_for_sources():
            yield request

    def start_requests_for_sources(self) -> Iterator[scrapy.Request]:
        robots_done: set[str] = set()
        for source in self.sources.values():
            for url in source.feeds:
                yield self._request(url, source.name, self.parse_feed, via="feed", always=True)
            for url in source.sitemaps:
                yield self._request(url, source.name, self.parse_sitemap, via="sitemap", always=True)
            for url in source.start_urls:
                yield self._request(url, source.name, self.parse_page, via="start_url", depth=0, always=True)
            for url in source.urls:
                parts = urlsplit(url)
                root = f"{parts.scheme}://{parts.netloc}"
                if root not in robots_done:
                    robots_done.add(root)
                    yield self._request(f"{root}/robots.txt", source.name, self.parse_robots, via="robots")

    def _request(
        self, url: str, source: str, callback: Any, *, via: str, depth: int | None = None,
        always: bool = False, hint: Listed | None = None,
    ) -> scrapy.Request:  # fmt: skip
        meta = {"nh_source": source, "nh_via": via, "nh_depth": depth}
        if hint is not None:
            meta["nh_published"], meta["nh_title"] = hint.published, hint.title
        return scrapy.Request(url, callback=callback, errback=self.on_error, meta=meta, dont_filter=always)

    # -- discovery -------------------------------------------------------------------------------------------
    def parse_robots(self, response: Response) -> Iterator[scrapy.Request]:
        if response.status >= 400 or not isinstance(response, TextResponse):
            return
        source = response.meta["nh_source"]
        for url in sitemap_urls_from_robots(response.text, base_url=response.url):
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
            yield self._article_request(item, source, "sitemap")

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
        )  # fmt: skip
        depth = response.meta.get("nh_depth")
        if isinstance(response, TextResponse) and depth is not None and depth < self._depth_limit(source):
            for link in self._extractors[source].extract_links(response):
                yield self._request(link.url, source, self.parse_page, via="link", depth=depth + 1)

    # -- errors ----------------------------------------------------------------------------------------------
    def on_error(self, failure: Failure) -> Iterator[Dropped]:
        request = failure.request  # type: ignore[attr-defined]
        via = request.meta.get("nh_via")
        if via == "robots":
            return
        message = failure.getErrorMessage() or failure.type.__name__
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
