"""Returning freed heap memory to the OS: the helper and the crawl extension that calls it."""

import sys

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from newsharvest.extensions import HeapTrim
from pipelines.memory import can_trim, trim_heap

glibc_only = pytest.mark.skipif(not sys.platform.startswith("linux") or not can_trim(), reason="needs glibc")


@glibc_only
def test_trim_releases_memory_freed_in_the_heap() -> None:
    import psutil

    process = psutil.Process()
    trim_heap()
    # many small blocks (below glibc's mmap threshold) land in the heap; freeing them leaves free pages there
    blocks = [bytearray(64 * 1024) for _ in range(2000)]
    for block in blocks:
        block[::4096] = b"x" * len(block[::4096])  # touch every page so it is resident
    kept = blocks[-1]
    del blocks
    before = process.memory_info().rss
    assert trim_heap() is True
    after = process.memory_info().rss
    assert before - after > 50 * 2**20, (before, after)
    assert len(kept) == 64 * 1024


def test_extension_is_off_when_the_interval_is_zero() -> None:
    crawler = get_crawler(settings_dict={"NEWSHARVEST_TRIM_INTERVAL": 0})
    with pytest.raises(NotConfigured):
        HeapTrim.from_crawler(crawler)


@glibc_only
def test_extension_counts_its_trims() -> None:
    crawler = get_crawler(settings_dict={"NEWSHARVEST_TRIM_INTERVAL": 5})
    crawler.stats.open_spider()
    extension = HeapTrim.from_crawler(crawler)
    garbage = [bytearray(64 * 1024) for _ in range(500)]
    del garbage
    extension.run()
    assert crawler.stats.get_value("newsharvest/heap_trims") == 1


def _pool_after(code: str, env: dict[str, str]) -> str:
    import os
    import subprocess

    env = {k: v for k, v in os.environ.items() if k != "ARROW_DEFAULT_MEMORY_POOL"} | env
    script = f"{code}\nimport pyarrow as pa\nprint(pa.default_memory_pool().backend_name)"
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def test_arrow_allocates_with_malloc_in_the_crawl_process() -> None:
    switch = "from pipelines.memory import arrow_allocates_with_malloc as f\nassert f()"
    assert _pool_after(switch, {}) == "system"  # chosen before pyarrow starts
    assert _pool_after("import pyarrow\n" + switch, {}) == "system"  # switched after it started
    keep = "from pipelines.memory import arrow_allocates_with_malloc as f\nassert not f()"
    assert _pool_after(keep, {"ARROW_DEFAULT_MEMORY_POOL": "mimalloc"}) == "mimalloc"  # the user's choice
    assert _pool_after("import newsharvest.settings", {}) == "system"  # the crawl's settings module does it


def test_collector_threshold_is_raised_while_the_spider_runs() -> None:
    import gc

    from newsharvest.extensions import CollectorThreshold

    before = gc.get_threshold()
    crawler = get_crawler(settings_dict={"NEWSHARVEST_GC_THRESHOLD": 12345})
    extension = CollectorThreshold.from_crawler(crawler)
    extension.spider_opened()
    try:
        assert gc.get_threshold() == (12345, *before[1:])
    finally:
        extension.spider_closed()
    assert gc.get_threshold() == before
    with pytest.raises(NotConfigured):
        CollectorThreshold.from_crawler(get_crawler(settings_dict={"NEWSHARVEST_GC_THRESHOLD": 0}))
