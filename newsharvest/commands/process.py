"""``newsharvest process INPUT... --output DIR``: rebuild clean Parquet from WARC files, without re-crawling.

Extractors and cleaners improve; with the raw pages kept (``newsharvest crawl --warc``, or Common Crawl's
CC-NEWS) the better version can be run over everything fetched so far. The stages are the live crawl's:
:func:`pipelines.page.process_page` on every HTML response record, on all cores, then
:class:`pipelines.flow.ArticleFlow` (site cleaning, language filter, dedup against the store in DIR, Parquet).
Results are consumed in input order, so the same inputs always give the same rows.

Exit status: 0 done; 1 some input was not a readable WARC (the others were processed); 2 bad arguments;
75 (EX_TEMPFAIL) another run holds the output's lock.
"""

from __future__ import annotations

import argparse
import json
import logging
import multiprocessing
import os
import sys
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from pipelines.page import Candidate, PageOptions, process_page
from pipelines.records import Dropped, Page
from pipelines.warc_input import WarcPageReader, expand_inputs

EXIT_OK, EXIT_BAD_INPUT, EXIT_USAGE = 0, 1, 2
#: Pages per task sent to a worker: big enough to amortise inter-process overhead, small enough to balance.
BATCH_PAGES = 16
#: Tasks in flight per worker: keeps every core busy while bounding memory (pages are held until done).
TASKS_PER_WORKER = 3

logger = logging.getLogger(__name__)

Item = Page | Dropped
Result = Candidate | Dropped


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "process",
        help="re-extract articles from WARC files into a Parquet output, without fetching",
        description=__doc__.split("\n\n")[0],
        epilog="Exit status: 0 done, 1 some input was not a readable WARC, 2 bad arguments, 75 output locked "
        "by another run.",
    )
    parser.add_argument("inputs", nargs="+", metavar="INPUT", help="WARC files (.warc, .warc.gz) or folders")
    parser.add_argument("--output", "-o", required=True, help="output folder (articles/, dropped/, state/)")
    parser.add_argument("--languages", default="", help="keep only these languages, e.g. en,de")
    parser.add_argument("--no-dedup", action="store_true", help="write every article, even duplicates")
    parser.add_argument(
        "--workers", type=int, default=None, help="worker processes (default: cores; 0 inline)"
    )
    parser.add_argument("--source", help="source name of every page (default: ours from WARC, else host)")
    parser.add_argument("--run-id", help="identifier of this run (default: generated, time-sortable)")
    parser.add_argument(
        "-s", "--set", dest="settings", action="append", default=[], metavar="NAME=VALUE",
        help="set a newsharvest setting, e.g. NEWSHARVEST_MIN_WORDS=80 (repeatable)",
    )  # fmt: skip
    parser.add_argument("--json", action="store_true", help="print the summary as JSON on stdout")
    parser.add_argument("--quiet", "-q", action="store_true", help="no progress bar, no summary on stderr")
    parser.set_defaults(run=run)


@dataclass
class ProcessSummary:
    """What one ``process`` run did; printed at the end and returned by :func:`process_warcs`."""

    run_id: str
    output: str
    inputs: int = 0
    bad_inputs: list[tuple[str, str]] = field(default_factory=list)
    records: int = 0
    pages: int = 0
    articles_written: int = 0
    dropped: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds if self.seconds > 0 else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "pages_per_second": round(self.pages_per_second, 1)}

    def lines(self) -> list[str]:
        def counts(values: dict[str, int]) -> str:
            return ", ".join(f"{k} {v}" for k, v in sorted(values.items())) or "none"

        lines = [
            f"newsharvest process summary (run {self.run_id}, output {self.output})",
            f"  inputs: {self.inputs} ({len(self.bad_inputs)} not readable); records: {self.records}; "
            f"pages: {self.pages} in {self.seconds:.1f} s ({self.pages_per_second:.1f} pages/s)",
            f"  articles written: {self.articles_written}",
            f"  dropped by reason: {counts(self.dropped)}",
            f"  skipped records: {counts(self.skipped)}",
        ]
        lines += [f"  not a readable WARC: {path}: {why}" for path, why in self.bad_inputs]
        return lines


def available_cores() -> int:
    """Cores this process may run on (CPU affinity and container cpusets, where the OS tells)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


# -- parallel per-page processing, in input order ------------------------------------------------------------
_worker_options: PageOptions | None = None


def _init_worker(options: PageOptions) -> None:
    global _worker_options
    _worker_options = options
    from pipelines import workers

    workers._init_worker(options)  # as the crawl's workers: imports, langdetect's profiles, gc.freeze


def _process_batch(batch: list[Item]) -> list[Result]:
    assert _worker_options is not None, "worker not initialised"
    return [process_page(item, _worker_options) if isinstance(item, Page) else item for item in batch]


def _batches(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    batch: list[Item] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def process_ordered(items: Iterable[Item], options: PageOptions, workers: int) -> Iterator[Result]:
    """``process_page`` over ``items`` on ``workers`` processes (0: inline), results in input order.

    ``Executor.map`` would submit the whole input at once (a year of pages in memory); this keeps a bounded
    window of batches in flight and yields the oldest as soon as it is done.
    """
    if workers <= 0:
        for item in items:
            yield process_page(item, options) if isinstance(item, Page) else item
        return
    # spawn, as the crawl's pool: forking a process that may run threads (tqdm's monitor) is not safe
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, spawn, initializer=_init_worker, initargs=(options,)) as pool:
        window: deque[Future[list[Result]]] = deque()
        try:
            for batch in _batches(items, BATCH_PAGES):
                window.append(pool.submit(_process_batch, batch))
                if len(window) >= workers * TASKS_PER_WORKER:
                    yield from window.popleft().result()
            while window:
                yield from window.popleft().result()
        finally:
            for future in window:
                future.cancel()


# -- the command ---------------------------------------------------------------------------------------------
def _settings(overrides: list[str]) -> Any:
    """The crawl's settings (project defaults, then ``-s`` overrides), so pages are processed identically."""
    from scrapy.settings import Settings

    settings = Settings()
    settings.setmodule("newsharvest.settings", priority="project")
    for pair in overrides:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise ValueError(f"-s {pair!r}: expected NAME=VALUE")
        settings.set(name.strip(), value, priority="cmdline")
    from newsharvest.settingscheck import check_settings

    check_settings(settings)  # a ConfigError is a ValueError: one line, exit 2, before any input is read
    return settings


def _progress_bar(total: int, disable: bool) -> Any:
    from tqdm import tqdm

    return tqdm(
        total=total, unit="B", unit_scale=True, unit_divisor=1024, desc="process", file=sys.stderr,
        disable=disable or not sys.stderr.isatty(), dynamic_ncols=True,
    )  # fmt: skip


def process_warcs(
    inputs: list[str | Path],
    output: str | Path,
    *,
    settings: Any,
    languages: list[str] | None = None,
    dedup: bool = True,
    workers: int | None = None,
    source: str | None = None,
    run_id: str | None = None,
    quiet: bool = True,
) -> ProcessSummary:
    """Run the crawl's processing stages over the response records of ``inputs`` into ``output``."""
    from newsharvest.pipelines import page_options
    from newsharvest.runtime import new_run_id
    from pipelines.flow import ArticleFlow
    from pipelines.memory import arrow_allocates_with_malloc
    from pipelines.state import open_store

    started = time.monotonic()
    arrow_allocates_with_malloc()
    options = page_options(settings)
    output = Path(output)
    run_id = run_id or settings.get("NEWSHARVEST_RUN_ID") or new_run_id()
    paths = expand_inputs(inputs)
    workers = available_cores() if workers is None else max(0, workers)
    reader = WarcPageReader(source=source, max_page_bytes=options.max_page_bytes)
    store = open_store(settings.get("NEWSHARVEST_STATE") or "sqlite", output)
    try:
        flow = ArticleFlow(
            output, store, languages=languages or settings.getlist("NEWSHARVEST_LANGUAGES"),
            min_words=options.min_words, run_id=run_id, dedup=dedup,
            near_dup_threshold=settings.getfloat("NEWSHARVEST_NEAR_DUP_THRESHOLD"),
            file_rows=settings.getint("NEWSHARVEST_PARQUET_FILE_ROWS"),
            row_group_rows=settings.getint("NEWSHARVEST_PARQUET_ROW_GROUP"),
            flush_seconds=settings.getfloat("NEWSHARVEST_PARQUET_FLUSH_SECONDS"),
        )  # fmt: skip
        total = sum(p.stat().st_size for p in paths if p.is_file())
        with _progress_bar(total, quiet) as bar:
            try:
                for n, result in enumerate(
                    process_ordered(reader.read(paths, progress=bar.update), options, workers), 1
                ):
                    if isinstance(result, Candidate):
                        flow.submit(result)
                    else:
                        flow.drop(result)
                    if n % 200 == 0:
                        flow.tick()
                        bar.set_postfix(pages=reader.stats.pages, written=flow.stats["articles/written"])
            finally:
                flow.close()  # what was processed is written and committed, even on Ctrl-C
    finally:
        store.close()
    stats = flow.stats
    return ProcessSummary(
        run_id=run_id, output=str(output), inputs=len(paths), bad_inputs=list(reader.stats.bad_files),
        records=reader.stats.records, pages=reader.stats.pages, articles_written=stats["articles/written"],
        dropped={k.split("/", 1)[1]: v for k, v in stats.items() if k.startswith("dropped/")},
        skipped=dict(sorted(reader.stats.skipped.items())), seconds=time.monotonic() - started,
    )  # fmt: skip


def run(args: argparse.Namespace) -> int:
    from newsharvest.lock import EX_TEMPFAIL, OutputLock, OutputLocked

    logging.basicConfig(
        level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )
    try:
        settings = _settings(args.settings)
    except ValueError as exc:
        print(f"newsharvest process: {exc}", file=sys.stderr)
        return EXIT_USAGE
    languages = [code.strip().lower() for code in args.languages.split(",") if code.strip()]
    try:
        lock = OutputLock.acquire(args.output, command="newsharvest process", run_id=args.run_id)
    except OutputLocked as exc:
        print(f"newsharvest process: {exc}", file=sys.stderr)
        return EX_TEMPFAIL
    try:
        summary = process_warcs(
            args.inputs, args.output, settings=settings, languages=languages, dedup=not args.no_dedup,
            workers=args.workers, source=args.source, run_id=args.run_id, quiet=args.quiet,
        )  # fmt: skip
    finally:
        lock.release()
    if not args.quiet:
        print("\n".join(summary.lines()), file=sys.stderr)
    if args.json:
        print(json.dumps(summary.as_dict(), sort_keys=True))
    return EXIT_BAD_INPUT if summary.bad_inputs else EXIT_OK
