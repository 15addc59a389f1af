"""Per-crawl shared objects: the run id, the output folder and the state store.

The spider (incremental crawling), the item pipelines (dedup, writing) and the extensions (run manifest) need
the same store and run id; they get them from here, keyed on the crawler, instead of each opening their own.
"""

from __future__ import annotations

import datetime as dt
import secrets
from pathlib import Path
from typing import Any

from pipelines.state import open_store
from pipelines.state.base import StateStore

_ATTR = "_newsharvest_runtime"


class Runtime:
    """What one crawl shares between its components."""

    def __init__(self, crawler: Any) -> None:
        settings = crawler.settings
        self.output = Path(settings.get("NEWSHARVEST_OUTPUT") or "output")
        self.run_id = settings.get("NEWSHARVEST_RUN_ID") or new_run_id()
        self.state_spec = settings.get("NEWSHARVEST_STATE") or "sqlite"
        self._store: StateStore | None = None
        # The crawl's ArticleFlow (set by WriteArticlesPipeline when it opens): the run manifest lists the
        # files its writers finalised.
        self.flow: Any = None

    @property
    def store(self) -> StateStore:
        if self._store is None:
            self.output.mkdir(parents=True, exist_ok=True)
            self._store = open_store(self.state_spec, self.output)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


def new_run_id() -> str:
    """Sortable by time, unique across machines: ``20261124T112000Z-3f9a1c``."""
    return dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(3)


def runtime(crawler: Any) -> Runtime:
    """The crawl's :class:`Runtime`, created on first use."""
    found = getattr(crawler, _ATTR, None)
    if found is None:
        found = Runtime(crawler)
        setattr(crawler, _ATTR, found)
    return found
