"""``newsharvest compact [--output DIR]``: merge small Parquet files into few large ones per month.

Takes the output's lock, so it never runs beside a crawl (exit 75 when one is running: try later); readers may
keep reading meanwhile (see :mod:`pipelines.compact` for the exact guarantee).

Exit status: 0 done (or nothing to do), 1 failed, 75 (EX_TEMPFAIL) the output is locked by a running crawl.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path
from typing import Any

from newsharvest.lock import EX_TEMPFAIL, OutputLock, OutputLocked
from pipelines.compact import compact

logger = logging.getLogger(__name__)


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "compact",
        help="merge small Parquet files into fewer large ones (per dataset folder and month)",
        description=__doc__.split("\n\n")[0],
        epilog="Exit status: 0 done, 1 failed, 75 output locked by a running crawl (try later).",
    )
    parser.add_argument("--output", "-o", help="output folder (default: NEWSHARVEST_OUTPUT, 'output')")
    parser.add_argument(
        "--target-rows", type=int, help="rows per merged file (NEWSHARVEST_COMPACT_TARGET_ROWS)"
    )
    parser.add_argument("--dry-run", action="store_true", help="only print what would be merged")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "newsharvest.settings")
    from scrapy.utils.project import get_project_settings

    from newsharvest.config import ConfigError
    from newsharvest.settingscheck import check_settings

    settings = get_project_settings()
    try:
        check_settings(settings)
    except ConfigError as exc:
        print(f"error: {exc.path}: {exc.key}: {exc.problem}", file=sys.stderr)
        return 2
    output = Path(args.output or settings.get("NEWSHARVEST_OUTPUT") or "output").resolve()
    target = args.target_rows or settings.getint("NEWSHARVEST_COMPACT_TARGET_ROWS")
    if target < 1:
        print("error: --target-rows: must be at least 1", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.WARNING, format="newsharvest: %(levelname)s: %(message)s")
    try:
        lock = OutputLock.acquire(output, command="newsharvest compact")
    except OutputLocked as exc:
        print(f"newsharvest compact: {exc}; exiting with {EX_TEMPFAIL} (try later)", file=sys.stderr)
        return EX_TEMPFAIL
    try:
        report = compact(output, target_rows=target, dry_run=args.dry_run)
    except Exception as exc:  # one clear line and an exit status for cron
        logger.exception("compaction failed")
        print(f"newsharvest compact: failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    finally:
        lock.release()
    verb = "would merge" if args.dry_run else "merged"
    print(f"{verb} {report.files_in} files into {len(report.merges)} ({output})")
    for job in report.merges:
        print(
            f"  {job.directory.relative_to(output)} {job.partition}: {len(job.inputs)} files, {job.rows} rows"
        )
    return 0
