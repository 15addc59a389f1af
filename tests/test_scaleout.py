"""Scale-out end to end: two real ``scrapy crawl news`` workers on one real ``redis-server``, one output.

One shared crawl (module fixture) of the three-host demo site feeds the checks: no page fetched twice across
the workers, every story written exactly once (syndicated copies included), both workers did part of the
work. Then the pieces that are hard to observe in a crawl: the shared per-host delay, the add-on's settings,
and a Redis restart in the middle of a crawl.
"""

from __future__ import annotations

import collections
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import redis

from newsharvest.demo.server import demo_site
from newsharvest.demo.sitegen import SiteTruth
from tests.crawl_helpers import REPO, env
from tests.redis_server import RedisServer, redis_server, requires_redis

pytestmark = requires_redis

FAST = {
    "AUTOTHROTTLE_ENABLED": "False",
    "DOWNLOAD_TIMEOUT": "5",
    "RETRY_ENABLED": "False",
    "NEWSHARVEST_WORKERS": "0",
    "NEWSHARVEST_HOST_DELAY": "0",
    "NEWSHARVEST_IDLE_STOP_SECONDS": "2",
    "LOG_LEVEL": "INFO",
}


def write_sources(path: Path, truth: SiteTruth) -> Path:
    path.write_text(truth.sources_yaml(), encoding="utf-8")
    return path


def worker(sources: Path, output: Path, state: str, log: Path, **settings: str) -> subprocess.Popen[bytes]:
    """One ``scrapy crawl news`` worker process, its log in ``log``."""
    merged = {**FAST, "NEWSHARVEST_STATE": state, "NEWSHARVEST_OUTPUT": str(output), **settings}
    sets = [arg for name, value in merged.items() for arg in ("-s", f"{name}={value}")]
    cmd = [sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"sources={sources}", *sets]
    with open(log, "wb") as handle:
        return subprocess.Popen(cmd, cwd=REPO, env=env(), stdout=handle, stderr=subprocess.STDOUT)


def wait_all(procs: list[subprocess.Popen[bytes]], logs: list[Path], timeout: float = 90) -> None:
    for proc, log in zip(procs, logs, strict=True):
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
        assert proc.returncode == 0, log.read_text()[-4000:]


def fetched(server: Any) -> list[str]:
    """Fetched URLs, robots.txt excluded: each process's RobotsTxtMiddleware reads it once per host."""
    return [f"{r.base_url}{r.target}" for r in server.requests if not r.target.startswith("/robots.txt")]


def story_groups(truth: SiteTruth) -> dict[str, set[str]]:
    """Each story's URLs: an original and its syndicated copies are one story."""
    groups: dict[str, set[str]] = {}
    for page in truth.articles():
        if page.expected in ("written", "duplicate"):
            groups.setdefault(page.duplicate_of or page.url, set()).add(page.url)
    return groups


@dataclass
class SharedCrawl:
    truth: SiteTruth
    server: Any
    output: Path
    logs: list[Path]
    redis_url: str


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SharedCrawl]:
    root = tmp_path_factory.mktemp("scaleout")
    with (
        redis_server(root / "redis") as srv,
        demo_site(root / "site", hosts=3, articles_per_host=15, slow_seconds=0.5) as (truth, server),
    ):
        sources = write_sources(root / "sources.yaml", truth)
        logs = [root / "w1.log", root / "w2.log"]
        procs = [worker(sources, root / "output", srv.url, log) for log in logs]
        wait_all(procs, logs)
        yield SharedCrawl(truth, server, root / "output", logs, srv.url)


def test_no_page_fetched_twice_across_workers(shared: SharedCrawl) -> None:
    urls = fetched(shared.server)
    twice = [url for url, n in collections.Counter(urls).items() if n > 1]
    assert urls and not twice
    article_urls = {p.url for p in shared.truth.articles()}
    assert len(article_urls & set(urls)) >= len(article_urls) * 0.9


def test_every_story_written_once_across_workers(shared: SharedCrawl) -> None:
    articles = pd.read_parquet(shared.output / "articles")
    assert not articles["canonical_url"].duplicated().any()
    written = set(articles["canonical_url"])
    groups = story_groups(shared.truth)
    syndicated = [members for members in groups.values() if len(members) > 1]
    assert syndicated, "the demo site should syndicate some stories"
    for original, members in groups.items():
        assert len(written & members) == 1, (original, written & members)
    expected = {p.url for p in shared.truth.articles() if p.expected == "written"}
    assert len(written) == len(groups) and len(expected - written) <= len(groups) // 10


def test_both_workers_shared_the_work(shared: SharedCrawl) -> None:
    articles = pd.read_parquet(shared.output / "articles")
    assert articles["run_id"].nunique() == 2  # each worker is a run writing its own files
    assert len(list((shared.output / "articles").rglob("part-*.parquet"))) >= 2
    for log in shared.logs:
        text = log.read_text()
        assert "Shared frontier" in text and "Traceback" not in text
    # The last worker out cleared the crawl's dupefilter and queue: the next run re-reads the feeds.
    keys = {k.decode() for k in redis.Redis.from_url(shared.redis_url).keys("newsharvest:crawl:*")}
    assert not [k for k in keys if k.endswith((":seen", ":requests"))], keys


def test_near_duplicates_caught_across_workers(shared: SharedCrawl) -> None:
    """Every copy dropped as a duplicate points at a story that was written, by either worker."""
    articles = pd.read_parquet(shared.output / "articles")
    dropped = pd.read_parquet(shared.output / "dropped")
    dups = dropped[dropped["detail"].isin(["near duplicate", "exact duplicate", "url duplicate"])]
    assert (dups["detail"] == "near duplicate").any()
    assert set(dups["duplicate_of"]) <= set(articles["canonical_url"])


def test_concurrent_near_copies_keep_exactly_one(tmp_path: Path) -> None:
    """The race: two workers check a story and its syndicated copy at the same moment. The story lock on
    their shared LSH bands serialises the two check+remember sections, so exactly one is kept."""
    import datetime as dt

    from newsharvest.scaleout import LockingDeduplicator
    from pipelines.records import Article
    from pipelines.state.redis import RedisStore

    words = " ".join(f"w{i} x{i % 7} y{i % 11}" for i in range(200))
    now = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)

    def article(url: str, text: str) -> Article:
        return Article(url=url, canonical_url=url, title="t", text=text, language="en", published=now,
                       authors=[], source="s", fetched_at=now, content_hash="")  # fmt: skip

    copies = [article("https://a.example/story", words), article("https://b.example/wire", words + " Extra.")]
    verdicts: list[str] = []
    barrier = threading.Barrier(2)
    with redis_server(tmp_path / "redis") as srv:

        def run(copy: Article, n: int) -> None:
            store = RedisStore(srv.url, outdir=tmp_path)
            dedup = LockingDeduplicator(store, store)
            barrier.wait()
            verdict = dedup.check(copy)
            time.sleep(0.2)  # a slow worker: without the lock the other would check now and see nothing
            dedup.remember(copy, verdict, file_id=f"f{n}")
            verdicts.append(verdict.kind)
            store.close()

        threads = [threading.Thread(target=run, args=(c, n)) for n, c in enumerate(copies)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert sorted(verdicts) == ["duplicate", "new"]


def test_shared_host_delay_spaces_requests_across_workers(tmp_path: Path) -> None:
    """Two workers asking for the same host get slots DELAY apart, whoever asks; other hosts are free."""
    from newsharvest.scaleout import _RESERVE

    with redis_server(tmp_path / "redis") as srv:
        a, b = (redis.Redis.from_url(srv.url).register_script(_RESERVE) for _ in range(2))
        waits = [int(script(keys=["h:site1"], args=[200])) for script in (a, b, a, b)]
        assert waits[0] == 0
        assert all(abs(w - 200 * i) <= 50 for i, w in enumerate(waits)), waits
        assert int(b(keys=["h:site2"], args=[200])) == 0


def test_addon_switches_only_for_redis() -> None:
    from scrapy.settings import Settings

    from newsharvest.scaleout import ScaleOut

    plain = Settings({"NEWSHARVEST_STATE": "sqlite", "ITEM_PIPELINES": {}})
    ScaleOut().update_settings(plain)
    assert plain.get("SCHEDULER") != "newsharvest.scaleout.SharedScheduler"
    shared = Settings(
        {"NEWSHARVEST_STATE": "redis://127.0.0.1:1/3?prefix=p", "NEWSHARVEST_LOCK": True, "EXTENSIONS": {}}
    )
    shared.set("NEWSHARVEST_LOCK", True, priority="project")
    ScaleOut().update_settings(shared)
    assert shared.get("SCHEDULER") == "newsharvest.scaleout.SharedScheduler"
    assert (
        shared.get("REDIS_URL") == "redis://127.0.0.1:1/3" and shared.get("NEWSHARVEST_REDIS_PREFIX") == "p"
    )
    assert shared.getbool("NEWSHARVEST_LOCK") is False
    assert shared.getdict("ITEM_PIPELINES")["newsharvest.scaleout.ScaleOutWritePipeline"] == 900


def test_redis_outage_mid_crawl(tmp_path: Path) -> None:
    """Redis goes down for a few seconds in the middle of a crawl: the worker retries with back-off, says so
    in its log, and finishes; every story is written once."""
    srv = RedisServer(tmp_path / "redis")
    srv.start()
    try:
        with demo_site(tmp_path / "site", hosts=1, articles_per_host=15, slow_seconds=0.3) as (truth, server):
            sources = write_sources(tmp_path / "sources.yaml", truth)
            log = tmp_path / "w.log"
            # A shared host delay paces the crawl so that the outage falls in its middle.
            proc = worker(sources, tmp_path / "output", srv.url, log, NEWSHARVEST_HOST_DELAY="0.1")
            deadline = time.monotonic() + 30
            while "Spider opened" not in log.read_text() and time.monotonic() < deadline:
                time.sleep(0.1)
            time.sleep(1.0)
            outage = threading.Thread(target=srv.restart, kwargs={"down_seconds": 3.0})
            outage.start()
            outage.join()
            wait_all([proc], [log])
            text = log.read_text()
            assert "Redis unreachable" in text and "Redis reachable again" in text
            articles = pd.read_parquet(tmp_path / "output" / "articles")
            assert not articles["canonical_url"].duplicated().any()
            written = set(articles["canonical_url"])
            for members in story_groups(truth).values():
                assert len(written & members) == 1
            urls = fetched(server)
            assert len(urls) == len(set(urls))
    finally:
        srv.stop()
