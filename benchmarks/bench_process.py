"""Throughput and memory of ``newsharvest process`` (re-extraction from WARC files, no network).

1. Generates the demo news sites (``newsharvest.demo.sitegen.generate_site``: 6 hosts in en/de/fr/es, HTML
   pages padded to ``--min-page-kb``..``--max-page-kb``), with enough articles for ``--pages`` HTML pages.
2. Builds a CC-NEWS-style WARC straight from the generated files with warcio (a ``warcinfo`` record, then
   one gzip-compressed ``response`` record per HTML page, in name order) - no crawl needed.
3. Runs the real ``python -m newsharvest.cli process WARC --output DIR`` in a subprocess and samples the
   resident memory of its process tree (the main process and its workers).

Reports pages/s (HTML response records processed / wall time of the subprocess, start-up included, and as
measured by the command itself), articles written, and peak RSS (tree and main process).

Usage::

    python -m benchmarks.bench_process [--pages 2000] [--workers N] [--keep DIR]
"""

from __future__ import annotations

import argparse
import io
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.bench_crawl import TreeMemory, html_files  # noqa: E402
from newsharvest.demo.sitegen import generate_site  # noqa: E402

HOSTS = 6
#: HTML pages a generated host has per article (fronts, sections, tags, authors, variants): measured ~1.6.
PAGES_PER_ARTICLE = 1.6


def build_warc(pages: list[tuple[str, Path]], out: Path) -> int:
    """One gzip member per record, as CC-NEWS; returns the number of response records."""
    with open(out, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        writer.write_record(writer.create_warcinfo_record(out.name, {"software": "bench_process"}))
        for url, path in pages:
            body = path.read_bytes()
            http = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))],
                protocol="HTTP/1.1",
            )  # fmt: skip
            record = writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), length=len(body), http_headers=http
            )
            writer.write_record(record)
    return len(pages)


def run_process(warc: Path, output: Path, workers: int | None) -> tuple[dict, float, TreeMemory]:
    cmd = [sys.executable, "-m", "newsharvest.cli", "process", str(warc), "--output", str(output), "--json"]
    cmd += ["--quiet"] + (["--workers", str(workers)] if workers is not None else [])
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    started = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with TreeMemory(proc.pid) as memory:
        stdout, stderr = proc.communicate()
    wall = time.monotonic() - started
    if proc.returncode != 0:
        raise SystemExit(f"newsharvest process failed ({proc.returncode}):\n{stderr[-3000:]}")
    return json.loads(stdout.strip().splitlines()[-1]), wall, memory


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=2000, help="HTML pages in the WARC (default 2000)")
    parser.add_argument("--workers", type=int, help="worker processes (default: the command's, all cores)")
    parser.add_argument("--min-page-kb", type=int, default=50)
    parser.add_argument("--max-page-kb", type=int, default=150)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--keep", type=Path, help="work in this folder and keep it (default: a temporary one)"
    )
    args = parser.parse_args(argv)

    work = args.keep or Path(tempfile.mkdtemp(prefix="nh-bench-process-"))
    try:
        work.mkdir(parents=True, exist_ok=True)
        started = time.monotonic()
        per_host = max(5, math.ceil(args.pages / HOSTS / PAGES_PER_ARTICLE))
        truth = generate_site(
            work / "site", seed=args.seed, hosts=HOSTS, articles_per_host=per_host,
            min_page_kb=args.min_page_kb, max_page_kb=args.max_page_kb,
        )  # fmt: skip
        pages = html_files(truth, work / "site")[: args.pages]
        warc = work / "bench.warc.gz"
        n = build_warc(pages, warc)
        html_mb = sum(p.stat().st_size for _, p in pages) / 2**20
        print(
            f"site + WARC: {n} HTML pages ({html_mb:.0f} MB of HTML, WARC {warc.stat().st_size / 2**20:.0f} MB)"
            f" in {time.monotonic() - started:.0f} s",
            file=sys.stderr,
        )
        out = work / "out"
        shutil.rmtree(out, ignore_errors=True)
        summary, wall, memory = run_process(warc, out, args.workers)
        result = {
            "pages": summary["pages"],
            "articles_written": summary["articles_written"],
            "wall_seconds": round(wall, 2),
            "pages_per_second": round(summary["pages"] / wall, 1),
            "pages_per_second_in_command": summary["pages_per_second"],
            "peak_rss_mb": round(memory.peak / 2**20),
            "peak_main_rss_mb": round(memory.peak_main / 2**20),
            "workers": args.workers if args.workers is not None else len(os.sched_getaffinity(0)),
            "html_mb": round(html_mb),
        }
        print(
            f"newsharvest process: {result['pages']} pages in {wall:.1f} s = {result['pages_per_second']} pages/s"
            f" ({result['pages_per_second_in_command']} pages/s without start-up), {result['workers']} workers;"
            f" {result['articles_written']} articles; peak RSS {result['peak_rss_mb']} MB (tree),"
            f" {result['peak_main_rss_mb']} MB (main process)"
        )
        print(json.dumps(result, sort_keys=True))
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
