"""The embedded default store: one SQLite file in WAL mode under the output folder.

Layout, chosen for millions of articles:

- ``versions``: one row per article version (no text); the MinHash signature as a 4*num_perm-byte BLOB.
- ``bands``: the LSH index, ``(key, row)`` in a WITHOUT ROWID table whose primary key is the lookup, band keys
  stored as 64-bit integers (the first 8 bytes of the caller's key) because integer keys keep this, by far
  the biggest table, compact.
- ``pending_bands``: the band keys of uncommitted rows, so that ``recover`` deletes exactly their index
  entries without scanning ``bands``; emptied on commit.

Each ``add_article`` is its own transaction (WAL + ``synchronous=NORMAL``: no fsync, durable once the call
returns unless the machine loses power); ``flush`` checkpoints for power-loss durability.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading
from pathlib import Path
from typing import Any

import numpy as np

from pipelines.state.base import Signature, StateStore, StoredArticle

_SCHEMA = """
CREATE TABLE IF NOT EXISTS versions (
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
    file_id TEXT NOT NULL,
    committed INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS versions_article ON versions (article_id, version);
CREATE INDEX IF NOT EXISTS versions_hash ON versions (content_hash);
CREATE INDEX IF NOT EXISTS versions_pending ON versions (file_id) WHERE committed = 0;
CREATE TABLE IF NOT EXISTS bands (key INTEGER NOT NULL, row INTEGER NOT NULL, PRIMARY KEY (key, row))
    WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS pending_bands (row INTEGER PRIMARY KEY, keys BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS site_knowledge (site TEXT PRIMARY KEY, data TEXT NOT NULL, updated TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
SCHEMA_VERSION = "1"
_COLUMNS = (
    "article_id, version, canonical_url, content_hash, url, published, fetched_at, etag, last_modified, "
    "n_shingles, file_id, committed"
)


def _band_int(key: bytes) -> int:
    return int.from_bytes(key[:8].ljust(8, b"\0"), "big", signed=True)


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _from_iso(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def _hash_blob(content_hash: str) -> bytes:
    """Hex hashes are stored as bytes: half the size in the table and in its index."""
    try:
        return bytes.fromhex(content_hash)
    except ValueError:
        return content_hash.encode("utf-8")


def _hash_text(blob: bytes) -> str:
    return blob.hex()


class SQLiteStore(StateStore):
    """:class:`StateStore` in one SQLite file. Safe to share between threads (one lock); several processes
    may open the same file (WAL readers, serialised writers with a busy timeout)."""

    def __init__(self, path: str | Path, *, cache_mb: int = 64) -> None:
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), timeout=30.0, isolation_level=None, check_same_thread=False)
        for pragma in (
            "journal_mode = WAL",
            "synchronous = NORMAL",
            f"cache_size = -{cache_mb * 1024}",
            "temp_store = MEMORY",
            "foreign_keys = OFF",
        ):
            self._db.execute(f"PRAGMA {pragma}")
        with self._transaction():
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    self._db.execute(statement)
            self._db.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (SCHEMA_VERSION,))

    # --- plumbing -------------------------------------------------------------------------------------------
    def _transaction(self) -> _Transaction:
        return _Transaction(self._db, self._lock)

    def _row_to_stored(self, row: tuple[Any, ...]) -> StoredArticle:
        (article_id, version, canonical_url, content_hash, url, published, fetched_at, etag, last_modified,
         n_shingles, file_id, committed) = row  # fmt: skip
        return StoredArticle(
            article_id=article_id,
            canonical_url=canonical_url,
            content_hash=_hash_text(content_hash),
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

    def _one(self, sql: str, params: tuple[Any, ...]) -> tuple[Any, ...] | None:
        with self._lock:
            return self._db.execute(sql, params).fetchone()

    # --- articles -------------------------------------------------------------------------------------------
    def article_by_id(self, article_id: str) -> StoredArticle | None:
        row = self._one(
            f"SELECT {_COLUMNS} FROM versions WHERE article_id = ? ORDER BY version DESC, row DESC LIMIT 1",
            (article_id,),
        )
        return self._row_to_stored(row) if row else None

    def article_by_hash(self, content_hash: str) -> StoredArticle | None:
        row = self._one(
            f"SELECT {_COLUMNS} FROM versions WHERE content_hash = ? ORDER BY row LIMIT 1",
            (_hash_blob(content_hash),),
        )
        return self._row_to_stored(row) if row else None

    def near_candidates(self, band_keys: list[bytes]) -> list[str]:
        if not band_keys:
            return []
        marks = ",".join("?" * len(band_keys))
        with self._lock:
            rows = self._db.execute(
                f"SELECT v.article_id, COUNT(*) AS shared FROM bands b JOIN versions v ON v.row = b.row "
                f"WHERE b.key IN ({marks}) GROUP BY v.article_id ORDER BY shared DESC",
                [_band_int(k) for k in band_keys],
            ).fetchall()
        return [article_id for article_id, _ in rows]

    def signature(self, article_id: str) -> Signature | None:
        row = self._one(
            "SELECT signature FROM versions WHERE article_id = ? ORDER BY version DESC, row DESC LIMIT 1",
            (article_id,),
        )
        if row is None or row[0] is None:
            return None
        return np.frombuffer(row[0], dtype=np.uint32)

    def add_article(
        self, stored: StoredArticle, band_keys: list[bytes], signature: Signature, *, file_id: str
    ) -> None:
        keys = sorted({_band_int(k) for k in band_keys})
        with self._transaction() as db:
            cursor = db.execute(
                f"INSERT INTO versions ({_COLUMNS}, signature) VALUES (?,?,?,?,?,?,?,?,?,?,?,0,?)",
                (
                    stored.article_id,
                    stored.version,
                    stored.canonical_url,
                    _hash_blob(stored.content_hash),
                    stored.url,
                    _iso(stored.published),
                    _iso(stored.fetched_at),
                    stored.etag,
                    stored.last_modified,
                    stored.n_shingles,
                    file_id,
                    np.ascontiguousarray(signature, dtype=np.uint32).tobytes(),
                ),
            )
            row = cursor.lastrowid
            db.executemany("INSERT OR IGNORE INTO bands (key, row) VALUES (?, ?)", [(k, row) for k in keys])
            db.execute(
                "INSERT INTO pending_bands (row, keys) VALUES (?, ?)",
                (row, np.array(keys, dtype=np.int64).tobytes()),
            )

    def commit_file(self, file_id: str) -> None:
        with self._transaction() as db:
            self._commit_file(db, file_id)

    @staticmethod
    def _commit_file(db: sqlite3.Connection, file_id: str) -> None:
        db.execute(
            "DELETE FROM pending_bands WHERE row IN "
            "(SELECT row FROM versions WHERE file_id = ? AND committed = 0)",
            (file_id,),
        )
        db.execute("UPDATE versions SET committed = 1 WHERE file_id = ? AND committed = 0", (file_id,))

    def recover(self, finalised_file_ids: set[str]) -> None:
        with self._transaction() as db:
            pending = [r[0] for r in db.execute("SELECT DISTINCT file_id FROM versions WHERE committed = 0")]
            for file_id in pending:
                if file_id in finalised_file_ids:
                    self._commit_file(db, file_id)
                    continue
                rows = db.execute(
                    "SELECT p.row, p.keys FROM pending_bands p JOIN versions v ON v.row = p.row "
                    "WHERE v.file_id = ? AND v.committed = 0",
                    (file_id,),
                ).fetchall()
                for row, keys in rows:
                    db.executemany(
                        "DELETE FROM bands WHERE key = ? AND row = ?",
                        [(int(k), row) for k in np.frombuffer(keys, dtype=np.int64)],
                    )
                db.executemany("DELETE FROM pending_bands WHERE row = ?", [(row,) for row, _ in rows])
                db.execute("DELETE FROM versions WHERE file_id = ? AND committed = 0", (file_id,))

    def flush(self) -> None:
        with self._lock:
            self._db.execute("PRAGMA wal_checkpoint(PASSIVE)")

    def pending_file_ids(self) -> set[str]:
        """File ids with pending entries (for diagnostics and tests)."""
        with self._lock:
            rows = self._db.execute("SELECT DISTINCT file_id FROM versions WHERE committed = 0")
            return {r[0] for r in rows}

    def count_articles(self) -> int:
        """Number of stored versions, committed or pending."""
        row = self._one("SELECT COUNT(*) FROM versions", ())
        return int(row[0]) if row else 0

    # --- other state ----------------------------------------------------------------------------------------
    def get_site_knowledge(self, site: str) -> dict[str, Any] | None:
        row = self._one("SELECT data FROM site_knowledge WHERE site = ?", (site,))
        return json.loads(row[0]) if row else None

    def put_site_knowledge(self, site: str, knowledge: dict[str, Any]) -> None:
        now = dt.datetime.now(dt.UTC).isoformat()
        with self._transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO site_knowledge (site, data, updated) VALUES (?, ?, ?)",
                (site, json.dumps(knowledge, ensure_ascii=False, sort_keys=True), now),
            )

    def get_kv(self, key: str) -> str | None:
        row = self._one("SELECT value FROM kv WHERE key = ?", (key,))
        return row[0] if row else None

    def put_kv(self, key: str, value: str) -> None:
        with self._transaction() as db:
            db.execute("INSERT OR REPLACE INTO kv (key, value) VALUES (?, ?)", (key, value))

    def close(self) -> None:
        with self._lock:
            self._db.close()


class _Transaction:
    """``BEGIN IMMEDIATE`` … ``COMMIT`` (or ``ROLLBACK`` on error) under the store's lock.

    IMMEDIATE takes the write lock up front, so two processes sharing the file wait (busy timeout) instead of
    failing half-way through a transaction.
    """

    def __init__(self, db: sqlite3.Connection, lock: threading.Lock) -> None:
        self._db = db
        self._lock = lock

    def __enter__(self) -> sqlite3.Connection:
        self._lock.acquire()
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except BaseException:
            self._lock.release()
            raise
        return self._db

    def __exit__(self, exc_type: object, *_: object) -> None:
        try:
            self._db.execute("ROLLBACK" if exc_type is not None else "COMMIT")
        finally:
            self._lock.release()
