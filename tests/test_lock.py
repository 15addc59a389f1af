"""The output lock: exclusive across processes, re-entrant within one, never stale after SIGKILL, and enforced
by the Scrapy extension for a plain ``scrapy crawl news``."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from crawl_helpers import REPO, env

from newsharvest.lock import LOCK_NAME, OutputLock, OutputLocked, is_locked, read_holder

HOLDER = """
import sys, time
from newsharvest.lock import OutputLock
OutputLock.acquire(sys.argv[1], command="holder", run_id="r1")
print("locked", flush=True)
time.sleep(60)
"""


def start_holder(output: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(output)], env=env(), stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
    return proc


def test_second_process_is_refused_and_told_who_holds_it(tmp_path: Path) -> None:
    holder = start_holder(tmp_path)
    try:
        assert is_locked(tmp_path)
        with pytest.raises(OutputLocked) as info:
            OutputLock.acquire(tmp_path)
        assert info.value.holder["command"] == "holder" and info.value.holder["pid"] == holder.pid
        assert "holder" in str(info.value) and "r1" in str(info.value)
    finally:
        holder.kill()
        holder.wait()


def test_sigkilled_holder_leaves_no_stale_lock(tmp_path: Path) -> None:
    holder = start_holder(tmp_path)
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    assert read_holder(tmp_path / LOCK_NAME)["pid"] == holder.pid  # the file stays, with stale content...
    assert not is_locked(tmp_path)  # ...but the kernel released the flock
    with OutputLock.acquire(tmp_path, command="next") as lock:
        assert read_holder(lock.path)["command"] == "next"


def test_reentrant_in_one_process_and_released_by_the_last_hold(tmp_path: Path) -> None:
    outer = OutputLock.acquire(tmp_path, command="outer")
    inner = OutputLock.acquire(tmp_path / ".." / tmp_path.name)  # same folder, another spelling
    assert inner is outer
    inner.release()
    assert is_locked(tmp_path)
    outer.release()
    assert not is_locked(tmp_path)
    assert read_holder(tmp_path / LOCK_NAME) == {}


def test_scrapy_crawl_refuses_while_output_is_locked(tmp_path: Path) -> None:
    """The extension stops a plain ``scrapy crawl`` before any component touches the output."""
    output = tmp_path / "out"
    sources = tmp_path / "sources.yaml"
    sources.write_text("sources:\n  - name: x\n    feeds: [http://127.0.0.1:9/feed.xml]\n")
    with OutputLock.acquire(output, command="newsharvest crawl", run_id="busy-run"):
        started = time.monotonic()
        result = subprocess.run(
            [sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"sources={sources}",
             "-s", f"NEWSHARVEST_OUTPUT={output}", "-s", "NEWSHARVEST_WORKERS=0"],
            cwd=REPO, env=env(), capture_output=True, text=True, timeout=60,
        )  # fmt: skip
    assert result.returncode != 0
    assert "is locked by another newsharvest process" in result.stderr and "busy-run" in result.stderr
    assert sorted(p.name for p in output.iterdir()) == [LOCK_NAME]  # no state, no datasets, no manifest
    assert time.monotonic() - started < 30
