"""``newsharvest crawl SOURCES.yaml``: one scheduled run, the command a crontab line calls.

Everything cron needs to trust it (see docs/CRON.md): the sources file is validated before any fetch; the
output's lock makes a second concurrent run exit at once; the full log goes to ``OUTDIR/logs/<run_id>.log``
while stderr (mailed by cron) only gets warnings and errors; the exit status says whether the run worked.

Exit status: 0 run finished; 1 run failed (no source reachable, interrupted, crashed); 2 bad sources file or
arguments; 75 (EX_TEMPFAIL) another run holds the output's lock, try later.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path
from typing import Any

from newsharvest.config import ConfigError, load_sources
from newsharvest.lock import EX_TEMPFAIL, OutputLock, OutputLocked
from newsharvest.manifest import failed_manifest, read_manifest, utc_iso, write_manifest
from newsharvest.runtime import new_run_id
from newsharvest.settingscheck import check_settings

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

logger = logging.getLogger(__name__)


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "crawl",
        help="run one (scheduled) crawl of a sources file",
        description=__doc__.split("\n\n")[0],
        epilog="Exit status: 0 finished, 1 failed, 2 bad sources file/arguments, 75 output locked by "
        "another run (try later). See docs/CRON.md.",
    )
    parser.add_argument("sources", help="the sources file (YAML)")
    parser.add_argument("--output", "-o", help="output folder (default: NEWSHARVEST_OUTPUT, 'output')")
    parser.add_argument(
        "--state",
        help="state store spec (NEWSHARVEST_STATE): 'sqlite', sqlite:///path, or redis://host:port/db to "
        "share the crawl with other workers (docs/SCALE_OUT.md)",
    )
    parser.add_argument("--warc", action="store_true", help="also write WARC files under OUTDIR/warc/")
    parser.add_argument("--run-id", help="identifier of this run (default: generated, time-sortable)")
    parser.add_argument(
        "-s", "--set", dest="settings", action="append", default=[], metavar="NAME=VALUE",
        help="set a Scrapy/newsharvest setting (repeatable)",
    )  # fmt: skip
    parser.add_argument("-v", "--verbose", action="store_true", help="also log INFO lines to stderr")
    parser.set_defaults(run=run)


def _overrides(pairs: list[str]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise ValueError(f"-s {pair!r}: expected NAME=VALUE")
        out[name.strip()] = value
    return out


#: Loggers of per-page failures: in the log file, the dropped ledger and the manifest, not in cron's mail.
_PER_PAGE_LOGGERS = frozenset(
    {"scrapy.downloadermiddlewares.retry", "scrapy.core.downloader.handlers.http11"}
)


class _BriefStderr(logging.Filter):
    """stderr is what cron mails: our warnings, everyone's errors, nothing else (unless --verbose)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name in _PER_PAGE_LOGGERS:
            return False
        ours = record.name.split(".", 1)[0] in {"newsharvest", "pipelines"}
        return record.levelno >= (logging.WARNING if ours else logging.ERROR)


def _stderr_handler(verbose: bool) -> logging.Handler:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("newsharvest: %(levelname)s: %(message)s"))
    if verbose:
        handler.setLevel(logging.INFO)
    else:
        handler.addFilter(_BriefStderr())
    return handler


def run(args: argparse.Namespace) -> int:
    # 1. The sources file, before anything else: a broken config must not cost a run or a fetch.
    try:
        load_sources(args.sources)
    except ConfigError as exc:
        print(f"error: {exc.path}: {exc.key}: {exc.problem}", file=sys.stderr)
        return EXIT_USAGE
    try:
        overrides = _overrides(args.settings)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE

    # 2. Settings: the project's, whatever the working directory (cron starts in $HOME).
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "newsharvest.settings")
    from scrapy.utils.project import get_project_settings

    settings = get_project_settings()
    settings.setdict(overrides, priority="cmdline")
    output = Path(args.output or settings.get("NEWSHARVEST_OUTPUT") or "output").resolve()
    run_id = args.run_id or settings.get("NEWSHARVEST_RUN_ID") or new_run_id()
    log_file = output / "logs" / f"{run_id}.log"
    settings.setdict(
        {"NEWSHARVEST_OUTPUT": str(output), "NEWSHARVEST_RUN_ID": run_id, "LOG_FILE": str(log_file)},
        priority="cmdline",
    )
    if args.state:
        settings.set("NEWSHARVEST_STATE", args.state, priority="cmdline")
    if args.warc:
        settings.set("NEWSHARVEST_WARC", True, priority="cmdline")
    try:
        check_settings(settings)
    except ConfigError as exc:
        print(f"error: {exc.path}: {exc.key}: {exc.problem}", file=sys.stderr)
        return EXIT_USAGE

    # 3. The lock, held until the process exits; the crawler's CrawlLock extension sees it is ours.
    from newsharvest.scaleout import is_redis_spec

    if is_redis_spec(settings.get("NEWSHARVEST_STATE")):  # scale-out workers share the output on purpose
        log_file.parent.mkdir(parents=True, exist_ok=True)
        return _crawl(settings, args, output, run_id, log_file)
    try:
        lock = OutputLock.acquire(output, command="newsharvest crawl", run_id=run_id)
    except OutputLocked as exc:
        print(f"newsharvest crawl: {exc}; exiting with {EX_TEMPFAIL} (try later)", file=sys.stderr)
        return EX_TEMPFAIL
    try:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        return _crawl(settings, args, output, run_id, log_file)
    finally:
        lock.release()


def _crawl(settings: Any, args: argparse.Namespace, output: Path, run_id: str, log_file: Path) -> int:
    from scrapy.crawler import CrawlerProcess

    started = utc_iso()
    process = CrawlerProcess(settings)  # configures logging: everything into the log file
    handler = _stderr_handler(args.verbose)
    logging.getLogger().addHandler(handler)
    failures: list[str] = []
    try:
        crawler = process.create_crawler("news")
        deferred = process.crawl(crawler, sources=str(Path(args.sources).resolve()))

        def crashed(failure: Any) -> None:
            failures.append(f"{failure.type.__name__}: {failure.getErrorMessage()}")
            logger.error("The crawl crashed: %s", failures[-1], exc_info=failure.value)

        deferred.addErrback(crashed)
        process.start()
    except Exception as exc:  # cron needs an exit status and a line, whatever broke
        failures.append(f"{type(exc).__name__}: {exc}")
        logger.exception("The crawl crashed")
    finally:
        logging.getLogger().removeHandler(handler)

    manifest = read_manifest(output, run_id)
    if manifest is None:  # died before the spider closed: still leave a manifest saying so
        manifest = failed_manifest(run_id, started, "crashed: " + ("; ".join(failures) or "no manifest"))
        write_manifest(output, manifest)
    if manifest.get("status") == "finished":
        return EXIT_OK
    print(
        f"newsharvest crawl: run {run_id} failed: {manifest.get('reason')}; log: {log_file}", file=sys.stderr
    )
    return EXIT_FAILED
