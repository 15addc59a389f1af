"""A test-only Scrapy extension: the most requests the scheduler held at once, as the stat
``probe/max_scheduled`` (the crawl's stats are printed at the end of its log)."""

from __future__ import annotations

from typing import Any

from scrapy import signals


class SchedulerProbe:
    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.most = 0
        crawler.signals.connect(self.request_scheduled, signal=signals.request_scheduled)

    @classmethod
    def from_crawler(cls, crawler: Any) -> SchedulerProbe:
        return cls(crawler)

    def request_scheduled(self, request: Any, spider: Any = None) -> None:
        # the signal is sent before the request is queued: count it in
        held = len(self.crawler.engine.scheduler) + 1
        if held > self.most:
            self.most = held
            self.crawler.stats.set_value("probe/max_scheduled", held)
