"""``newsharvest demo``: generate the bundled demo news sites, serve them on 127.0.0.1, crawl them with the
real ``scrapy crawl news``, and print what was written and dropped.

This is what ``make demo`` runs: the quickest way to see the whole pipeline work on a machine without reaching
the internet.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]
MARKER = ".newsharvest-demo"
_DATA_DIRS = ("articles", "dropped", "state", "runs", "logs", "warc")


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("demo", help="crawl the bundled demo news sites on 127.0.0.1")
    parser.add_argument("--output", type=Path, default=Path("output"), help="output folder (default: output)")
    parser.add_argument("--hosts", type=int, default=3, help="how many demo sites (default 3)")
    parser.add_argument("--articles-per-host", type=int, default=15)
    parser.set_defaults(run=run)


def _prepare_output(output: Path) -> None:
    """Start from an empty dataset, but never delete data that a real crawl wrote."""
    output.mkdir(parents=True, exist_ok=True)
    existing = [output / d for d in _DATA_DIRS if (output / d).exists()]
    if existing and not (output / MARKER).exists():
        raise SystemExit(
            f"error: {output} already holds crawl data that the demo did not write; "
            f"choose another folder with --output"
        )
    for path in existing:
        shutil.rmtree(path)
    (output / MARKER).write_text("written by `newsharvest demo`; safe to delete\n", encoding="utf-8")


def _print_summary(output: Path, seconds: float) -> None:
    import pyarrow.dataset as ds

    articles = ds.dataset(output / "articles", format="parquet").to_table(columns=["source", "language"])
    dropped = ds.dataset(output / "dropped", format="parquet").to_table(columns=["reason"])
    print(f"\nDemo crawl finished in {seconds:.1f} s.")
    print(f"Articles written: {articles.num_rows}")
    by_source = articles.group_by("source").aggregate([("source", "count")]).to_pylist()
    for row in sorted(by_source, key=lambda r: r["source"]):
        print(f"  {row['source']}: {row['source_count']}")
    print(f"Pages dropped: {dropped.num_rows}")
    by_reason = dropped.group_by("reason").aggregate([("reason", "count")]).to_pylist()
    for row in sorted(by_reason, key=lambda r: -r["reason_count"]):
        print(f"  {row['reason']}: {row['reason_count']}")
    print("\nRead it with pandas:")
    print(f'  import pandas as pd; articles = pd.read_parquet("{output}/articles")')
    print(f'  dropped = pd.read_parquet("{output}/dropped")   # every page not written, with its reason')


def run(args: argparse.Namespace) -> int:
    from newsharvest.demo.server import demo_site

    output = args.output.resolve()
    _prepare_output(output)
    with tempfile.TemporaryDirectory(prefix="newsharvest-demo-") as tmp:
        root = Path(tmp)
        with demo_site(
            root / "site", hosts=args.hosts, articles_per_host=args.articles_per_host, slow_seconds=3
        ) as (
            truth,
            _server,
        ):
            print("Serving the demo sites on " + ", ".join(truth.base_urls()))
            sources = root / "sources.yaml"
            sources.write_text(truth.sources_yaml(), encoding="utf-8")
            cmd = [
                sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"sources={sources}",
                "-s", f"NEWSHARVEST_OUTPUT={output}",
                # Loopback sites: no need for the politeness delays a real site gets.
                "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_TIMEOUT=2", "-s", "RETRY_TIMES=1",
                "-s", "LOG_LEVEL=INFO", "-s", f"LOG_FILE={root / 'crawl.log'}",
            ]  # fmt: skip
            print("Crawling: scrapy crawl news -a sources=SOURCES.yaml -s NEWSHARVEST_OUTPUT=" + str(output))
            started = time.monotonic()
            result = subprocess.run(cmd, cwd=PROJECT_DIR, check=False)
            seconds = time.monotonic() - started
            log = (root / "crawl.log").read_text(encoding="utf-8", errors="replace")
            if result.returncode != 0:
                print(log[-5000:], file=sys.stderr)
                print(f"error: the crawl failed (exit {result.returncode})", file=sys.stderr)
                return 1
            (output / "logs").mkdir(exist_ok=True)
            (output / "logs" / "demo-crawl.log").write_text(log, encoding="utf-8")
    _print_summary(output, seconds)
    print(f"\nFull crawl log: {output / 'logs' / 'demo-crawl.log'}")
    return 0
