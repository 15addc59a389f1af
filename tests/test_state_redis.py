"""The Redis store against a real ``redis-server``: what sharing adds to the stores' common contract (that
is tests/test_state_contract.py): workers' leases, story locks, a server restart in the middle of writes."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from pipelines.state import open_store
from pipelines.state.redis import RETRY_COUNTS, RedisStore
from tests.redis_server import RedisServer, redis_server, requires_redis
from tests.test_state_contract import add

pytestmark = requires_redis


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    with redis_server(tmp_path_factory.mktemp("redis")) as srv:
        yield srv


@pytest.fixture
def url(server: RedisServer) -> str:
    redis.Redis.from_url(server.url).flushdb()
    return server.url


def store_at(url: str, tmp_path: Path, **kw: object) -> RedisStore:
    return RedisStore(url, outdir=tmp_path, **kw)  # type: ignore[arg-type]


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
