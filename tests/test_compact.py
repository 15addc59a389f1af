"""Compaction: fewer files, the same rows, readers never failing nor seeing a row twice meanwhile, the state
store's file ids still counted as finalised, and no compaction beside a running crawl."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest
from crawl_helpers import env

from newsharvest.lock import EX_TEMPFAIL
from pipelines.compact import (
    compact,
    compacted_from,
    finalised_file_ids,
    is_merged,
    partition_of,
    plan,
    read_dataset,
    settle,
)
from pipelines.flow import ArticleFlow
from pipelines.parquet import ARTICLE_SCHEMA, DatasetWriter, file_id_of, finalised_files
from pipelines.records import Article
from pipelines.state.base import StoredArticle
from pipelines.state.sqlite import SQLiteStore

NOW = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC)


def article(i: int) -> Article:
    return Article(
        url=f"https://n.example/a{i}", canonical_url=f"https://n.example/a{i}", title=f"Title {i}",
        text=f"Body of article {i}.", language="en", published=None, authors=[], source="n", fetched_at=NOW,
        content_hash=f"h{i}", article_id=f"id{i:05d}", run_id="r1", word_count=4,
    )  # fmt: skip


def write_files(dataset: Path, files: int, rows: int, start: int = 0) -> int:
    """``files`` finalised files of ``rows`` rows each; returns the number of rows written."""
    writer = DatasetWriter(dataset, ARTICLE_SCHEMA, run_id="r1", file_rows=rows, flush_seconds=0)
    for i in range(start, start + files * rows):
        writer.write(article(i))
    writer.close()
    return files * rows


def backdate(path: Path, stamp: str) -> Path:
    """Rename a file as if started at ``stamp`` (``YYYYmmddTHHMMSS``)."""
    file_id = file_id_of(path)
    assert file_id
    target = path.with_name(f"part-{stamp}{file_id[15:]}.parquet")
    path.rename(target)
    return target


def ids(dataset: Path) -> list[str]:
    return sorted(read_dataset(dataset, columns=["article_id"]).column("article_id").to_pylist())


def test_merges_small_files_per_month_keeping_every_row_once(tmp_path: Path) -> None:
    dataset = tmp_path / "articles"
    total = write_files(dataset, files=12, rows=3)
    for path in finalised_files(dataset)[:4]:
        backdate(path, "20261031T230000")
    before = ids(dataset)
    assert len(before) == total

    jobs = plan(dataset, target_rows=20)
    assert {j.partition for j in jobs} == {"2026-10", f"{dt.datetime.now(dt.UTC):%Y-%m}"}
    assert all(j.rows <= 20 and len(j.inputs) >= 2 for j in jobs)
    report = compact(tmp_path, target_rows=20, datasets=("articles",))
    after_files = finalised_files(dataset)
    assert len(after_files) == len(report.written) < 12
    assert ids(dataset) == before
    for merged in report.written:
        assert is_merged(file_id_of(merged)) and pq.read_table(merged).num_rows > 0
        assert partition_of(file_id_of(merged) or "") in {"2026-10", f"{dt.datetime.now(dt.UTC):%Y-%m}"}
    assert not list(dataset.glob(".*"))  # no temporary left


def test_merging_merged_files_keeps_the_original_ids(tmp_path: Path) -> None:
    dataset = tmp_path / "articles"
    write_files(dataset, files=6, rows=2)
    original = {file_id_of(p) for p in finalised_files(dataset)}
    compact(tmp_path, target_rows=4, datasets=("articles",))
    compact(tmp_path, target_rows=100, datasets=("articles",))
    (merged,) = finalised_files(dataset)
    assert set(compacted_from(merged)) >= original
    assert original <= finalised_file_ids(dataset)


def test_recovery_after_compaction_keeps_state_entries_of_compacted_files(tmp_path: Path) -> None:
    """A crawl killed between finalising a file and committing its state entries, then compacted: the next
    crawl's recovery must commit those entries (their rows are in the merged file), not delete them."""
    dataset = tmp_path / "articles"
    write_files(dataset, files=3, rows=2)
    killed_file = file_id_of(finalised_files(dataset)[0])
    assert killed_file
    store = SQLiteStore(tmp_path / "state" / "state.sqlite3")
    stored = StoredArticle("id00000", "https://n.example/a0", "ab" * 16, 1, "https://n.example/a0", None, NOW)
    store.add_article(stored, [b"12345678"], np.zeros(4, dtype=np.uint32), file_id=killed_file)
    compact(tmp_path, target_rows=100, datasets=("articles",))
    assert killed_file not in {file_id_of(p) for p in finalised_files(dataset)}

    ArticleFlow(tmp_path, store).close()  # start-up recovery of the next crawl
    assert store.pending_file_ids() == set()
    assert store.article_by_id("id00000") is not None
    store.close()


def test_leftover_inputs_of_an_interrupted_compaction_are_never_read_twice(tmp_path: Path) -> None:
    dataset = tmp_path / "articles"
    total = write_files(dataset, files=4, rows=2)
    saved = tmp_path / "saved"
    shutil.copytree(dataset, saved)
    compact(tmp_path, target_rows=100, datasets=("articles",))
    for path in finalised_files(saved):  # as if the compaction died before deleting its inputs
        shutil.copy(path, dataset / path.name)
    assert len(ids(dataset)) == total  # the merged file supersedes them for readers...
    assert settle(dataset) == 4  # ...and the next compaction or crawl deletes them
    assert len(finalised_files(dataset)) == 1 and len(ids(dataset)) == total


def test_reader_loop_during_compaction_never_fails_nor_sees_a_row_twice(tmp_path: Path) -> None:
    dataset = tmp_path / "articles"
    total = write_files(dataset, files=120, rows=2)
    expected = ids(dataset)
    stop = threading.Event()
    reads: list[int] = []
    problems: list[str] = []

    def reader() -> None:
        while not stop.is_set():
            try:
                got = ids(dataset)
            except Exception as exc:  # the property under test: no exception at all
                problems.append(f"{type(exc).__name__}: {exc}")
                return
            if got != expected:
                problems.append(f"{len(got)} rows, {len(got) - len(set(got))} doubled")
                return
            reads.append(len(got))

    threads = [threading.Thread(target=reader) for _ in range(2)]
    for thread in threads:
        thread.start()
    try:
        compact(tmp_path, target_rows=10, datasets=("articles",))  # many swaps...
        compact(tmp_path, target_rows=100, datasets=("articles",))  # ...then merged files merged again
        compact(tmp_path, target_rows=1000, datasets=("articles",))
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    assert not problems, problems
    assert len(reads) >= 4 and set(reads) == {total}
    assert len(finalised_files(dataset)) == 1


def run_compact(output: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newsharvest.cli", "compact", "--output", str(output), "--target-rows", "100"],
        cwd=output.parent, env=env(), capture_output=True, text=True, timeout=60,
    )  # fmt: skip


def test_cli_compacts_and_refuses_while_a_crawl_holds_the_lock(tmp_path: Path) -> None:
    output = tmp_path / "out"
    write_files(output / "articles", files=5, rows=2)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from newsharvest.lock import OutputLock;"
         " OutputLock.acquire(sys.argv[1], command='newsharvest crawl'); print('locked', flush=True);"
         " time.sleep(60)", str(output)],
        env=env(), stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        refused = run_compact(output)
        assert refused.returncode == EX_TEMPFAIL and "locked" in refused.stderr
        assert len(finalised_files(output / "articles")) == 5
    finally:
        holder.kill()
        holder.wait()
    done = run_compact(output)
    assert done.returncode == 0, done.stderr
    assert "merged 5 files into 1" in done.stdout
    assert len(finalised_files(output / "articles")) == 1


@pytest.mark.parametrize(("file_id", "month"), [("20261124T112000-r-h-1-ab", "2026-11"), ("odd", "undated")])
def test_partition_is_the_month_of_the_file_id(file_id: str, month: str) -> None:
    assert partition_of(file_id) == month
