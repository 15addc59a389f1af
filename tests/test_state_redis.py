"""The Redis store against a real ``redis-server``: the SQLite store's contract, then what sharing adds
(workers' leases, story locks, a server restart in the middle of writes)."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import redis

from pipelines.state import StoredArticle, open_store
from pipelines.state.redis import RETRY_COUNTS, RedisStore
from tests.redis_server import RedisServer, redis_server, requires_redis

pytestmark = requires_redis

NOW = dt.datetime(2025, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
SIG = np.arange(128, dtype=np.uint32)
BANDS = [b"band-a__", b"band-b__"]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    with redis_server(tmp_path_factory.mktemp("redis")) as srv:
        yield srv


@pytest.fixture
def url(server: RedisServer) -> str:
    redis.Redis.from_url(server.url).flushdb()
    return server.url


def stored(article_id: str, version: int = 1, content_hash: str = "ab" * 16) -> StoredArticle:
    return StoredArticle(
        article_id=article_id, canonical_url=f"https://example.com/{article_id}", content_hash=content_hash,
        version=version, url=f"https://example.com/{article_id}?utm_source=x", published=NOW, fetched_at=NOW,
        etag='"e1"', last_modified="Tue, 01 Jan 2025 00:00:00 GMT", n_shingles=100,
    )  # fmt: skip


def add(store: RedisStore, article_id: str, file_id: str, **kw: object) -> None:
    store.add_article(stored(article_id, **kw), BANDS, SIG, file_id=file_id)  # type: ignore[arg-type]


def store_at(url: str, tmp_path: Path, **kw: object) -> RedisStore:
    return RedisStore(url, outdir=tmp_path, **kw)  # type: ignore[arg-type]


# --- the SQLite store's contract (tests/test_state_sqlite.py) ---------------------------------------------------
def test_round_trip_and_lookups(url: str, tmp_path: Path) -> None:
    with store_at(url, tmp_path) as store:
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


def test_article_by_url_uses_the_url_key(url: str, tmp_path: Path) -> None:
    from pipelines.urls import article_id_for

    with store_at(url, tmp_path) as store:
        add(store, article_id_for("https://example.com/story"), "f1")
        assert store.article_by_url("http://www.example.com/story/?utm_source=x") is not None


def test_pending_is_visible_then_dropped_when_file_missing(url: str, tmp_path: Path) -> None:
    store = store_at(url, tmp_path)
    add(store, "a1", "f1")
    assert store.article_by_id("a1") is not None
    store.close()  # "crash": f1 was never finalised
    store = store_at(url, tmp_path)
    assert store.pending_file_ids() == {"f1"}
    store.recover(set())
    assert store.article_by_id("a1") is None
    assert store.near_candidates(BANDS) == []
    assert store.article_by_hash("ab" * 16) is None
    assert store.count_articles() == 0
    store.close()


def test_pending_committed_on_recover_when_file_exists(url: str, tmp_path: Path) -> None:
    with store_at(url, tmp_path) as store:
        add(store, "a1", "f1")
        add(store, "a2", "f2")
    with store_at(url, tmp_path) as store:
        store.recover({"f1"})
        assert store.article_by_id("a1").committed  # type: ignore[union-attr]
        assert store.article_by_id("a2") is None
        assert store.near_candidates(BANDS) == ["a1"]
        assert store.pending_file_ids() == set()


def test_commit_file_survives_reopen_and_recover(url: str, tmp_path: Path) -> None:
    with store_at(url, tmp_path) as store:
        add(store, "a1", "f1")
        add(store, "a2", "f2")
        store.commit_file("f1")
        store.flush()
    with store_at(url, tmp_path) as store:
        store.recover(set())
        assert store.article_by_id("a1") is not None
        assert store.article_by_id("a2") is None


def test_dropped_update_restores_previous_version(url: str, tmp_path: Path) -> None:
    with store_at(url, tmp_path) as store:
        add(store, "a1", "f1")
        store.commit_file("f1")
        add(store, "a1", "f2", version=2, content_hash="cd" * 16)
        store.close()
    with store_at(url, tmp_path) as store:
        store.recover(set())
        got = store.article_by_id("a1")
        assert got is not None and got.version == 1 and got.content_hash == "ab" * 16
        assert store.near_candidates(BANDS) == ["a1"]


def test_site_knowledge_and_kv(url: str, tmp_path: Path) -> None:
    with store_at(url, tmp_path) as store:
        assert store.get_site_knowledge("example.com") is None
        store.put_site_knowledge("example.com", {"boilerplate": ["Share this"], "n": 3})
        assert store.get_site_knowledge("example.com") == {"boilerplate": ["Share this"], "n": 3}
        store.put_kv("health:example.com", "ok")
        assert store.get_kv("health:example.com") == "ok"
        assert store.get_kv("nope") is None


def test_open_store_redis_spec(url: str, tmp_path: Path) -> None:
    store = open_store(url + "?prefix=other&lease=5", tmp_path)
    assert isinstance(store, RedisStore) and store.prefix == "other" and store.lease_seconds == 5
    assert (tmp_path / "state" / "dataset-id").read_text()
    store.close()


# --- sharing ---------------------------------------------------------------------------------------------------
def test_recovery_leaves_live_workers_and_other_outputs_alone(url: str, tmp_path: Path) -> None:
    a = store_at(url, tmp_path / "shared")
    add(a, "a1", "fa")  # a is alive and writing fa
    other = store_at(url, tmp_path / "machine2")
    add(other, "b1", "fb")
    other.close()  # dead, but its output (another machine's) is not ours to judge
    b = store_at(url, tmp_path / "shared")
    b.recover(set())
    assert b.article_by_id("a1") is not None and b.article_by_id("b1") is not None
    assert b.pending_file_ids() == {"fa", "fb"}
    assert a.token in b.live_writers()
    a.close()  # a dies with fa unfinalised: the next start of the shared output drops it
    b.recover(set())
    assert b.article_by_id("a1") is None and b.article_by_id("b1") is not None
    b.close()


def test_expired_lease_makes_a_worker_dead(url: str, tmp_path: Path) -> None:
    a = store_at(url, tmp_path, lease_seconds=0.5)
    add(a, "a1", "fa")
    a._stop.set()  # a hangs / is killed: no more heartbeats, no clean close
    a._thread.join()
    time.sleep(0.6)
    b = store_at(url, tmp_path)
    assert a.token not in b.live_writers() or a.token == b.token
    b.recover({"fa"})  # finalised by a before it died: committed by b
    assert b.article_by_id("a1").committed  # type: ignore[union-attr]
    b.close()
    a.r.close()


def test_story_lock_is_all_or_none(url: str, tmp_path: Path) -> None:
    with store_at(url, tmp_path) as a, store_at(url, tmp_path) as b:
        token = a.lock(["id:x", "band:1"])
        assert token is not None
        assert b.lock(["band:1", "band:2"], wait=0.1) is None  # shares band:1
        assert b.lock(["band:2"], wait=0.1) is not None  # band:2 not taken by the failed attempt
        a.unlock(["id:x", "band:1"], token)
        assert b.lock(["band:1"], wait=0.1) is not None


def test_concurrent_check_and_add_keeps_one(url: str, tmp_path: Path) -> None:
    """Two workers see the same story at the same moment: with the lock, exactly one adds it."""
    added: list[str] = []

    def worker(name: str) -> None:
        with store_at(url, tmp_path) as store:
            token = store.lock(["id:story"], wait=5)
            try:
                if store.article_by_id("story") is None:
                    time.sleep(0.05)  # widen the race window
                    add(store, "story", f"f-{name}")
                    added.append(name)
            finally:
                if token:
                    store.unlock(["id:story"], token)

    threads = [threading.Thread(target=worker, args=(n,)) for n in ("w1", "w2", "w3")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(added) == 1


def test_writes_survive_a_server_restart(tmp_path: Path) -> None:
    """An outage mid-run: the store retries with back-off (and logs it), nothing written is lost."""
    with redis_server(tmp_path / "redis") as srv:
        store = store_at(srv.url, tmp_path)
        add(store, "a1", "f1")
        store.commit_file("f1")
        before = RETRY_COUNTS["retries"]
        restart = threading.Thread(target=srv.restart, kwargs={"down_seconds": 1.5})
        restart.start()
        time.sleep(0.3)  # server going down
        add(store, "a2", "f2")  # blocks, retrying, until the server is back
        store.commit_file("f2")
        restart.join()
        assert RETRY_COUNTS["retries"] > before
        assert store.article_by_id("a1").committed and store.article_by_id("a2").committed  # type: ignore[union-attr]
        assert store.count_articles() == 2  # a retried write does not double
        store.close()
