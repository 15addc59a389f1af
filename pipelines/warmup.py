"""Imported by the worker pool's fork server (:mod:`pipelines.workers`): load what every worker needs, once.

Each worker is forked from the fork server, so what the fork server loads before forking is shared
copy-on-write by all workers instead of being built again in each: langdetect's profiles (~26 MB, stored
sparse by ``SparseDetectorFactory``; langdetect's own take ~61 MB), the jusText stop word lists trafilatura
falls back on, and the dateparser locales that dates in the languages we crawl need. All three are caches
with the same content however they are filled, so loading them early changes no result. ``gc.freeze()``
keeps the collector from writing to (and so un-sharing) the pages of these long-lived objects.

dateparser (htmldate's last resort for a date it cannot read otherwise) tries its locales in a fixed order,
most used first, and loads each as it goes: a date in a common language loads a dozen locales (0.27 s, 13 MB
for the dates below), a string that matches no locale loads all ~200 (1.8 s, 56 MB). Only the first is loaded
here. On the 152 real pages of the eval data, dateparser is called on 2 and both dates are read by the
locales loaded here; a worker that meets a string no locale matches loads the rest itself, once.
"""

from __future__ import annotations

import gc
import logging

import pipelines.workers  # noqa: F401  (what the workers run)
from pipelines.language import _get_factory

logger = logging.getLogger(__name__)

#: One date in each language the project targets, and numeric forms: each loads the locales dateparser tries
#: before it reads the date.
_COMMON_DATES = (
    "05/29/2007 09:49:00",
    "3 March 2021",
    "3. März 2021",
    "3 mars 2021",
    "3 de marzo de 2021",
    "3 marzo 2021",
    "3 de março de 2021",
    "3 maart 2021",
    "2016年10月14日07:17",
)


def warm() -> None:
    _get_factory()
    try:
        from htmldate.extractors import get_external_parser
        from trafilatura.external import jt_stoplist_init

        jt_stoplist_init()
        parser = get_external_parser()
        for date in _COMMON_DATES:
            parser.get_date_data(date)
    except Exception:  # a library change must not stop the crawl: the workers fill these caches themselves
        logger.debug("Worker warm-up incomplete", exc_info=True)
    gc.collect()
    gc.freeze()


warm()
