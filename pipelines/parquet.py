"""Writing the ``articles`` and ``dropped`` Parquet datasets.

Readers (pandas, DuckDB, Polars) must never see a half-written file, whatever happens to the crawl: rows are
written under a hidden temporary name (``.part-….parquet.tmp``, skipped by pyarrow's dataset discovery and by
``*.parquet`` globs) and renamed into place once the file is complete and synced. A callback then tells the
state store that the rows of that file exist, which is what makes "already written" and the files agree.
"""

from __future__ import annotations

import datetime as dt
import importlib.abc
import logging
import os
import re
import secrets
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import fields
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from pipelines.records import Article, Dropped

logger = logging.getLogger(__name__)

_probe_lock = threading.Lock()
_probed = False


def arrow_without_pandas_probe() -> None:
    """Let pyarrow convert Python lists without importing pandas just to check they are not pandas objects.

    pyarrow's first ``pa.array``/``Table.from_pylist`` of Python objects imports pandas, when installed, to
    ask whether the input is a pandas Series (~50 MB and a second in the crawl process, which never hands it
    pandas objects). When pandas is not loaded yet, that probe is answered "no pandas" once. pyarrow still
    imports pandas itself the first time something needs it for real (``Table.to_pandas``,
    ``pa.Table.from_pandas``), so readers in the same process are unaffected.
    """
    global _probed
    with _probe_lock:
        if _probed:
            return
        _probed = True
        if "pandas" in sys.modules:
            return
        blocker = _NoPandas()
        sys.meta_path.insert(0, blocker)  # makes ``import pandas`` fail, for this one call
        try:
            pa.array([], type=pa.string())
        finally:
            sys.meta_path.remove(blocker)


class _NoPandas(importlib.abc.MetaPathFinder):
    def find_spec(self, name: str, path: object = None, target: object = None) -> None:
        if name == "pandas":
            raise ModuleNotFoundError("not needed to write Parquet from Python lists", name=name)
        return None


#: Arrow buffers of the writer come from malloc, not from pyarrow's default pool (mimalloc), which keeps what
#: it freed for reuse; freed malloc memory goes back to the OS (``pipelines.memory.trim_heap``, run
#: periodically by the crawl, which also switches pyarrow's default pool: ``arrow_allocates_with_malloc``).
_POOL = pa.system_memory_pool()

#: Bumped whenever a column is added, removed or changes type; stored in every file's metadata.
SCHEMA_VERSION = "1"
_TS = pa.timestamp("us", tz="UTC")

ARTICLE_SCHEMA = pa.schema(
    [
        pa.field("article_id", pa.string(), nullable=False),
        pa.field("version", pa.int32(), nullable=False),
        pa.field("url", pa.string(), nullable=False),
        pa.field("canonical_url", pa.string(), nullable=False),
        pa.field("canonical_rule", pa.string()),
        pa.field("title", pa.string()),
        pa.field("text", pa.string(), nullable=False),
        pa.field("language", pa.string()),
        pa.field("published", _TS),
        pa.field("updated", _TS),
        pa.field("authors", pa.list_(pa.string())),
        pa.field("source", pa.string(), nullable=False),
        pa.field("site_name", pa.string()),
        pa.field("description", pa.string()),
        pa.field("tags", pa.list_(pa.string())),
        pa.field("fetched_at", _TS, nullable=False),
        pa.field("content_hash", pa.string(), nullable=False),
        pa.field("word_count", pa.int32()),
        pa.field("run_id", pa.string()),
    ],
    metadata={"newsharvest.schema_version": SCHEMA_VERSION, "newsharvest.dataset": "articles"},
)

DROPPED_SCHEMA = pa.schema(
    [
        pa.field("url", pa.string(), nullable=False),
        pa.field("reason", pa.string(), nullable=False),
        pa.field("source", pa.string()),
        pa.field("detail", pa.string()),
        pa.field("duplicate_of", pa.string()),
        pa.field("status", pa.int32()),
        pa.field("fetched_at", _TS, nullable=False),
        pa.field("run_id", pa.string()),
    ],
    metadata={"newsharvest.schema_version": SCHEMA_VERSION, "newsharvest.dataset": "dropped"},
)

_FINAL_NAME = re.compile(r"^part-(?P<id>[A-Za-z0-9_.-]+)\.parquet$")


def file_id_of(path: Path) -> str | None:
    """The file id encoded in a finalised file's name, or ``None`` for other files."""
    match = _FINAL_NAME.match(path.name)
    return match["id"] if match else None


def finalised_files(dataset_dir: Path) -> list[Path]:
    """Finalised Parquet files of a dataset folder (temporary files are not listed)."""
    if not dataset_dir.is_dir():
        return []
    return sorted(p for p in dataset_dir.rglob("part-*.parquet") if file_id_of(p))


def remove_stale_temporaries(dataset_dir: Path) -> int:
    """Delete temporary files left by a killed run (their rows were never committed)."""
    count = 0
    if dataset_dir.is_dir():
        for tmp in dataset_dir.rglob(".part-*.parquet.tmp"):
            tmp.unlink(missing_ok=True)
            count += 1
    return count


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _row(record: Article | Dropped) -> dict:
    """The record as a row: a shallow copy of its fields (lists copied), not ``dataclasses.asdict``, which
    deep-copies every value, datetimes included (28 instead of 3 us per article, in the crawl process)."""
    names = _FIELD_NAMES.get(type(record))
    if names is None:
        names = _FIELD_NAMES[type(record)] = tuple(f.name for f in fields(record))
    row = {name: getattr(record, name) for name in names}
    for name, value in row.items():
        if isinstance(value, list):
            row[name] = list(value)
    if "reason" in row:
        row["reason"] = str(row["reason"])
    return row


def new_file_id(run_id: str) -> str:
    """A file id that never collides across runs, processes and machines."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
    host = re.sub(r"[^A-Za-z0-9]", "", socket.gethostname())[:12] or "host"
    return f"{stamp}-{run_id or 'run'}-{host}-{os.getpid()}-{secrets.token_hex(3)}"


class DatasetWriter:
    """Appends records to a Parquet dataset folder, one finalised file per ``file_rows`` rows or flush."""

    def __init__(
        self,
        directory: str | Path,
        schema: pa.Schema,
        *,
        run_id: str = "",
        file_rows: int = 5000,
        row_group_rows: int = 1000,
        flush_seconds: float = 300.0,
        on_finalised: Callable[[str, Path, int], None] | None = None,
        before_finalise: Callable[[str], None] | None = None,
    ) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.schema = schema
        self.run_id = run_id
        self.file_rows = max(1, file_rows)
        self.row_group_rows = max(1, min(row_group_rows, self.file_rows))
        self.flush_seconds = flush_seconds
        self.on_finalised = on_finalised
        # Called with the file id just before the rename: the state store makes the file's pending entries
        # durable there, so a file that exists always has its entries (recover() then commits them).
        self.before_finalise = before_finalise
        self.files_written: list[Path] = []
        self.rows_written = 0
        self._buffer: list[dict] = []
        self._writer: pq.ParquetWriter | None = None
        self._tmp_path: Path | None = None
        self._rows_in_file = 0
        self._file_started = 0.0
        self._file_id = new_file_id(run_id)

    @property
    def current_file_id(self) -> str:
        """The id of the file the next record will land in (state entries are tagged with it)."""
        return self._file_id

    def write(self, record: Article | Dropped) -> str:
        """Buffer one record; return the id of the file it will be in."""
        file_id = self._file_id
        if not self._buffer and self._writer is None:
            self._file_started = time.monotonic()
        self._buffer.append(_row(record))
        if len(self._buffer) >= self.row_group_rows:
            self._write_row_group()
        if self._rows_in_file + len(self._buffer) >= self.file_rows or self._due():
            self.finalise()
        return file_id

    def write_many(self, records: Iterable[Article | Dropped]) -> None:
        for record in records:
            self.write(record)

    def finalise_if_due(self) -> None:
        """Finalise the open file when it has been open longer than ``flush_seconds`` (periodic call)."""
        if (self._writer is not None or self._buffer) and self._due():
            self.finalise()

    def _due(self) -> bool:
        return self.flush_seconds > 0 and time.monotonic() - self._file_started >= self.flush_seconds

    def _write_row_group(self) -> None:
        if not self._buffer:
            return
        if self._writer is None:
            self._tmp_path = self.directory / f".part-{self._file_id}.parquet.tmp"
            self._writer = pq.ParquetWriter(
                self._tmp_path, self.schema, compression="zstd", compression_level=6, use_dictionary=True,
                write_statistics=True, memory_pool=_POOL,
            )  # fmt: skip
        arrow_without_pandas_probe()
        columns = [
            pa.array([row.get(f.name) for row in self._buffer], type=f.type, memory_pool=_POOL)
            for f in self.schema
        ]
        table = pa.Table.from_arrays(columns, schema=self.schema)
        self._writer.write_table(table, row_group_size=self.row_group_rows)
        self._rows_in_file += len(self._buffer)
        self._buffer.clear()

    def finalise(self) -> Path | None:
        """Close the current file and rename it into place; ``None`` when it holds no rows."""
        self._write_row_group()
        if self._writer is None or self._tmp_path is None:
            return None
        self._writer.close()
        with open(self._tmp_path, "rb") as fh:
            os.fsync(fh.fileno())
        if self.before_finalise is not None:
            self.before_finalise(self._file_id)
        final = self.directory / f"part-{self._file_id}.parquet"
        os.replace(self._tmp_path, final)
        fsync_dir(self.directory)
        file_id, rows = self._file_id, self._rows_in_file
        self.files_written.append(final)
        self.rows_written += rows
        self._writer, self._tmp_path, self._rows_in_file = None, None, 0
        self._file_id = new_file_id(self.run_id)
        logger.debug("Finalised %s (%d rows)", final, rows)
        if self.on_finalised is not None:
            self.on_finalised(file_id, final, rows)
        return final

    def close(self) -> None:
        self.finalise()


def fsync_dir(directory: Path) -> None:
    """Make the rename durable: a crash right after must not bring back the temporary name."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def article_columns() -> list[str]:
    return [f.name for f in fields(Article)]
