"""Scrapy add-on that starts the extraction workers' fork server as the crawl starts.

Add-ons are loaded before Scrapy builds the crawler, its extensions, middlewares and pipelines, and opens the
spider (~0.4 s). Started here, the fork server imports what the workers need (~0.8 s,
:mod:`pipelines.forkserver`) on the other core meanwhile, and the first pages are extracted ~0.4 s sooner.
Nothing is started when ``NEWSHARVEST_WORKERS`` is 0 (extraction inline in the Scrapy process).
"""

from __future__ import annotations

from typing import Any

from pipelines import forkserver


class WorkerPrestart:
    """Scrapy add-on: :func:`pipelines.forkserver.prestart` unless the crawl runs without workers."""

    @classmethod
    def update_pre_crawler_settings(cls, settings: Any) -> None:
        workers = settings.get("NEWSHARVEST_WORKERS")
        try:
            inline = workers not in (None, "", "None") and int(workers) <= 0
        except (TypeError, ValueError):
            return  # not a number: newsharvest.settingscheck, loaded first, stops the run with the key
        if not inline:
            forkserver.prestart()

    def update_settings(self, settings: Any) -> None:
        """Nothing to change: the add-on only starts a process."""
