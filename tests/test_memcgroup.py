"""The benchmark's memory cgroup helper: limits written, reports read, and no cgroup where none can be made."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks import memcgroup
from benchmarks.memcgroup import MemoryCgroup


def test_no_cgroup_without_a_cgroup_filesystem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(memcgroup, "_ROOT", tmp_path / "absent")
    assert MemoryCgroup.create(500) is None


def test_cgroup_v2_limit_and_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "cgroup.controllers").write_text("cpu memory\n")
    monkeypatch.setattr(memcgroup, "_ROOT", tmp_path)
    group = MemoryCgroup.create(500, "g")
    assert group is not None and group.version == 2
    assert (tmp_path / "g" / "memory.max").read_text() == str(500 * 2**20)
    assert (tmp_path / "g" / "memory.swap.max").read_text() == "0"
    (tmp_path / "g" / "memory.events").write_text("low 0\nhigh 0\nmax 3\noom 0\noom_kill 1\n")
    (tmp_path / "g" / "memory.peak").write_text(str(300 * 2**20))
    report = group.report()
    assert (report.limit_mb, report.peak_mb, report.limit_reached, report.oom_kills) == (500, 300.0, 3, 1)


def test_cgroup_v1_limit_and_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "memory").mkdir()
    monkeypatch.setattr(memcgroup, "_ROOT", tmp_path)
    group = MemoryCgroup.create(400, "g")
    assert group is not None and group.version == 1
    folder = tmp_path / "memory" / "g"
    assert (folder / "memory.limit_in_bytes").read_text() == str(400 * 2**20)
    (folder / "memory.max_usage_in_bytes").write_text(str(123 * 2**20))
    (folder / "memory.failcnt").write_text("0\n")
    (folder / "memory.oom_control").write_text("oom_kill_disable 0\nunder_oom 0\noom_kill 0\n")
    report = group.report()
    assert (report.peak_mb, report.limit_reached, report.oom_kills) == (123.0, 0, 0)
