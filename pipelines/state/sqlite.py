"""The embedded default store: one SQLite file in WAL mode under the output folder.

Built for millions of articles at a flat cost per article:

- ``versions``: one row per article version (no text), appended in rowid order: the MinHash signature and the
  LSH band keys as BLOBs. The only SQLite index is a partial one over *pending* rows (small by construction).
- The lookups (article id, text hash, LSH band → rows) are :class:`~pipelines.state.memindex.MultiIndex`
  objects, rebuilt at open by one sequential scan (about 1 s and 330 MB per million articles, 25 bands):
  random-key B-tree inserts were the cost that grew with the store (see ``memindex``).
- Writes are grouped: ``add_article`` joins an open transaction committed every ``batch_size`` articles or
  ``batch_seconds``, and always by ``flush``, ``commit_file`` and ``close``. **Call ``flush()`` before you
  finalise (rename) a Parquet file**, so that its entries are on disk before the file exists.

One writing process per store file (the in-memory indexes do not see another process's inserts); a shared
crawl uses a shared backend.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np

from pipelines.state.base import Signature, StateStore, StoredArticle
from pipelines.state.memindex import MultiIndex

_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS versions (
        row INTEGER PRIMARY KEY AUTOINCREMENT,
        article_id TEXT NOT NULL,
        version INTEGER NOT NULL,
        canonical_url TEXT NOT NULL,
        content_hash BLOB NOT NULL,
        url TEXT NOT NULL,
        published TEXT,
        fetched_at TEXT NOT NULL,
        etag TEXT,
        last_modified TEXT,
        n_shingles INTEGER NOT NULL,
        signature BLOB,
        bands BLOB NOT NULL,
        file_id TEXT NOT NULL,
        committed INTEGER NOT NULL DEFAULT 0
    )""",
    "CREATE INDEX IF NOT EXISTS versions_pending ON versions (file_id) WHERE committed = 0",
    "CREATE TABLE IF NOT EXISTS site_knowledge (site TEXT PRIMARY KEY, data TEXT NOT NULL, updated TEXT)",
    "CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
)
SCHEMA_VERSION = "1"
_COLUMNS = (
    "article_id, version, canonical_url, content_hash, url, published, fetched_at, etag, last_modified, "
    "n_shingles, file_id, committed"
)


def _int64(data: bytes) -> int:
    return int.from_bytes(data[:8].ljust(8, b"\0"), "big", signed=True)


def _id_key(article_id: str) -> int:
    return _int64(hashlib.blake2b(article_id.encode("utf-8"), digest_size=8).digest())


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _from_iso(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def _hash_blob(content_hash: str) -> bytes:
    """Hex hashes are stored as bytes: half the size."""
    try:
        return bytes.fromhex(content_hash)
    except ValueError:
        return content_hash.encode("utf-8")


class SQLiteStore(StateStore):
    """:class:`StateStore` in one SQLite file. Thread-safe (one lock); one writing process per file."""

    def __init__(
        self, path: str | Path, *, cache_mb: int = 64, batch_size: int = 1000, batch_seconds: float = 1.0
    ) -> None:
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self.batch_size = batch_size
        self.batch_seconds = batch_seconds
        self._lock = threading.RLock()
        self._db = sqlite3.connect(str(path), timeout=30.0, isolation_level=None, check_same_thread=False)
        for pragma in ("journal_mode = WAL", "synchronous = NORMAL", f"cache_size = -{cache_mb * 1024}"):
            self._db.execute(f"PRAGMA {pragma}")
        self._in_batch = 0
        self._batch_started = 0.0
        with self._write():
            for statement in _SCHEMA:
                self._db.execute(statement)
            self._db.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (SCHEMA_VERSION,))
        self._ids = MultiIndex()
        self._hashes = MultiIndex()
        self._bands = MultiIndex()
        self._load_indexes()

    # --- plumbing -------------------------------------------------------------------------------------------
    def _load_indexes(self) -> None:
        """One sequential scan of ``versions`` rebuilds the three lookup indexes."""
        rows, ids, hashes, band_blobs = [], [], [], []
        with self._lock:
            for row, article_id, content_hash, bands in self._db.execute(
                "SELECT row, article_id, content_hash, bands FROM versions ORDER BY row"
            ):
                rows.append(row)
                ids.append(_id_key(article_id))
                hashes.append(_int64(content_hash))
                band_blobs.append(bands)
        row_array = np.asarray(rows, dtype=np.uint32)
        self._ids.load(np.asarray(ids, dtype=np.int64), row_array)
        self._hashes.load(np.asarray(hashes, dtype=np.int64), row_array)
        counts = np.fromiter((len(b) // 8 for b in band_blobs), np.int64, len(band_blobs))
        band_keys = np.frombuffer(b"".join(band_blobs), dtype=np.int64)
        self._bands.load(band_keys.copy(), np.repeat(row_array, counts))

    def _write(self) -> _Write:
        return _Write(self)

    def _begin(self) -> None:
        if not self._db.in_transaction:
            self._db.execute("BEGIN IMMEDIATE")
            self._batch_started = time.monotonic()

    def _commit(self) -> None:
        if self._db.in_transaction:
            self._db.execute("COMMIT")
        self._in_batch = 0

    def _row_to_stored(self, row: tuple[Any, ...]) -> StoredArticle:
        (article_id, version, canonical_url, content_hash, url, published, fetched_at, etag, last_modified,
         n_shingles, file_id, committed) = row  # fmt: skip
        return StoredArticle(
            article_id=article_id,
            canonical_url=canonical_url,
            content_hash=bytes(content_hash).hex(),
            version=version,
            url=url,
            published=_from_iso(published),
            fetched_at=_from_iso(fetched_at) or dt.datetime.min.replace(tzinfo=dt.UTC),
            etag=etag,
            last_modified=last_modified,
            n_shingles=n_shingles,
            file_id=file_id,
            committed=bool(committed),
        )

    def _fetch(self, rows: list[int], columns: str) -> list[tuple[Any, ...]]:
        marks = ",".join("?" * len(rows))
        sql = f"SELECT row, {columns} FROM versions WHERE row IN ({marks})"
        return self._db.execute(sql, rows).fetchall()

    def _latest_row(self, article_id: str) -> int | None:
        rows = self._ids.get(_id_key(article_id))
        if not rows:
            return None
        found = self._fetch(rows, "article_id, version")
        matches = [(version, row) for row, aid, version in found if aid == article_id]
        return max(matches)[1] if matches else None

    # --- articles -------------------------------------------------------------------------------------------
    def article_by_id(self, article_id: str) -> StoredArticle | None:
        with self._lock:
            row = self._latest_row(article_id)
            if row is None:
                return None
            return self._row_to_stored(self._fetch([row], _COLUMNS)[0][1:])

    def article_by_hash(self, content_hash: str) -> StoredArticle | None:
        blob = _hash_blob(content_hash)
        with self._lock:
            rows = sorted(self._hashes.get(_int64(blob)))
            if not rows:
                return None
            for found in sorted(self._fetch(rows, _COLUMNS)):
                if bytes(found[4]) == blob:
                    return self._row_to_stored(found[1:])
        return None

    def near_candidates(self, band_keys: list[bytes]) -> list[str]:
        if not band_keys:
            return []
        with self._lock:
            rows = self._bands.get_many([_int64(k) for k in band_keys])
            if not rows:
                return []
            shared: dict[int, int] = {}
            for row in rows:
                shared[row] = shared.get(row, 0) + 1
            best: dict[str, int] = {}
            for row, article_id in self._fetch(list(shared), "article_id"):
                best[article_id] = max(best.get(article_id, 0), shared[row])
        return sorted(best, key=lambda a: -best[a])

    def signature(self, article_id: str) -> Signature | None:
        with self._lock:
            row = self._latest_row(article_id)
            if row is None:
                return None
            blob = self._fetch([row], "signature")[0][1]
        return np.frombuffer(blob, dtype=np.uint32) if blob is not None else None

    def add_article(
        self, stored: StoredArticle, band_keys: list[bytes], signature: Signature, *, file_id: str
    ) -> None:
        keys = sorted({_int64(k) for k in band_keys})
        content_hash = _hash_blob(stored.content_hash)
        with self._lock:
            self._begin()
            cursor = self._db.execute(
                f"INSERT INTO versions ({_COLUMNS}, signature, bands) VALUES (?,?,?,?,?,?,?,?,?,?,?,0,?,?)",
                (
                    stored.article_id,
                    stored.version,
                    stored.canonical_url,
                    content_hash,
                    stored.url,
                    _iso(stored.published),
                    _iso(stored.fetched_at),
                    stored.etag,
                    stored.last_modified,
                    stored.n_shingles,
                    file_id,
                    np.ascontiguousarray(signature, dtype=np.uint32).tobytes(),
                    np.asarray(keys, dtype=np.int64).tobytes(),
                ),
            )
            row = int(cursor.lastrowid or 0)
            self._ids.add([_id_key(stored.article_id)], row)
            self._hashes.add([_int64(content_hash)], row)
            self._bands.add(keys, row)
            self._in_batch += 1
            age = time.monotonic() - self._batch_started
            if self._in_batch >= self.batch_size or age > self.batch_seconds:
                self._commit()

    def commit_file(self, file_id: str) -> None:
        with self._write() as db:
            self._mark_committed(db, file_id)

    @staticmethod
    def _mark_committed(db: sqlite3.Connection, file_id: str) -> None:
        db.execute("UPDATE versions SET committed = 1 WHERE file_id = ? AND committed = 0", (file_id,))

    def recover(self, finalised_file_ids: set[str]) -> None:
        dropped: set[int] = set()
        with self._write() as db:
            pending = [r[0] for r in db.execute("SELECT DISTINCT file_id FROM versions WHERE committed = 0")]
            for file_id in pending:
                if file_id in finalised_file_ids:
                    self._mark_committed(db, file_id)
                    continue
                found = db.execute("SELECT row FROM versions WHERE file_id = ? AND committed = 0", (file_id,))
                dropped.update(r[0] for r in found)
                db.execute("DELETE FROM versions WHERE file_id = ? AND committed = 0", (file_id,))
        if dropped:
            with self._lock:
                for index in (self._ids, self._hashes, self._bands):
                    index.discard_rows(dropped)

    def flush(self) -> None:
        with self._lock:
            self._commit()

    def pending_file_ids(self) -> set[str]:
        """File ids with pending entries (for diagnostics and tests)."""
        with self._lock:
            rows = self._db.execute("SELECT DISTINCT file_id FROM versions WHERE committed = 0")
            return {r[0] for r in rows}

    def count_articles(self) -> int:
        """Number of stored versions, committed or pending."""
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM versions").fetchone()[0])

    # --- other state ----------------------------------------------------------------------------------------
    def get_site_knowledge(self, site: str) -> dict[str, Any] | None:
        with self._lock:
            row = self._db.execute("SELECT data FROM site_knowledge WHERE site = ?", (site,)).fetchone()
        return json.loads(row[0]) if row else None

    def put_site_knowledge(self, site: str, knowledge: dict[str, Any]) -> None:
        now = dt.datetime.now(dt.UTC).isoformat()
        with self._write() as db:
            db.execute(
                "INSERT OR REPLACE INTO site_knowledge (site, data, updated) VALUES (?, ?, ?)",
                (site, json.dumps(knowledge, ensure_ascii=False, sort_keys=True), now),
            )

    def get_kv(self, key: str) -> str | None:
        with self._lock:
            row = self._db.execute("SELECT value FROM kv WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def put_kv(self, key: str, value: str) -> None:
        with self._write() as db:
            db.execute("INSERT OR REPLACE INTO kv (key, value) VALUES (?, ?)", (key, value))

    def close(self) -> None:
        with self._lock:
            self._commit()
            self._db.close()


class _Write:
    """A write committed at once, together with any open batch of ``add_article`` (rolled back on error).

    ``BEGIN IMMEDIATE`` takes the write lock up front, so a second process opening the file waits (busy
    timeout) instead of failing half-way through a transaction.
    """

    def __init__(self, store: SQLiteStore) -> None:
        self._store = store

    def __enter__(self) -> sqlite3.Connection:
        self._store._lock.acquire()
        try:
            self._store._begin()
        except BaseException:
            self._store._lock.release()
            raise
        return self._store._db

    def __exit__(self, exc_type: object, *_: object) -> None:
        try:
            if exc_type is not None and self._store._db.in_transaction:
                self._store._db.execute("ROLLBACK")
                self._store._in_batch = 0
            else:
                self._store._commit()
        finally:
            self._store._lock.release()
