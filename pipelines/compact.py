"""Compaction: merge the many small Parquet files of frequent runs into few large ones, without ever showing a
reader a row twice or half a file.

A crontab line every 15 minutes leaves thousands of small files a month; readers pay per file (open, footer,
schedule), so ``newsharvest compact`` merges them.

**Partition.** Files are merged within one *dataset folder* (``articles/``, ``dropped/``, or a sub-folder) and
one *calendar month*, the month of the timestamp that starts every file id (``20261124T112000-…``: when the
file was started). Month keeps merged files bounded and lets a reader prune by file name; files of different
months are never merged. Only files smaller than the target are merged, up to the target rows per file.

**Swap protocol** (one merge):

1. the merged rows are written under a hidden temporary name (``.part-<id>.parquet.tmp``, invisible to pyarrow
   discovery and ``*.parquet`` globs), whose Parquet metadata lists every file id it contains
   (``newsharvest.compacted_from``, transitively: merging merged files keeps the original ids), and synced;
2. it is renamed into place (``part-<YYYYmmddTHHMMSS>-compacted-….parquet``), the directory synced;
3. the input files are deleted, the directory synced.

A visible merged file therefore *supersedes* its inputs: any of them still visible (a reader listing between 2
and 3, or a crash between them) is garbage. :func:`settle` deletes such leftovers (run by compaction and at
every crawl start), and :func:`finalised_file_ids` counts the ids inside merged files as finalised, so the
state store's start-up recovery never forgets the entries of compacted files.

**Guarantee for readers.** :func:`read_dataset` (and :func:`snapshot`) give a consistent view while compaction
runs: each file is opened before it is read (an open file stays readable after it is unlinked), superseded
inputs are left out, and a listing that raced with a swap is detected and retried; so a read never fails
because of compaction and never sees a row twice. A reader that lists the folder itself
(``pd.read_parquet("out/articles")``, DuckDB globs) never sees a partial file either, but a read that
overlaps a swap can, in the milliseconds between steps 2 and 3, see an input's rows twice, or fail with
``FileNotFoundError`` if an input it listed is deleted before it opens it (retrying is safe). No lock-free
scheme can avoid this for plain list-then-open readers of one folder, hence the helper; compaction also takes
the output lock, so it never runs beside a crawl.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import secrets
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from pipelines.parquet import file_id_of, finalised_files, fsync_dir

logger = logging.getLogger(__name__)

#: Parquet key-value metadata of a merged file: JSON list of the file ids whose rows it holds.
COMPACTED_FROM = b"newsharvest.compacted_from"
_MERGED = "-compacted-"
_STAMP = re.compile(r"^(?P<year>\d{4})(?P<month>\d{2})\d{2}T\d{6}")


def is_merged(file_id: str | None) -> bool:
    return bool(file_id) and _MERGED in file_id  # type: ignore[operator]


def partition_of(file_id: str) -> str:
    """The calendar month (``YYYY-MM``) a file belongs to, from the timestamp its id starts with."""
    match = _STAMP.match(file_id)
    return f"{match['year']}-{match['month']}" if match else "undated"


def compacted_from(path: Path | pa.NativeFile | object) -> list[str]:
    """The file ids a merged file declares it holds (empty for an ordinary file)."""
    meta = pq.read_metadata(path).metadata or {}  # type: ignore[arg-type]
    raw = meta.get(COMPACTED_FROM)
    return list(json.loads(raw)) if raw else []


def finalised_file_ids(dataset_dir: Path) -> set[str]:
    """Ids of every file whose rows are in the dataset: visible files and the inputs of merged files.

    What the state store's ``recover`` must treat as finalised: an entry tagged with a compacted file id is in
    the output (inside the merged file)."""
    ids: set[str] = set()
    for path in finalised_files(dataset_dir):
        file_id = file_id_of(path)
        if file_id is None:
            continue
        ids.add(file_id)
        if is_merged(file_id):
            ids.update(compacted_from(path))
    return ids


def settle(dataset_dir: Path) -> int:
    """Delete visible input files already contained in a visible merged file (left by a compaction that died
    between its rename and its deletes). Returns how many were deleted."""
    files = finalised_files(dataset_dir)
    contained: set[str] = set()
    for path in files:
        if is_merged(file_id_of(path)):
            contained.update(compacted_from(path))
    removed = 0
    for path in files:
        if file_id_of(path) in contained:
            path.unlink(missing_ok=True)
            removed += 1
    if removed:
        fsync_dir(dataset_dir)
        logger.warning("Removed %d file(s) already merged by an interrupted compaction", removed)
    return removed


# -- reading ---------------------------------------------------------------------------------------------
@dataclass
class Snapshot:
    """Open handles on a consistent set of a dataset's files; close it (or use ``with``) when done."""

    paths: list[Path] = field(default_factory=list)
    handles: list[object] = field(default_factory=list)

    def close(self) -> None:
        for handle in self.handles:
            handle.close()  # type: ignore[attr-defined]
        self.handles.clear()

    def __enter__(self) -> Snapshot:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _merged_names(dataset_dir: Path) -> set[str]:
    return {p.name for p in finalised_files(dataset_dir) if is_merged(file_id_of(p))}


def snapshot(dataset_dir: str | Path, *, attempts: int = 20) -> Snapshot:
    """Open a consistent set of the dataset's files (see the module docstring for the guarantee)."""
    dataset_dir = Path(dataset_dir)
    for attempt in range(attempts):
        listed = finalised_files(dataset_dir)
        snap = Snapshot()
        try:
            opened = {}
            for path in listed:
                opened[path] = open(path, "rb")  # noqa: SIM115 - kept open on purpose, closed by Snapshot
                snap.handles.append(opened[path])
            contained: set[str] = set()
            for path, handle in opened.items():
                if is_merged(file_id_of(path)):
                    contained.update(compacted_from(handle))
                    handle.seek(0)
            keep = [p for p in listed if file_id_of(p) not in contained]
            # A merged file that appeared while we listed may hold rows whose inputs we missed: list again.
            if _merged_names(dataset_dir) <= {p.name for p in listed}:
                snap.paths = keep
                for path in listed:
                    if path not in keep:
                        opened[path].close()
                snap.handles = [opened[p] for p in keep]
                return snap
        except FileNotFoundError:
            pass  # an input was merged and deleted between listing and opening: list again
        snap.close()
        time.sleep(min(0.01 * (attempt + 1), 0.2))
    raise RuntimeError(f"could not get a consistent listing of {dataset_dir} in {attempts} attempts")


def read_dataset(dataset_dir: str | Path, columns: list[str] | None = None) -> pa.Table:
    """The whole dataset as one table, safe while ``newsharvest compact`` runs (rows once, no failure)."""
    with snapshot(dataset_dir) as snap:
        tables = [pq.read_table(handle, columns=columns) for handle in snap.handles]  # type: ignore[arg-type]
    if not tables:
        return pa.table({})
    return pa.concat_tables(tables, promote_options="default")


# -- compacting ------------------------------------------------------------------------------------------
@dataclass
class Merge:
    """One planned merge: input files of one folder and month, in file-id (time) order."""

    directory: Path
    partition: str
    inputs: list[Path]
    rows: int


@dataclass
class CompactReport:
    merges: list[Merge] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    removed_leftovers: int = 0

    @property
    def files_in(self) -> int:
        return sum(len(m.inputs) for m in self.merges)


def plan(dataset_dir: Path, target_rows: int) -> list[Merge]:
    """Group the dataset's small files by folder, month and schema, packed up to ``target_rows`` per merge;
    groups of one file are left alone."""
    groups: dict[tuple[Path, str, str], list[tuple[Path, int]]] = defaultdict(list)
    for path in finalised_files(dataset_dir):
        file_id = file_id_of(path)
        if file_id is None:
            continue
        meta = pq.read_metadata(path)
        if meta.num_rows >= target_rows:
            continue
        schema = meta.schema.to_arrow_schema().remove_metadata()
        key = (path.parent, partition_of(file_id), schema.to_string())
        groups[key].append((path, meta.num_rows))
    merges: list[Merge] = []
    for (directory, partition, _), files in sorted(groups.items(), key=lambda kv: (str(kv[0][0]), kv[0][1])):
        files.sort(key=lambda f: file_id_of(f[0]) or "")
        batch: list[tuple[Path, int]] = []
        for item in [*files, None]:
            if item is None or (batch and sum(r for _, r in batch) + item[1] > target_rows):
                if len(batch) >= 2:
                    merges.append(
                        Merge(directory, partition, [p for p, _ in batch], sum(r for _, r in batch))
                    )
                batch = []
            if item is not None:
                batch.append(item)
    return merges


def _merged_file_id(first_input: str) -> str:
    stamp = _STAMP.match(first_input)
    start = stamp.group(0) if stamp else dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
    now = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
    return f"{start}{_MERGED}{now}-{secrets.token_hex(4)}"


def merge(job: Merge, *, row_group_rows: int = 10_000) -> Path:
    """Carry out one merge with the swap protocol of the module docstring; returns the merged file."""
    ids: list[str] = []
    for path in job.inputs:
        file_id = file_id_of(path) or ""
        ids.append(file_id)
        if is_merged(file_id):
            ids.extend(compacted_from(path))
    first = pq.read_schema(job.inputs[0])
    metadata = dict(first.metadata or {})
    metadata[COMPACTED_FROM] = json.dumps(ids).encode()
    schema = first.with_metadata(metadata)
    merged_id = _merged_file_id(file_id_of(job.inputs[0]) or "")
    tmp = job.directory / f".part-{merged_id}.parquet.tmp"
    final = job.directory / f"part-{merged_id}.parquet"
    writer = pq.ParquetWriter(tmp, schema, compression="zstd", compression_level=6, write_statistics=True)
    try:
        pending: list[pa.Table] = []
        size = 0
        for path in job.inputs:
            table = pq.read_table(path).replace_schema_metadata(metadata)
            pending.append(table)
            size += table.num_rows
            if size >= row_group_rows:
                writer.write_table(pa.concat_tables(pending), row_group_size=row_group_rows)
                pending, size = [], 0
        if pending:
            writer.write_table(pa.concat_tables(pending), row_group_size=row_group_rows)
    except BaseException:
        writer.close()
        tmp.unlink(missing_ok=True)
        raise
    writer.close()
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, final)  # from here the merged file supersedes its inputs
    fsync_dir(job.directory)
    for path in job.inputs:
        path.unlink(missing_ok=True)
    fsync_dir(job.directory)
    logger.info(
        "Merged %d files (%d rows) of %s into %s", len(job.inputs), job.rows, job.partition, final.name
    )
    return final


def compact(
    output: str | Path,
    *,
    datasets: tuple[str, ...] = ("articles", "dropped"),
    target_rows: int = 200_000,
    dry_run: bool = False,
) -> CompactReport:
    """Compact the datasets of an output folder. The caller holds the output lock (no crawl is writing)."""
    report = CompactReport()
    for name in datasets:
        dataset_dir = Path(output) / name
        if not dataset_dir.is_dir():
            continue
        if not dry_run:
            report.removed_leftovers += settle(dataset_dir)
        jobs = plan(dataset_dir, target_rows)
        report.merges.extend(jobs)
        if not dry_run:
            report.written.extend(merge(job) for job in jobs)
    return report
