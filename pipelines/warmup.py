"""Imported by the worker pool's fork server (:mod:`pipelines.workers`): load what every worker needs, once.

Each worker is forked from the fork server, so what the fork server loads before forking is shared
copy-on-write by all workers instead of being built again in each: langdetect's profiles (~60 MB), the
jusText stop word lists trafilatura falls back on, and dateparser's per-locale tables (htmldate's external
parser loads them on the first date it cannot read otherwise). All three are caches with the same content
however they are filled, so loading them early changes no result. ``gc.freeze()`` keeps the collector from
writing to (and so un-sharing) the pages of these long-lived objects.
"""

from __future__ import annotations

import gc
import logging

import pipelines.workers  # noqa: F401  (what the workers run)
from pipelines.language import _get_factory

logger = logging.getLogger(__name__)


def warm() -> None:
    _get_factory()
    try:
        from htmldate.extractors import get_external_parser
        from trafilatura.external import jt_stoplist_init

        jt_stoplist_init()
        get_external_parser().get_date_data("0 zzz 2000")  # matches no locale: every locale's tables load
    except Exception:  # a library change must not stop the crawl: the workers fill these caches themselves
        logger.debug("Worker warm-up incomplete", exc_info=True)
    gc.collect()
    gc.freeze()


warm()
