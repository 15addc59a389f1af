"""State stores: the embedded SQLite default, behind :class:`StateStore` so a shared backend can plug in.

``open_store("sqlite", outdir)`` opens ``OUTDIR/state/state.sqlite3``; ``"sqlite:///abs/path.sqlite3"``
opens a given file (``sqlite://relative/path`` is relative to OUTDIR); ``"redis://host:port/db"`` opens the
shared store of :mod:`pipelines.state.redis` (docs/SCALE_OUT.md). Other schemes raise a ``ValueError`` naming
what is supported, so a typo in a setting fails at start-up rather than silently using a fresh local store.
"""

from __future__ import annotations

from pathlib import Path

from pipelines.state.base import Signature, StateStore, StoredArticle
from pipelines.state.sqlite import SQLiteStore

DEFAULT_SQLITE_PATH = Path("state") / "state.sqlite3"

__all__ = ["DEFAULT_SQLITE_PATH", "SQLiteStore", "Signature", "StateStore", "StoredArticle", "open_store"]


def open_store(spec: str, outdir: Path) -> StateStore:
    """Open the store named by a setting value (``NEWSHARVEST_STATE`` or similar)."""
    spec = (spec or "sqlite").strip()
    if spec in {"sqlite", "sqlite://", "sqlite:///"}:
        return SQLiteStore(Path(outdir) / DEFAULT_SQLITE_PATH)
    if spec.startswith("sqlite://"):
        rest = spec.removeprefix("sqlite://")
        path = Path(rest) if rest.startswith("/") else Path(outdir) / rest
        return SQLiteStore(path)
    if spec.startswith(("redis://", "rediss://", "unix://")):
        from pipelines.state.redis import open_redis_store  # redis-py only needed when used

        return open_redis_store(spec, Path(outdir))
    scheme = spec.split("://", 1)[0] if "://" in spec else spec
    raise ValueError(
        f"unknown state store {spec!r} (scheme {scheme!r}): supported are 'sqlite' "
        f"(OUTDIR/{DEFAULT_SQLITE_PATH}), 'sqlite:///absolute/path.sqlite3' and 'redis://host:port/db'"
    )
