"""``newsharvest crawl`` as cron runs it: exit codes 0 / 1 / 2 / 75, the log file, brief stderr, the lock."""

from __future__ import annotations

import json
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from crawl_helpers import crawl_args, env, run_crawl, site, write_sources

from newsharvest.lock import EX_TEMPFAIL, LOCK_NAME, OutputLock


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Any]]:
    with site(tmp_path_factory.mktemp("site")) as pair:
        yield pair


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_finished_run_exits_0_with_log_and_manifest_and_quiet_stderr(demo: Any, tmp_path: Path) -> None:
    truth, _ = demo
    sources = write_sources(tmp_path / "sources.yaml", truth.hosts[0].base_url)
    result = run_crawl(sources, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    manifests = list((tmp_path / "out" / "runs").glob("*.json"))
    assert len(manifests) == 1
    run_id = manifests[0].stem
    log = (tmp_path / "out" / "logs" / f"{run_id}.log").read_text()
    assert "Spider opened" in log and "newsharvest summary" in log
    assert json.loads(manifests[0].read_text())["status"] == "finished"
    # stderr is what cron mails: no INFO chatter (the demo's broken sitemap is a legitimate WARNING).
    assert "INFO" not in result.stderr and "Spider opened" not in result.stderr
    assert not (tmp_path / "out" / LOCK_NAME).read_text().strip(), "lock holder left behind"


def test_config_error_exits_2_before_any_fetch(demo: Any, tmp_path: Path) -> None:
    truth, server = demo
    before = len(server.requests)
    sources = tmp_path / "bad.yaml"
    sources.write_text(
        f"sources:\n  - name: x\n    feeds: [{truth.hosts[0].base_url}/feed.xml]\n    colour: red\n"
    )
    result = run_crawl(sources, tmp_path / "out")
    assert result.returncode == 2
    line = result.stderr.strip()
    assert line.startswith(f"error: {sources}: ") and "\n" not in line
    assert len(server.requests) == before
    assert not (tmp_path / "out").exists()


def test_missing_sources_file_exits_2(tmp_path: Path) -> None:
    result = run_crawl(tmp_path / "nope.yaml", tmp_path / "out")
    assert result.returncode == 2 and result.stderr.startswith("error: ")


def test_no_source_reachable_exits_1(tmp_path: Path) -> None:
    sources = write_sources(tmp_path / "sources.yaml", f"http://127.0.0.1:{closed_port()}")
    result = run_crawl(sources, tmp_path / "out")
    assert result.returncode == 1
    assert "no source reachable" in result.stderr
    (manifest,) = (tmp_path / "out" / "runs").glob("*.json")
    data = json.loads(manifest.read_text())
    assert data["status"] == "failed" and data["reason"] == "no source reachable"


def test_locked_output_exits_75_without_touching_it(demo: Any, tmp_path: Path) -> None:
    truth, _ = demo
    sources = write_sources(tmp_path / "sources.yaml", truth.hosts[0].base_url)
    output = tmp_path / "out"
    with OutputLock.acquire(output, command="test holder"):
        result = run_crawl(sources, output)
    assert result.returncode == EX_TEMPFAIL
    assert "locked" in result.stderr and "test holder" in result.stderr
    assert sorted(p.name for p in output.iterdir()) == [LOCK_NAME]


def test_second_concurrent_crawl_refuses_with_75(demo: Any, tmp_path: Path) -> None:
    truth, _ = demo
    base = truth.hosts[0].base_url
    sources = write_sources(tmp_path / "sources.yaml", base, extra_start=(f"{base}/_err/slow?s=3",))
    output = tmp_path / "out"
    first = subprocess.Popen(
        crawl_args(sources, output), cwd=tmp_path, env=env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 20
        lock = output / LOCK_NAME
        while not (lock.exists() and "newsharvest crawl" in lock.read_text()):
            assert time.monotonic() < deadline and first.poll() is None, "first crawl did not take the lock"
            time.sleep(0.05)
        second = run_crawl(sources, output)
        assert second.returncode == EX_TEMPFAIL, second.stderr
        assert "locked by another newsharvest process" in second.stderr
        assert first.wait(timeout=60) == 0
    finally:
        if first.poll() is None:
            first.kill()
        first.communicate()
    assert len(list((output / "runs").glob("*.json"))) == 1
