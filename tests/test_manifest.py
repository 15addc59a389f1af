"""The run manifest: written atomically on spider close, per-source figures, files, status and health
warnings from the history of previous manifests."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from types import SimpleNamespace

import pytest
from scrapy.utils.test import get_crawler

from newsharvest.manifest import RunManifest, manifest_path, write_manifest
from newsharvest.runtime import runtime


def make_extension(output: Path, run_id: str = "20261124T120000Z-aaaaaa") -> RunManifest:
    crawler = get_crawler(settings_dict={"NEWSHARVEST_OUTPUT": str(output), "NEWSHARVEST_RUN_ID": run_id})
    crawler.stats.open_spider()
    articles = output / "articles" / "part-x.parquet"
    runtime(crawler).flow = SimpleNamespace(
        articles=SimpleNamespace(files_written=[articles]),
        dropped=SimpleNamespace(files_written=[output / "dropped" / "part-y.parquet"]),
    )
    return RunManifest.from_crawler(crawler)


def spider(*names: str) -> SimpleNamespace:
    return SimpleNamespace(config=SimpleNamespace(sources=[SimpleNamespace(name=n) for n in names]))


def test_manifest_has_per_source_figures_files_and_status(tmp_path: Path) -> None:
    ext = make_extension(tmp_path)
    stats = ext.crawler.stats
    for key, value in {
        "newsharvest/source/a/fetched": 12, "newsharvest/source/a/ok": 11, "newsharvest/source/a/written": 4,
        "newsharvest/source/a/skipped": 3, "newsharvest/source/a/dropped/unchanged": 2,
        "newsharvest/source/a/dropped/not_article": 1, "newsharvest/errors/a": 1,
        "newsharvest/articles/written": 4, "newsharvest/dropped/unchanged": 2,
    }.items():  # fmt: skip
        stats.set_value(key, value)
    ext.spider_closed(spider("a", "quiet"), "finished")

    data = json.loads(manifest_path(tmp_path, ext.manifest["run_id"]).read_text())
    assert data == ext.manifest
    assert data["status"] == "finished" and data["started"] <= data["ended"]
    a = data["sources"]["a"]
    assert (a["pages_fetched"], a["pages_ok"], a["articles_written"], a["skipped"], a["errors"]) == (
        12,
        11,
        4,
        3,
        1,
    )
    assert a["articles_seen"] == 4 + 3 + 2 and a["dropped"] == {"not_article": 1, "unchanged": 2}
    assert data["sources"]["quiet"]["pages_fetched"] == 0  # configured sources are listed even when silent
    assert data["files"] == {"articles": ["articles/part-x.parquet"], "dropped": ["dropped/part-y.parquet"]}
    assert not list((tmp_path / "runs").glob(".*"))  # the temporary was renamed into place


@pytest.mark.parametrize(
    ("reason", "ok", "status", "why"),
    [
        ("finished", 0, "failed", "no source reachable"),
        ("shutdown", 5, "failed", "interrupted (shutdown)"),
        ("closespider_timeout", 5, "finished", "closespider_timeout"),
    ],
)
def test_status(tmp_path: Path, reason: str, ok: int, status: str, why: str) -> None:
    ext = make_extension(tmp_path)
    ext.crawler.stats.set_value("newsharvest/source/a/ok", ok)
    ext.spider_closed(spider("a"), reason)
    assert (ext.manifest["status"], ext.manifest["reason"]) == (status, why)


def test_volume_drop_is_warned_in_manifest_and_log(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    for i, seen in enumerate((30, 32, 29, 35, 31)):
        write_manifest(tmp_path, {"run_id": f"20261120T00000{i}Z-old", "status": "finished",
                                  "sources": {"a": {"articles_seen": seen}}})  # fmt: skip
    ext = make_extension(tmp_path)
    ext.crawler.stats.set_value("newsharvest/source/a/ok", 3)
    ext.crawler.stats.set_value("newsharvest/source/a/written", 2)
    with caplog.at_level(logging.WARNING, logger="newsharvest.manifest"):
        ext.spider_closed(spider("a"), "finished")
    (warning,) = ext.manifest["sources"]["a"]["warnings"]
    assert "source a" in warning and ext.manifest["warnings"] == [warning]
    assert any(r.levelno == logging.WARNING and "source a" in r.getMessage() for r in caplog.records)


def test_blocked_pages_are_warned(tmp_path: Path) -> None:
    ext = make_extension(tmp_path)
    stats = ext.crawler.stats
    stats.set_value("newsharvest/source/a/ok", 3)
    stats.set_value("newsharvest/source/a/fetched", 3)
    stats.set_value("newsharvest/source/a/blocked", 2)
    stats.set_value("newsharvest/source/a/blocked_urls", ["https://a.example/x", "https://a.example/y"])
    ext.spider_closed(spider("a"), "finished")
    (warning,) = ext.manifest["warnings"]
    assert "source a: 2 of 3 pages" in warning and "https://a.example/x" in warning
