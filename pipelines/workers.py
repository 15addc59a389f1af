"""Running per-page processing on all cores.

Scrapy runs on one thread; trafilatura and langdetect are CPU-bound, so inline in an item pipeline they block
the reactor and leave the other cores idle. :class:`PagePool` runs :func:`pipelines.page.process_page` in a
process pool that an async item pipeline awaits. Each page's HTML crosses the process boundary once, on the
way in; only the extracted text comes back.

The workers are started with ``spawn``: each is a fresh interpreter that imports and loads what it needs
(:func:`_init_worker`). Forking the Scrapy process, which runs a Twisted reactor and threads, would not be
safe. Until 2026-12-01 they were forked from a fork server that had loaded trafilatura and langdetect's
profiles, so as to share that memory. In CPython a worker's reads of those objects write their reference
counts and so un-share part of it, and the fork server's own memory and its preloads weighed more. Paired
crawls (docs/BENCHMARKS.md, "Fifth round") gave, with spawn, the same pages/s, a PSS 10-15 MB lower, and an
RSS summed over the processes 110-120 MB lower.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import multiprocessing
import os
import threading
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from pipelines.memory import trim_heap
from pipelines.page import Candidate, PageOptions, page_dropped, process_page
from pipelines.records import Page, Reason

logger = logging.getLogger(__name__)

_options: PageOptions | None = None
_trim_every = 0
_pages_done = 0


def available_cores() -> int:
    """Cores this process may run on (respects CPU affinity and container limits where Python sees them)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _init_worker(options: PageOptions, trim_every: int = 0) -> None:
    """Load, once and before the first page, what every page needs, then freeze it out of the collector.

    trafilatura, lxml and our stages are imported, and langdetect's profiles (~26 MB) are loaded.
    ``gc.freeze`` then moves these long-lived objects out of the collector's generations, so that its full
    collections do not walk them again and again: without it, the 5x bench crawl took 6% more CPU per page.
    Data that only some pages need is left to load on first use: jusText's stop lists for the fallback
    extraction (~12 MB) and dateparser's locales for dates that only it can read (13 MB for common ones).
    """
    global _options, _trim_every
    _options = options
    _trim_every = trim_every
    from pipelines import extract  # noqa: F401
    from pipelines.language import _get_factory

    _get_factory()
    gc.collect()
    gc.freeze()


def _ready() -> int:
    return os.getpid()


def _process_in_worker(page: Page) -> Candidate | object:
    global _pages_done
    assert _options is not None, "worker not initialised"
    result = process_page(page, _options)
    _pages_done += 1
    if _trim_every and _pages_done % _trim_every == 0:
        trim_heap()  # a page's lxml trees are freed in many pieces: give them back (pipelines.memory)
    return result


class PagePool:
    """Per-page processing, inline (``workers=0``) or in ``workers`` processes."""

    def __init__(self, options: PageOptions, workers: int | None = None, *, trim_every: int = 0) -> None:
        """``trim_every``: each worker gives its freed heap back to the OS after N pages (0: never)."""
        self.options = options
        self.workers = available_cores() if workers is None else max(0, workers)
        self.trim_every = trim_every
        self.restarts = 0
        self._executor: Executor | None = None
        self._starter: threading.Thread | None = None
        if self.workers > 0:
            self._executor = self._new_executor()

    def _new_executor(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self.workers, mp_context=multiprocessing.get_context("spawn"),
            initializer=_init_worker, initargs=(self.options, self.trim_every),
        )  # fmt: skip

    def start(self) -> None:
        """Start the workers now, in a background thread, instead of at the first page.

        A worker's start-up (a new interpreter, trafilatura, langdetect's profiles: ~0.5 s) would otherwise
        come with the first page; started when the spider opens, it runs while the crawl fetches robots.txt,
        feeds and sitemaps and its first pages."""
        if self._executor is None or self._starter is not None:
            return
        executor, workers = self._executor, self.workers

        def spawn() -> None:
            try:
                for future in [executor.submit(_ready) for _ in range(workers)]:
                    future.result()
            except Exception:  # a failure to start shows again, with its cause, on the first page
                logger.debug("Worker pool start-up failed", exc_info=True)

        self._starter = threading.Thread(target=spawn, name="newsharvest-workers-start", daemon=True)
        self._starter.start()

    def process_sync(self, page: Page) -> object:
        """Process one page in this process (the inline path; also what each worker runs)."""
        return process_page(page, self.options)

    async def process(self, page: Page) -> object:
        """Process one page in the pool, without blocking the event loop.

        A worker that dies (a crash in a C extension on some page, the OOM killer) breaks the whole pool
        and fails every page in it. The pool is then replaced and the page tried once more; a page that
        breaks the new pool too is recorded as an ``extraction_error`` instead of stopping the crawl."""
        if self._executor is None:
            return self.process_sync(page)
        loop = asyncio.get_running_loop()
        for _attempt in range(2):
            executor = self._executor
            if executor is None:  # closed meanwhile: process it here rather than lose it
                return self.process_sync(page)
            try:
                return await loop.run_in_executor(executor, _process_in_worker, page)
            except BrokenProcessPool:
                self._replace(executor)
        return page_dropped(page, Reason.EXTRACTION_ERROR, "worker process died on this page")

    def _replace(self, broken: Executor) -> None:
        """Swap a broken pool for a new one (once per breakage, however many pages saw it break)."""
        if self._executor is not broken:
            return
        logger.warning("A worker process died; starting a new worker pool")
        survivors = list((getattr(broken, "_processes", None) or {}).values())  # shutdown() drops the dict
        broken.shutdown(wait=False, cancel_futures=True)
        # A worker killed while sending its result leaves the result queue's lock taken for ever: the other
        # workers of the broken pool can then block on it, and ProcessPoolExecutor joins them when the
        # interpreter exits, so the crawl would never end. They are of no more use: kill them.
        for process in survivors:
            with contextlib.suppress(Exception):
                process.kill()
        self.restarts += 1
        self._executor = self._new_executor()
        self._starter = None
        self.start()

    def close(self) -> None:
        if self._starter is not None:
            self._starter.join()
            self._starter = None
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None
