"""What only the embedded SQLite store does; the contract it shares with the Redis store is tested in
tests/test_state_contract.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.state import open_store


def test_wal_single_file_under_outdir(tmp_path: Path) -> None:
    store = open_store("sqlite", tmp_path)
    assert (tmp_path / "state" / "state.sqlite3").exists()
    assert store._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"  # type: ignore[attr-defined]
    store.close()
    other = open_store(f"sqlite://{tmp_path / 'x.sqlite3'}", tmp_path)
    other.close()
    assert (tmp_path / "x.sqlite3").exists()


def test_unknown_scheme_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown state store"):
        open_store("memcached://localhost:11211", tmp_path)
