"""One writer per output folder: an exclusive ``flock`` on ``OUTDIR/.lock``.

Two crawls (or a crawl and ``newsharvest compact``) on the same output would corrupt each other: the second
one's start-up recovery deletes the first one's unfinished files and pending state entries. Cron makes this
likely (a slow run still going when the next one starts), so every writer takes this lock first and a second
one exits at once with :data:`EX_TEMPFAIL` ("busy, try later").

``flock`` rather than a pid file because the kernel releases it when the holding process dies, however it
dies (SIGKILL, OOM killer, power loss): a stale lock can never block the next run. The lock file itself is
never deleted (deleting it would let two processes lock two different inodes); its content only names the
holder, for the error message.

:class:`CrawlLock` is the same lock as a Scrapy extension, so that a plain ``scrapy crawl news`` refuses to
run concurrently too. It takes the lock when the crawler builds its extensions, i.e. before the item pipelines
open and run their recovery, which is the step that must never run beside another writer.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import logging
import os
import socket
import threading
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.exceptions import NotConfigured

logger = logging.getLogger(__name__)

LOCK_NAME = ".lock"
#: sysexits.h EX_TEMPFAIL: the conventional "temporary failure, try again later" exit status.
EX_TEMPFAIL = 75

_held: dict[str, OutputLock] = {}
_held_guard = threading.Lock()


class OutputLocked(RuntimeError):
    """Another process holds the lock of this output folder."""

    def __init__(self, output: Path, holder: dict[str, Any]) -> None:
        self.output, self.holder = output, holder
        who = ", ".join(
            f"{k} {holder[k]}" for k in ("command", "pid", "host", "run_id", "since") if holder.get(k)
        )
        super().__init__(
            f"output {output} is locked by another newsharvest process ({who or 'holder unknown'});"
            " not starting a second writer"
        )


def _key(output: Path) -> str:
    return os.path.realpath(output)


class OutputLock:
    """The exclusive lock of one output folder, held by this process until :meth:`release`.

    Re-entrant within a process (a ``newsharvest crawl`` holds it and its crawler's :class:`CrawlLock` sees
    that): ``flock`` would otherwise refuse a second descriptor of the same process.
    """

    def __init__(self, output: str | Path) -> None:
        self.output = Path(output)
        self.path = self.output / LOCK_NAME
        self._fd: int | None = None
        self._count = 0

    @classmethod
    def acquire(cls, output: str | Path, **info: Any) -> OutputLock:
        """Take the lock (without waiting) or raise :class:`OutputLocked`. ``info`` is written into the lock
        file to name the holder in other processes' error messages."""
        key = _key(Path(output))
        with _held_guard:
            lock = _held.get(key)
            if lock is None:
                lock = cls(output)
                lock._lock(info)
                _held[key] = lock
            lock._count += 1
            return lock

    def _lock(self, info: dict[str, Any]) -> None:
        self.output.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = read_holder(self.path)
            os.close(fd)
            raise OutputLocked(self.output, holder) from None
        except BaseException:
            os.close(fd)
            raise
        holder = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "since": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            **{k: v for k, v in info.items() if v is not None},
        }
        os.ftruncate(fd, 0)
        os.pwrite(fd, (json.dumps(holder) + "\n").encode(), 0)
        self._fd = fd

    def release(self) -> None:
        """Give up one hold; the lock is released when the last hold in this process is."""
        with _held_guard:
            self._count -= 1
            if self._count > 0 or self._fd is None:
                return
            _held.pop(_key(self.output), None)
            fd, self._fd = self._fd, None
            try:
                os.ftruncate(fd, 0)  # the holder's name is stale from now on
            finally:
                os.close(fd)  # closing the last descriptor releases the flock

    def __enter__(self) -> OutputLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def read_holder(path: Path) -> dict[str, Any]:
    """What the current holder wrote into the lock file (best effort: empty if unreadable)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def is_locked(output: str | Path) -> bool:
    """Whether some process (this one included) holds the lock of ``output`` right now."""
    path = Path(output) / LOCK_NAME
    if _key(Path(output)) in _held:
        return True
    if not path.exists():
        return False
    fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


class CrawlLock:
    """Scrapy extension: hold the output lock for the whole crawl, or refuse to start it.

    Raising from the constructor aborts the crawl before the engine opens the spider, so nothing (in
    particular the writers' start-up recovery) touches the output. Disable with ``NEWSHARVEST_LOCK=False``
    only if something else guarantees a single writer.
    """

    def __init__(self, crawler: Any, lock: OutputLock) -> None:
        self.lock = lock
        crawler.signals.connect(self.engine_stopped, signal=signals.engine_stopped)

    @classmethod
    def from_crawler(cls, crawler: Any) -> CrawlLock:
        settings = crawler.settings
        if not settings.getbool("NEWSHARVEST_LOCK", True):
            raise NotConfigured
        output = Path(settings.get("NEWSHARVEST_OUTPUT") or "output")
        try:
            lock = OutputLock.acquire(
                output, command="scrapy crawl", run_id=settings.get("NEWSHARVEST_RUN_ID") or None
            )
        except OutputLocked as exc:
            logger.error("%s (exit status %d means: busy, try later)", exc, EX_TEMPFAIL)
            raise
        return cls(crawler, lock)

    def engine_stopped(self) -> None:
        # After spider_closed: the writers are closed and the run manifest is written.
        self.lock.release()
