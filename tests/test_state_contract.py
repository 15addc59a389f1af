"""The contract every state store keeps, run against each backend: the embedded SQLite store and the Redis
store (against a real ``redis-server``). The Parquet writer's crash safety relies on it: entries stay pending
until their file is finalised, and start-up recovery commits or drops them by the files that exist."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest
import redis

from pipelines.state import SQLiteStore, StoredArticle
from pipelines.state.base import StateStore
from pipelines.state.redis import RedisStore
from tests.redis_server import redis_server, requires_redis

NOW = dt.datetime(2025, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
SIG = np.arange(128, dtype=np.uint32)
BANDS = [b"band-a__", b"band-b__"]


def stored(article_id: str, version: int = 1, content_hash: str = "ab" * 16) -> StoredArticle:
    return StoredArticle(
        article_id=article_id, canonical_url=f"https://example.com/{article_id}", content_hash=content_hash,
        version=version, url=f"https://example.com/{article_id}?utm_source=x", published=NOW, fetched_at=NOW,
        etag='"e1"', last_modified="Tue, 01 Jan 2025 00:00:00 GMT", n_shingles=100,
    )  # fmt: skip


def add(store: StateStore, article_id: str, file_id: str, **kw: object) -> None:
    store.add_article(stored(article_id, **kw), BANDS, SIG, file_id=file_id)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with redis_server(tmp_path_factory.mktemp("redis")) as srv:
        yield srv.url


@pytest.fixture(params=["sqlite", pytest.param("redis", marks=requires_redis)])
def open_store_again(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[[], StateStore]:
    """Opens (and re-opens, as the next run would) one store of the backend under test."""
    if request.param == "sqlite":
        return lambda: SQLiteStore(tmp_path / "s.sqlite3")
    url = request.getfixturevalue("redis_url")
    redis.Redis.from_url(url).flushdb()
    return lambda: RedisStore(url, outdir=tmp_path)


def test_round_trip_and_lookups(open_store_again: Callable[[], StateStore]) -> None:
    with open_store_again() as store:
        add(store, "a1", "f1")
        got = store.article_by_id("a1")
        assert got is not None and got.published == NOW and got.etag == '"e1"' and got.n_shingles == 100
        assert store.article_by_url("http://www.example.com/x") is None
        assert store.article_by_hash("ab" * 16).article_id == "a1"  # type: ignore[union-attr]
        assert store.near_candidates([b"band-b__", b"zzzzzzzz"]) == ["a1"]
        assert np.array_equal(store.signature("a1"), SIG)  # type: ignore[arg-type]
        add(store, "a1", "f1", version=2, content_hash="cd" * 16)
        assert store.article_by_id("a1").version == 2  # type: ignore[union-attr]
        assert store.article_by_hash("ab" * 16).version == 1  # type: ignore[union-attr]


def test_article_by_url_uses_the_url_key(open_store_again: Callable[[], StateStore]) -> None:
    from pipelines.urls import article_id_for

    with open_store_again() as store:
        add(store, article_id_for("https://example.com/story"), "f1")
        assert store.article_by_url("http://www.example.com/story/?utm_source=x") is not None


def test_pending_is_visible_then_dropped_when_file_missing(
    open_store_again: Callable[[], StateStore],
) -> None:
    store = open_store_again()
    add(store, "a1", "f1")
    assert store.article_by_id("a1") is not None  # duplicates within one run are caught
    store.close()  # "crash": f1 was never finalised
    store = open_store_again()
    assert store.pending_file_ids() == {"f1"}  # type: ignore[attr-defined]  # pending survives reopening
    store.recover(set())
    assert store.article_by_id("a1") is None
    assert store.near_candidates(BANDS) == []
    assert store.article_by_hash("ab" * 16) is None
    assert store.count_articles() == 0  # type: ignore[attr-defined]
    store.close()


def test_pending_committed_on_recover_when_file_exists(open_store_again: Callable[[], StateStore]) -> None:
    with open_store_again() as store:
        add(store, "a1", "f1")
        add(store, "a2", "f2")
    with open_store_again() as store:
        store.recover({"f1"})
        assert store.article_by_id("a1").committed  # type: ignore[union-attr]
        assert store.article_by_id("a2") is None
        assert store.near_candidates(BANDS) == ["a1"]
        assert store.pending_file_ids() == set()  # type: ignore[attr-defined]


def test_commit_file_survives_reopen_and_recover(open_store_again: Callable[[], StateStore]) -> None:
    with open_store_again() as store:
        add(store, "a1", "f1")
        add(store, "a2", "f2")
        store.commit_file("f1")
        store.flush()
    with open_store_again() as store:
        store.recover(set())  # f1 committed already: untouched; f2 pending and missing: dropped
        assert store.article_by_id("a1") is not None
        assert store.article_by_id("a2") is None


def test_dropped_update_restores_previous_version(open_store_again: Callable[[], StateStore]) -> None:
    with open_store_again() as store:
        add(store, "a1", "f1")
        store.commit_file("f1")
        add(store, "a1", "f2", version=2, content_hash="cd" * 16)
    with open_store_again() as store:
        store.recover(set())
        got = store.article_by_id("a1")
        assert got is not None and got.version == 1 and got.content_hash == "ab" * 16
        assert store.near_candidates(BANDS) == ["a1"]  # shared band rows of version 1 are kept


def test_site_knowledge_and_kv(open_store_again: Callable[[], StateStore]) -> None:
    with open_store_again() as store:
        assert store.get_site_knowledge("example.com") is None
        store.put_site_knowledge("example.com", {"boilerplate": ["Share this"], "n": 3})
        assert store.get_site_knowledge("example.com") == {"boilerplate": ["Share this"], "n": 3}
        store.put_kv("health:example.com", "ok")
        assert store.get_kv("health:example.com") == "ok"
        assert store.get_kv("nope") is None
