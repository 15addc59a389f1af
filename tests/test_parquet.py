"""The Parquet writer: explicit schema, atomic files, readable by pandas, DuckDB and Polars."""

import datetime as dt
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pyarrow.parquet as pq

from pipelines.parquet import (
    ARTICLE_SCHEMA,
    DROPPED_SCHEMA,
    SCHEMA_VERSION,
    DatasetWriter,
    file_id_of,
    finalised_files,
    remove_stale_temporaries,
)
from pipelines.records import Article, Dropped, Reason

REPO = Path(__file__).resolve().parents[1]
NOW = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC)


def article(i: int) -> Article:
    return Article(
        url=f"https://n.example/a{i}", canonical_url=f"https://n.example/a{i}", title=f"Title {i}",
        text=f"Body of article {i}.", language="en", published=NOW - dt.timedelta(days=i) if i % 2 else None,
        authors=["Jane Doe", "John Roe"], source="n", fetched_at=NOW, content_hash=f"h{i}", article_id=f"id{i}",
        tags=["economy"], run_id="r1", word_count=4,
    )  # fmt: skip


def test_files_are_finalised_atomically_and_read_by_every_reader(tmp_path: Path) -> None:
    done: list[tuple[str, int]] = []
    writer = DatasetWriter(
        tmp_path / "articles", ARTICLE_SCHEMA, run_id="r1", file_rows=4, row_group_rows=2,
        on_finalised=lambda fid, path, rows: done.append((fid, rows)),
    )  # fmt: skip
    first_id = writer.current_file_id
    for i in range(3):
        assert writer.write(article(i)) == first_id
    # Three rows written, file not complete: readers see nothing, not a half file.
    assert finalised_files(tmp_path / "articles") == []
    assert list((tmp_path / "articles").glob("*.parquet")) == []
    for i in range(3, 10):
        writer.write(article(i))
    writer.close()
    files = finalised_files(tmp_path / "articles")
    assert [rows for _, rows in done] == [4, 4, 2]
    assert {file_id_of(f) for f in files} == {fid for fid, _ in done}
    assert first_id == done[0][0]

    df = pd.read_parquet(tmp_path / "articles")
    assert len(df) == 10 and set(df["url"]) == {f"https://n.example/a{i}" for i in range(10)}
    assert str(df["published"].dtype).startswith("datetime64") and "UTC" in str(df["published"].dtype)
    assert list(df.loc[df["url"] == "https://n.example/a1", "authors"].iloc[0]) == ["Jane Doe", "John Roe"]
    assert duckdb.sql(f"select count(*) from read_parquet('{tmp_path}/articles/*.parquet')").fetchall() == [
        (10,)
    ]
    assert pl.read_parquet(f"{tmp_path}/articles/*.parquet").height == 10

    meta = max((pq.read_metadata(f) for f in files), key=lambda m: m.num_rows)  # a full 4-row file
    assert meta.schema.to_arrow_schema().metadata[b"newsharvest.schema_version"] == SCHEMA_VERSION.encode()
    assert meta.row_group(0).column(0).compression == "ZSTD"
    assert meta.num_row_groups == 2


def test_stale_temporary_files_are_removed_and_never_listed(tmp_path: Path) -> None:
    writer = DatasetWriter(tmp_path / "dropped", DROPPED_SCHEMA, file_rows=100, row_group_rows=1)
    writer.write(Dropped(url="https://n.example/x", reason=Reason.HTTP_ERROR, source="n", status=500))
    # Simulate a crash: the writer is never closed; its temporary file stays behind.
    temporaries = list((tmp_path / "dropped").glob(".part-*.parquet.tmp"))
    assert len(temporaries) == 1
    assert finalised_files(tmp_path / "dropped") == []
    assert remove_stale_temporaries(tmp_path / "dropped") == 1
    assert not temporaries[0].exists()


def test_dropped_dataset_reason_is_a_plain_string(tmp_path: Path) -> None:
    writer = DatasetWriter(tmp_path / "dropped", DROPPED_SCHEMA)
    writer.write(Dropped(url="https://n.example/y", reason=Reason.LANGUAGE, source="n", detail="de"))
    writer.close()
    df = pd.read_parquet(tmp_path / "dropped")
    assert df.loc[0, "reason"] == "language" and df.loc[0, "detail"] == "de"


def test_writing_does_not_import_pandas_and_pandas_still_reads_it(tmp_path: Path) -> None:
    """The crawl process writes Parquet from Python lists: pyarrow's pandas probe must not load pandas
    (~50 MB) there, and pandas must still work afterwards in the same process."""
    script = f"""
import datetime as dt
import sys
from pipelines.parquet import DatasetWriter, ARTICLE_SCHEMA
from pipelines.records import Article
now = dt.datetime.now(dt.UTC)
writer = DatasetWriter({str(tmp_path)!r}, ARTICLE_SCHEMA, run_id="r1", file_rows=10, row_group_rows=2)
for i in range(3):
    writer.write(Article(
        url=f"https://n.example/a{{i}}", canonical_url=f"https://n.example/a{{i}}", title="T", text="Body.",
        language="en", published=now, authors=["Jane Doe"], source="n", fetched_at=now, content_hash=f"h{{i}}",
        article_id=f"id{{i}}", run_id="r1", word_count=1,
    ))
writer.finalise()
assert "pandas" not in sys.modules, "pandas imported while writing"
import pyarrow.dataset as ds
frame = ds.dataset({str(tmp_path)!r}, format="parquet").to_table().to_pandas()
print(len(frame), frame["published"].dtype)
"""
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    rows, dtype = done.stdout.split(maxsplit=1)
    assert rows == "3"
    assert "UTC" in dtype
