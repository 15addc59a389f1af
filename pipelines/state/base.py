"""The state store interface: what deduplication and the incremental crawl remember between runs.

Deduplication needs a few narrow lookups (by URL, by text hash, by LSH band) and a crash-safe write protocol,
not a general database, so the interface is small enough for an embedded SQLite file and a shared Redis to
implement alike. Every write made while harvesting is *pending* until the Parquet file holding the article is
finalised (``commit_file``); ``recover`` at start-up settles what a crash left pending, so the store never
claims an article that is not in the output, and never forgets one that is.
"""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

Signature = npt.NDArray[np.uint32]
"""MinHash values of one article (``num_perm`` unsigned 32-bit integers)."""


@dataclass(slots=True)
class StoredArticle:
    """What the store keeps of one version of one article (not the text: that lives in Parquet)."""

    article_id: str
    canonical_url: str
    content_hash: str
    version: int
    url: str
    published: dt.datetime | None
    fetched_at: dt.datetime
    etag: str | None = None
    last_modified: str | None = None
    n_shingles: int = 0  # shingle-set size: turns the MinHash Jaccard estimate into a containment estimate
    file_id: str = ""  # the Parquet file that holds this version
    committed: bool = False


class StateStore(ABC):
    """Persistent state shared by the runs of one output folder (or, with Redis, by several crawlers).

    Lookups see committed entries and the pending entries of the running process, so that duplicates within
    one run are caught. ``article_by_url`` and ``article_by_id`` return the latest version of an article.
    """

    # --- articles -------------------------------------------------------------------------------------------
    @abstractmethod
    def article_by_id(self, article_id: str) -> StoredArticle | None:
        """The latest version of the article with this id."""

    def article_by_url(self, canonical_url: str) -> StoredArticle | None:
        """The latest version of the article at this URL (looked up by its ``url_key``, so the scheme and
        ``www.`` do not matter)."""
        from pipelines.urls import article_id_for

        return self.article_by_id(article_id_for(canonical_url))

    @abstractmethod
    def article_by_hash(self, content_hash: str) -> StoredArticle | None:
        """A stored version whose normalised text has this hash (the oldest, i.e. the original)."""

    @abstractmethod
    def near_candidates(self, band_keys: list[bytes]) -> list[str]:
        """Ids of the articles sharing at least one LSH band key with the query, most shared bands first."""

    @abstractmethod
    def signature(self, article_id: str) -> Signature | None:
        """The MinHash signature of the latest version of the article."""

    @abstractmethod
    def add_article(
        self, stored: StoredArticle, band_keys: list[bytes], signature: Signature, *, file_id: str
    ) -> None:
        """Record one version, pending until ``commit_file(file_id)``. Durable against a process crash on
        return (it may be lost by a power cut before :meth:`flush`)."""

    @abstractmethod
    def commit_file(self, file_id: str) -> None:
        """Mark every pending entry of ``file_id`` committed, in one transaction. Call after the Parquet file
        is finalised (renamed into place)."""

    @abstractmethod
    def recover(self, finalised_file_ids: set[str]) -> None:
        """At start-up: commit pending entries whose file was finalised, delete the others."""

    def flush(self) -> None:  # noqa: B027 - optional hook, a no-op for backends that write through
        """Make pending writes durable against a power cut. Call before finalising a Parquet file."""

    # --- other state ----------------------------------------------------------------------------------------
    @abstractmethod
    def get_site_knowledge(self, site: str) -> dict[str, Any] | None:
        """The JSON blob the cleaning stage keeps about a site (boilerplate lines, selectors...)."""

    @abstractmethod
    def put_site_knowledge(self, site: str, knowledge: dict[str, Any]) -> None:
        """Replace the site's blob (written at once: it is a cache, not part of the output)."""

    @abstractmethod
    def get_kv(self, key: str) -> str | None:
        """Small miscellaneous state (e.g. source health history)."""

    @abstractmethod
    def put_kv(self, key: str, value: str) -> None:
        """Set a small miscellaneous value (written at once)."""

    @abstractmethod
    def close(self) -> None:
        """Release the connection; pending entries stay pending."""

    def __enter__(self) -> StateStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
