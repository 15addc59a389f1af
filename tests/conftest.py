"""Session-wide test set-up."""

from __future__ import annotations

import multiprocessing


def pytest_sessionfinish(session: object, exitstatus: int) -> None:
    """Kill worker processes a test left behind, so the interpreter's exit cannot wait on them.

    ProcessPoolExecutor joins its workers when the interpreter exits; a worker stuck on a queue lock that a
    killed sibling held (the worker-crash tests kill workers on purpose) would keep the test run from ever
    ending, after every test has passed. ``PagePool`` kills the workers of a pool it replaces; this is the
    safety net for anything a failing test did not close."""
    for child in multiprocessing.active_children():
        child.kill()
