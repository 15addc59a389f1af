"""Log lines for items that say what happened to a page, without dumping the page."""

from __future__ import annotations

import logging
from typing import Any

from scrapy.logformatter import LogFormatter, LogFormatterResult

from newsharvest.pipelines import PageDropped


def _url(item: Any) -> str:
    page = getattr(item, "page", None)
    return getattr(item, "url", None) or getattr(page, "url", None) or "?"


class NewsLogFormatter(LogFormatter):
    """Scrapy's formatter, but a dropped page is one INFO line with its reason, and items are not dumped."""

    def dropped(self, item: Any, exception: BaseException, response: Any, spider: Any) -> LogFormatterResult:
        if isinstance(exception, PageDropped):
            # The ledger writer logs the drop with its reason; Scrapy does not need to say it again.
            return {"level": logging.DEBUG, "msg": "Dropped page %(url)s", "args": {"url": _url(item)}}
        return {"level": logging.INFO, "msg": "Dropped %(url)s: %(exception)s",
                "args": {"url": _url(item), "exception": exception}}  # fmt: skip

    def scraped(self, item: Any, response: Any, spider: Any) -> LogFormatterResult:
        return {"level": logging.DEBUG, "msg": "Processed %(url)s", "args": {"url": _url(item)}}
