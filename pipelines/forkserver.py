"""The worker pool's fork server: configured in one place, and startable before the pool itself.

The workers are forked from a fork server that first imports :mod:`pipelines.warmup` (trafilatura,
langdetect's profiles, jusText's stop lists, common dateparser locales: ~0.8 s), so that they share that
memory. Started when the pool is created (when the spider opens, ~0.65 s into ``scrapy crawl``), it kept
one core idle for most of the first second and a half of a crawl. :func:`prestart` starts it earlier, from
the crawl's first add-on (:class:`newsharvest.prestart.WorkerPrestart`), while Scrapy is still importing
and configuring itself; the pool then connects to the fork server already running.

This module imports nothing heavy, so that starting the fork server does not delay the crawl.
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
from multiprocessing import forkserver
from multiprocessing.context import BaseContext

logger = logging.getLogger(__name__)

#: What the fork server imports before forking any worker.
PRELOAD = ["pipelines.warmup"]

_started = threading.Event()


def context() -> BaseContext:
    """The ``forkserver`` context, with our preload. (Forking the Scrapy process itself, which runs a Twisted
    reactor and threads, would not be safe; and by default the fork server would import ``__main__``, the
    Scrapy command line, and every worker would carry that memory for nothing.)"""
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(PRELOAD)
    return ctx


def prestart() -> bool:
    """Start the fork server in the background now (idempotent); ``False`` if it was already started."""
    if _started.is_set():
        return False
    _started.set()
    context()

    def start() -> None:
        try:
            forkserver.ensure_running()
        except Exception:  # the pool starts it again, and reports any failure, when it is created
            logger.debug("Fork server pre-start failed", exc_info=True)

    threading.Thread(target=start, name="newsharvest-forkserver-start", daemon=True).start()
    return True
