"""Scrapy item pipelines: thin adapters that run the stages of :mod:`pipelines` on the spider's items.

``ProcessPagePipeline`` turns a fetched :class:`~pipelines.records.Page` into a candidate article (extraction,
page cleaning, language) or drops it; ``WriteArticlesPipeline`` hands candidates to
:class:`~pipelines.flow.ArticleFlow` (site cleaning, language filter, dedup, Parquet). Every drop, wherever it
happens, ends in the ``dropped`` ledger: pipeline drops through Scrapy's ``item_dropped`` signal, later ones
(duplicates found after site cleaning) directly.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy import signals
from scrapy.exceptions import DropItem

from newsharvest.runtime import runtime
from pipelines.flow import ArticleFlow
from pipelines.page import Candidate, PageOptions
from pipelines.records import Dropped, Page
from pipelines.workers import PagePool

logger = logging.getLogger(__name__)


class PageDropped(DropItem):
    """A page that will not be written; carries its ledger entry. Logged at INFO, not WARNING."""

    def __init__(self, dropped: Dropped) -> None:
        super().__init__(f"{dropped.reason}: {dropped.url}", log_level="INFO")
        self.dropped = dropped


def page_options(settings: Any) -> PageOptions:
    return PageOptions(
        min_words=settings.getint("NEWSHARVEST_MIN_WORDS"),
        max_page_bytes=settings.getint("NEWSHARVEST_MAX_PAGE_BYTES"),
        langdetect_chars=settings.getint("NEWSHARVEST_LANGDETECT_CHARS"),
        langdetect_seed=settings.getint("NEWSHARVEST_LANGDETECT_SEED"),
        langdetect_trials=settings.getint("NEWSHARVEST_LANGDETECT_TRIALS"),
    )


class ProcessPagePipeline:
    """Extraction, page-level cleaning, article detection and language of each fetched page, on all cores."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.options = page_options(crawler.settings)
        workers = crawler.settings.get("NEWSHARVEST_WORKERS")
        self.workers = None if workers in (None, "", "None") else int(workers)
        trims = crawler.settings.getfloat("NEWSHARVEST_TRIM_INTERVAL") > 0
        self.trim_every = crawler.settings.getint("NEWSHARVEST_TRIM_PAGES") if trims else 0
        self.pool: PagePool | None = None

    def open_spider(self, spider: Any = None) -> None:
        self.pool = PagePool(self.options, self.workers, trim_every=self.trim_every)
        self.pool.start()

    def close_spider(self, spider: Any = None) -> None:
        if self.pool is not None:
            self.pool.close()

    @classmethod
    def from_crawler(cls, crawler: Any) -> ProcessPagePipeline:
        return cls(crawler)

    async def process_item(self, item: Any) -> Any:
        if isinstance(item, Dropped):
            raise PageDropped(item)
        if not isinstance(item, Page):
            return item
        self.crawler.stats.inc_value("newsharvest/pages")
        assert self.pool is not None
        result = await self.pool.process(item)
        if isinstance(result, Dropped):
            raise PageDropped(result)
        return result


class WriteArticlesPipeline:
    """Site cleaning, language filter, dedup and Parquet output, and the dropped-page ledger."""

    #: The flow this pipeline drives; the scale-out add-on uses a subclass that shares state through Redis.
    flow_class: type[ArticleFlow] = ArticleFlow

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.flow: ArticleFlow | None = None
        crawler.signals.connect(self.item_dropped, signal=signals.item_dropped)

    @classmethod
    def from_crawler(cls, crawler: Any) -> WriteArticlesPipeline:
        return cls(crawler)

    def open_spider(self, spider: Any = None) -> None:
        settings, rt = self.crawler.settings, runtime(self.crawler)
        spider = self.crawler.spider
        config = getattr(spider, "config", None)
        languages = settings.getlist("NEWSHARVEST_LANGUAGES") or list(getattr(config, "languages", ()))
        sources = getattr(config, "sources", ())
        self.flow = self.flow_class(
            rt.output, rt.store, languages=languages,
            source_languages={s.name: frozenset(s.languages) for s in sources if s.languages},
            min_words=settings.getint("NEWSHARVEST_MIN_WORDS"), run_id=rt.run_id,
            near_dup_threshold=settings.getfloat("NEWSHARVEST_NEAR_DUP_THRESHOLD"),
            file_rows=settings.getint("NEWSHARVEST_PARQUET_FILE_ROWS"),
            row_group_rows=settings.getint("NEWSHARVEST_PARQUET_ROW_GROUP"),
            flush_seconds=settings.getfloat("NEWSHARVEST_PARQUET_FLUSH_SECONDS"),
            inc_stat=lambda key, n: self.crawler.stats.inc_value(f"newsharvest/{key}", n),
        )  # fmt: skip
        rt.flow = self.flow

    def process_item(self, item: Any) -> Any:
        if isinstance(item, Candidate) and self.flow is not None:
            self.flow.submit(item)
        return item

    def item_dropped(self, item: Any, response: Any, exception: BaseException, spider: Any = None) -> None:
        if isinstance(exception, PageDropped) and self.flow is not None:
            self.flow.drop(exception.dropped)

    def close_spider(self, spider: Any = None) -> None:
        if self.flow is not None:
            self.flow.close()
        runtime(self.crawler).close()
