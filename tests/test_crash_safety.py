"""SIGKILL in the middle of a real crawl, then the next run: no article lost, none written twice, every Parquet
file readable, no temporary file visible to readers, state and files in agreement."""

from __future__ import annotations

import glob
import os
import signal
import subprocess
import time
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
from crawl_helpers import articles, crawl_args, env, no_temporaries_visible, run_crawl, site, write_sources

from pipelines.parquet import finalised_files
from pipelines.state.sqlite import SQLiteStore

SMALL_FILES = {"NEWSHARVEST_PARQUET_FILE_ROWS": "3", "NEWSHARVEST_PARQUET_ROW_GROUP": "1"}
# Slow enough that the crawl is still running when its first file is finalised.
SLOW = {**SMALL_FILES, "DOWNLOAD_DELAY": "0.15", "CONCURRENT_REQUESTS_PER_DOMAIN": "1"}


def kill_after_first_file(sources: Path, output: Path) -> None:
    proc = subprocess.Popen(
        crawl_args(sources, output, settings=SLOW), cwd=output.parent, env=env(),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 40
    try:
        while not finalised_files(output / "articles"):
            assert proc.poll() is None, "the crawl ended before its first file was finalised"
            assert time.monotonic() < deadline
            time.sleep(0.01)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait()
    assert proc.returncode == -signal.SIGKILL


def test_sigkill_mid_crawl_then_rerun_loses_and_doubles_nothing(tmp_path: Path) -> None:
    output, reference = tmp_path / "out", tmp_path / "reference"
    with site(tmp_path / "site") as (truth, _server):
        sources = write_sources(tmp_path / "sources.yaml", truth.hosts[0].base_url)
        assert run_crawl(sources, reference, settings=SMALL_FILES).returncode == 0
        kill_after_first_file(sources, output)

        # Right after the kill, a reader sees finalised files only, each complete.
        assert no_temporaries_visible(output)
        for path in glob.glob(str(output / "articles" / "*.parquet")):
            pq.read_table(path)
        partial = pd.read_parquet(output / "articles")
        assert len(partial) > 0 and not partial.canonical_url.duplicated().any()

        rerun = run_crawl(sources, output, settings=SMALL_FILES)
        assert rerun.returncode == 0, rerun.stderr

    expected = set(articles(reference).canonical_url)
    got = articles(output)
    assert len(expected) >= 5
    assert set(got.canonical_url) == expected, "articles lost or invented"
    assert not got.canonical_url.duplicated().any(), "an article was written twice"
    assert (got.version == 1).all()
    assert no_temporaries_visible(output) and not list(output.rglob("*.tmp"))
    for path in finalised_files(output / "articles") + finalised_files(output / "dropped"):
        assert pq.read_table(path).num_rows > 0
    store = SQLiteStore(output / "state" / "state.sqlite3")
    try:
        assert store.pending_file_ids() == set()
        assert store.count_articles() == len(got)  # the store claims exactly what the files hold
    finally:
        store.close()
