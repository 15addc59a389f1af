"""Run a benchmark's crawl inside a memory cgroup with a hard limit: does the crawl fit in N MB?

The RSS of a process tree summed over its processes counts every page the processes share (shared libraries,
pages inherited at a fork) once per process, so that sum overstates what the crawl occupies. A memory
cgroup charges each page once, to the group, and with a hard limit (and no swap) a crawl that needs more is
reclaimed from or killed: a crawl that completes with the same pages, articles and speed, without ever
reaching the limit, fits.

Linux only, and it needs the right to create a cgroup (root, or a delegated cgroup v2 subtree): otherwise
:meth:`MemoryCgroup.create` returns ``None`` and the benchmark says so and runs without it. Supports cgroup v2
(``memory.max``, ``memory.swap.max``, ``memory.peak``, ``memory.events``) and the v1 memory controller
(``memory.limit_in_bytes``, ``memory.memsw.limit_in_bytes``, ``memory.max_usage_in_bytes``,
``memory.failcnt``). The usage the kernel reports includes the page cache of files the crawl writes.
"""

from __future__ import annotations

import contextlib
import os
import time
from dataclasses import dataclass
from pathlib import Path

_ROOT = Path("/sys/fs/cgroup")


@dataclass
class CgroupReport:
    limit_mb: int
    peak_mb: float | None  # None when the kernel does not report a peak (cgroup v2 before Linux 5.19)
    limit_reached: int  # times usage hit the limit (v1 failcnt, v2 "max" events)
    oom_kills: int


class MemoryCgroup:
    """A fresh memory cgroup with a hard limit; :meth:`join` is a ``preexec_fn`` that moves the child in."""

    def __init__(self, path: Path, limit_mb: int, version: int) -> None:
        self.path, self.limit_mb, self.version = path, limit_mb, version

    @classmethod
    def create(cls, limit_mb: int, name: str | None = None) -> MemoryCgroup | None:
        name = name or f"newsharvest-bench-{os.getpid()}"
        limit = str(limit_mb * 2**20)
        try:
            if (_ROOT / "cgroup.controllers").exists():  # v2
                path = _ROOT / name
                path.mkdir(exist_ok=True)
                (path / "memory.max").write_text(limit)
                with contextlib.suppress(OSError):
                    (path / "memory.swap.max").write_text("0")
                return cls(path, limit_mb, 2)
            if (_ROOT / "memory").is_dir():  # v1
                path = _ROOT / "memory" / name
                path.mkdir(exist_ok=True)
                (path / "memory.limit_in_bytes").write_text(limit)
                with contextlib.suppress(OSError):  # swap accounting may be off; there may be no swap
                    (path / "memory.memsw.limit_in_bytes").write_text(limit)
                return cls(path, limit_mb, 1)
        except OSError:
            return None
        return None

    def join(self) -> None:
        """Move the calling process into the group (used as ``preexec_fn``: the crawl and all it starts)."""
        (self.path / "cgroup.procs").write_text(str(os.getpid()))

    def report(self) -> CgroupReport:
        if self.version == 2:
            events = self._events()
            peak_file = self.path / "memory.peak"
            peak = int(peak_file.read_text()) / 2**20 if peak_file.exists() else None
            return CgroupReport(self.limit_mb, peak, events.get("max", 0), events.get("oom_kill", 0))
        oom = self._events("memory.oom_control")
        return CgroupReport(
            self.limit_mb,
            int((self.path / "memory.max_usage_in_bytes").read_text()) / 2**20,
            int((self.path / "memory.failcnt").read_text()),
            oom.get("oom_kill", 0),
        )

    def _events(self, name: str = "memory.events") -> dict[str, int]:
        out = {}
        for line in (self.path / name).read_text().splitlines():
            key, _, value = line.partition(" ")
            with contextlib.suppress(ValueError):
                out[key] = int(value)
        return out

    def remove(self, wait: float = 5.0) -> None:
        """Remove the group once its last process has exited (the crawl's helpers exit just after it)."""
        deadline = time.monotonic() + wait
        while True:
            try:
                self.path.rmdir()
                return
            except OSError:
                if time.monotonic() > deadline:
                    return
                time.sleep(0.1)
