"""The worker pool changes where pages are processed, never what comes out: a real ``scrapy crawl news`` of the
demo sites inline (``NEWSHARVEST_WORKERS=0``) and on two worker processes gives the same articles.

Pages finish in a different order with workers, and dedup keeps the first-seen copy of a syndicated pair, so
articles are compared by story (an original and its copies are one story): the same stories are written, and
every page written by both runs has the same text, title, language and date. Everything not a duplicate is
dropped for the same reason in both runs (error routes aside: whether ``/_err/slow`` times out is a race).
"""

from __future__ import annotations

import asyncio
import gc
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from newsharvest.demo.server import demo_site
from pipelines.page import PageOptions
from pipelines.records import Dropped, Page
from pipelines.workers import PagePool
from tests.crawl_helpers import REPO, env
from tests.test_e2e_crawl import write_sources

SETTINGS = {"AUTOTHROTTLE_ENABLED": "False", "DOWNLOAD_TIMEOUT": "5", "RETRY_ENABLED": "False",
            "CONCURRENT_REQUESTS": "32", "LOG_LEVEL": "INFO"}  # fmt: skip


def _crawl(sources: Path, output: Path, workers: int) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"sources={sources}",
           "-s", f"NEWSHARVEST_OUTPUT={output}", "-s", f"NEWSHARVEST_WORKERS={workers}"]  # fmt: skip
    for key, value in SETTINGS.items():
        cmd += ["-s", f"{key}={value}"]
    return subprocess.run(cmd, cwd=REPO, env=env(), capture_output=True, text=True, timeout=120)


def test_inline_and_two_workers_write_the_same_articles(tmp_path: Path) -> None:
    with demo_site(tmp_path / "site", hosts=3, articles_per_host=12) as (truth, _server):
        sources = write_sources(tmp_path / "sources.yaml", truth, languages="[en, de, fr, es]")
        runs = {}
        for workers in (0, 2):
            result = _crawl(sources, tmp_path / f"out{workers}", workers)
            assert result.returncode == 0, result.stderr[-3000:]
            runs[workers] = (
                pd.read_parquet(tmp_path / f"out{workers}" / "articles"),
                pd.read_parquet(tmp_path / f"out{workers}" / "dropped"),
            )
    story = {p.url: p.duplicate_of or p.url for p in truth.pages if p.kind in ("article", "article_variant")}
    (inline, inline_dropped), (pooled, pooled_dropped) = runs[0], runs[2]
    assert len(inline) > 20
    assert sorted(inline["canonical_url"].map(lambda u: story.get(u, u))) == sorted(
        pooled["canonical_url"].map(lambda u: story.get(u, u))
    )
    both = inline.merge(pooled, on="url", suffixes=("_inline", "_pooled"))
    assert len(both) >= len(inline) * 0.8
    for column in ("text", "title", "language", "published", "canonical_url", "content_hash"):
        assert (both[f"{column}_inline"] == both[f"{column}_pooled"]).all(), column
    reasons = {
        # error routes (/_err/slow races the download timeout) depend on timing, not on where pages are processed
        name: frame[(frame["reason"] != "duplicate") & ~frame["url"].str.contains("/_err/")]
        .set_index("url")["reason"]
        .sort_index()
        for name, frame in (("inline", inline_dropped), ("pooled", pooled_dropped))
    }
    # Which listing pages get fetched at all depends on fetch order (a tag page first reached at the depth limit
    # is not followed further), a property of the crawl, not of the processing: compare the pages both fetched.
    common = reasons["inline"].index.intersection(reasons["pooled"].index)
    assert len(common) > 30
    pd.testing.assert_series_equal(reasons["inline"][common], reasons["pooled"][common])


def test_pool_returns_what_the_inline_path_returns() -> None:
    html = (
        "<html lang='en'><head><title>Council budget</title></head><body><article><h1>Council budget</h1>"
        + "".join(
            f"<p>The council approved budget line {i} after a long debate on transport and schools.</p>"
            for i in range(12)
        )
        + "</article></body></html>"
    ).encode()
    pages = [
        Page(url=f"https://example.org/news/2024/01/0{i}/budget-{i}/", body=html, source="s")
        for i in range(3)
    ]
    pages.append(Page(url="https://example.org/empty", body=b"  ", source="s"))
    inline = PagePool(PageOptions(), workers=0)
    pooled = PagePool(PageOptions(), workers=2, trim_every=1)  # trimming the heap changes no result
    try:
        import asyncio

        async def run(pool: PagePool) -> list[object]:
            return [await pool.process(page) for page in pages]

        expected, got = asyncio.run(run(inline)), asyncio.run(run(pooled))
    finally:
        pooled.close()
    assert [type(r) for r in got] == [type(r) for r in expected]
    assert isinstance(got[-1], Dropped)
    for a, b in zip(expected, got, strict=True):
        if isinstance(a, Dropped):
            assert (a.reason, a.detail) == (b.reason, b.detail)
        else:
            assert (a.extracted, a.language, a.words) == (b.extracted, b.language, b.words)
            assert b.page.body == b""


@pytest.mark.parametrize("workers", [None, 0, 3])
def test_worker_count(workers: int | None) -> None:
    pool = PagePool(PageOptions(), workers=workers)
    try:
        assert pool.workers == (workers if workers is not None else pool.workers) and pool.workers >= 0
    finally:
        pool.close()


def test_start_brings_the_workers_up_in_the_background() -> None:
    import time

    import psutil

    pool = PagePool(PageOptions(), workers=2)
    try:
        began = time.monotonic()
        pool.start()
        assert time.monotonic() - began < 0.5  # the caller (the reactor) is not kept waiting
        children = []
        while time.monotonic() - began < 60:
            children = [
                p for p in psutil.Process().children(recursive=True) if "spawn_main" in " ".join(p.cmdline())
            ]
            if len(children) >= 2:  # the two workers
                break
            time.sleep(0.1)
        assert len(children) >= 2
        page = Page(url="https://example.org/empty", body=b"  ", source="s")
        assert isinstance(asyncio.run(pool.process(page)), Dropped)
    finally:
        pool.close()
    pool.start()  # after close: nothing to start, no error


class _CrashingBody(bytes):
    """A page body whose first use kills the process using it, as a crash in a C extension would."""

    def strip(self, *args: object) -> bytes:
        import os

        os._exit(3)


def test_a_dead_worker_is_replaced_and_a_page_that_kills_workers_is_recorded() -> None:
    import os
    import signal

    pool = PagePool(PageOptions(), workers=2)
    empty = Page(url="https://example.org/empty", body=b"  ", source="s")
    try:

        async def run(page: Page) -> object:
            return await pool.process(page)

        assert isinstance(asyncio.run(run(empty)), Dropped)  # the pool works
        for worker in list(pool._executor._processes.values()):  # the executor's own processes: killed
            os.kill(worker.pid, signal.SIGKILL)
        result = asyncio.run(run(empty))  # a new pool takes over; the page is not lost
        assert isinstance(result, Dropped) and result.reason.value == "empty"
        assert pool.restarts == 1

        crashing = Page(url="https://example.org/crash", body=_CrashingBody(b"<html></html>"), source="s")
        result = asyncio.run(run(crashing))
        assert isinstance(result, Dropped)
        assert (result.reason.value, result.url) == ("extraction_error", "https://example.org/crash")
        assert "worker process died" in result.detail
        assert isinstance(asyncio.run(run(empty)), Dropped)  # and the crawl goes on
    finally:
        pool.close()


def _worker_state() -> tuple[int, bool]:
    from pipelines import language

    return gc.get_freeze_count(), language._factory is not None


def test_workers_load_what_every_page_needs_and_freeze_it() -> None:
    # langdetect's profiles are loaded before the first page, and the long-lived objects are out of the
    # collector's reach (its full collections walked them on every run: 6% more CPU per page at 5x).
    pool = PagePool(PageOptions(), workers=1)
    try:
        assert pool._executor is not None
        frozen, profiles_loaded = pool._executor.submit(_worker_state).result(timeout=120)
    finally:
        pool.close()
    assert profiles_loaded
    assert frozen > 10_000  # the modules' functions, classes and dicts (0 without the freeze)
