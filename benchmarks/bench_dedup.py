"""Deduplication at scale: cost per article as the store grows to 1,000,000 articles.

Each synthetic article (``--words`` words drawn from a Zipf-like 50,000-word vocabulary, so that common
phrases recur as in real text) goes through the production path: ``Deduplicator.check`` (normalise, shingle,
MinHash, URL / hash / LSH lookups, candidate verification) then ``remember`` (pending insert), with
``commit_file`` every ``--file-size`` articles, against the SQLite store in WAL mode on disk. A share of the
articles (``--dup-rate``) are near-copies of an earlier one (dateline, three words changed), to exercise the
candidate path and check they are caught.

Reported per block of 100,000: mean cost per article (check + remember, and the store's part of it), so
that growth with the store size shows; at the end: peak RSS and the store's size on disk.

Usage: ``python benchmarks/bench_dedup.py [--n 1000000] [--dir /tmp/bench-dedup]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipelines.dedup import DEFAULT_NUM_PERM, DEFAULT_SHINGLE, DEFAULT_THRESHOLD, Deduplicator
from pipelines.records import Article
from pipelines.state.sqlite import SQLiteStore

NOW = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)


class TextFactory:
    """Synthetic article texts; generation is not timed."""

    def __init__(self, words: int, seed: int = 7) -> None:
        self.rng = np.random.default_rng(seed)
        self.vocab = np.array([f"w{i:x}" for i in range(50_000)], dtype=object)
        weights = 1.0 / np.arange(1, len(self.vocab) + 1) ** 0.9
        self.cdf = np.cumsum(weights) / weights.sum()
        self.words = words

    def text(self) -> str:
        n = int(self.rng.integers(self.words // 2, self.words * 3 // 2))
        idx = np.searchsorted(self.cdf, self.rng.random(n))
        return " ".join(self.vocab[idx])

    def near_copy(self, text: str) -> str:
        words = text.split()
        for i in self.rng.integers(0, len(words), 3):
            words[i] = "changed"
        return "LONDON (Reuters) - " + " ".join(words)


def article(n: int, text: str) -> Article:
    url = f"https://www.site{n % 997}.example/news/2025/story-{n}"
    return Article(
        url=url,
        canonical_url=url,
        title=None,
        text=text,
        language="en",
        published=None,
        authors=[],
        source="bench",
        fetched_at=NOW,
        content_hash="",
    )


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.glob("*") if p.is_file())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--block", type=int, default=100_000)
    parser.add_argument("--words", type=int, default=400, help="mean words per article (uniform 0.5x-1.5x)")
    parser.add_argument("--dup-rate", type=float, default=0.05)
    parser.add_argument("--file-size", type=int, default=5_000, help="articles per Parquet file (commit)")
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    parser.add_argument("--num-perm", type=int, default=DEFAULT_NUM_PERM)
    parser.add_argument("--shingle", type=int, default=DEFAULT_SHINGLE)
    parser.add_argument("--dir", type=Path, help="store folder (default: a temporary one, removed after)")
    args = parser.parse_args(argv)

    folder = args.dir or Path(tempfile.mkdtemp(prefix="bench-dedup-"))
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    store = SQLiteStore(folder / "state.sqlite3")
    dedup = Deduplicator(store, threshold=args.threshold, num_perm=args.num_perm, shingle=args.shingle)
    factory = TextFactory(args.words)
    process = psutil.Process()
    print(f"bench_dedup: n={args.n:,} words~{args.words} dup-rate={args.dup_rate} num_perm={args.num_perm} "
          f"bands={dedup.bands}x{dedup.rows} shingle={args.shingle} store={folder}")  # fmt: skip
    print(f"{'stored':>10} {'ms/article':>11} {'CPU ms':>7} {'of which store':>15} {'dups caught':>12} "
          f"{'RSS MB':>8} {'disk MB':>8}")  # fmt: skip
    cpu_block = time.process_time()
    cpu_start = cpu_block
    recent: list[str] = []
    totals = {"time": 0.0, "store": 0.0, "dups": 0, "caught": 0, "false": 0}
    block = {"time": 0.0, "store": 0.0, "dups": 0, "caught": 0}
    peak_rss = 0
    for n in range(args.n):
        is_dup = bool(recent) and factory.rng.random() < args.dup_rate
        text = factory.near_copy(recent[int(factory.rng.integers(len(recent)))]) if is_dup else factory.text()
        art = article(n, text)
        t0 = time.perf_counter()
        feats = dedup.features(art)
        t1 = time.perf_counter()
        verdict = dedup.check(art)
        dedup.remember(art, verdict, file_id=f"file-{n // args.file_size}")
        if (n + 1) % args.file_size == 0:
            store.commit_file(f"file-{n // args.file_size}")
        t2 = time.perf_counter()
        del feats
        block["time"] += t2 - t0
        block["store"] += t2 - t1
        block["dups"] += is_dup
        caught = verdict.kind == "duplicate"
        block["caught"] += is_dup and caught
        totals["false"] += caught and not is_dup
        if not is_dup and len(recent) < 10_000:
            recent.append(text)
        elif not is_dup:
            recent[int(factory.rng.integers(len(recent)))] = text
        if (n + 1) % args.block == 0 or n + 1 == args.n:
            size = (n % args.block) + 1
            peak_rss = max(peak_rss, process.memory_info().rss)
            cpu_now = time.process_time()
            cpu_ms = (cpu_now - cpu_block) / size * 1e3
            cpu_block = cpu_now
            print(f"{n + 1:>10,} {block['time'] / size * 1e3:>11.3f} {cpu_ms:>7.3f} {block['store'] / size * 1e3:>15.3f} "
                  f"{block['caught']:>5}/{block['dups']:<6} {process.memory_info().rss / 2**20:>8.0f} "
                  f"{dir_size(folder) / 2**20:>8.0f}", flush=True)  # fmt: skip
            for key in ("time", "store", "dups", "caught"):
                totals[key] += block[key]
                block[key] = 0
    store.commit_file(f"file-{(args.n - 1) // args.file_size}")
    store.flush()
    store.close()
    disk = dir_size(folder)
    cpu_total = (time.process_time() - cpu_start) / args.n * 1e3
    print(f"total: {totals['time'] / args.n * 1e3:.3f} ms/article wall (store {totals['store'] / args.n * 1e3:.3f}), "
          f"{cpu_total:.3f} ms/article CPU (including text generation), "
          f"near-copies caught {totals['caught']}/{totals['dups']}, false matches {totals['false']}, "
          f"peak RSS {max(peak_rss, process.memory_info().rss) / 2**20:.0f} MB, "
          f"disk {disk / 2**20:.0f} MB ({disk / args.n:.0f} B/article)")  # fmt: skip
    if args.dir is None:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
