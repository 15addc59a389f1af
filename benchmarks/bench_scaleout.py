"""Scale-out: one worker against two workers on one Redis, same generated demo site, pages/s.

Each configuration gets a fresh ``redis-server`` (loopback, temporary folder), a fresh demo site served on
127.0.0.1 and a fresh output; workers are real ``scrapy crawl news`` processes with the shared state
(``NEWSHARVEST_STATE=redis://...``), extraction inline (``NEWSHARVEST_WORKERS=0``: one core per worker) and
no politeness delay (a loopback site). Reported: wall time (start to last exit, minus the idle-stop wait),
pages fetched per worker (robots.txt excluded), pages/s overall, articles written.

Usage: ``python benchmarks/bench_scaleout.py [--articles-per-host 40] [--hosts 3]``
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pandas as pd

from newsharvest.demo.server import demo_site
from tests.crawl_helpers import REPO, env
from tests.redis_server import redis_server

IDLE_STOP = 1.0


def run(n_workers: int, hosts: int, per_host: int, root: Path) -> dict[str, object]:
    with (
        redis_server(root / "redis") as srv,
        demo_site(root / "site", hosts=hosts, articles_per_host=per_host, slow_seconds=0.2) as (
            truth,
            server,
        ),
    ):
        sources = root / "sources.yaml"
        sources.write_text(truth.sources_yaml(), encoding="utf-8")
        settings = {
            "AUTOTHROTTLE_ENABLED": "False", "RETRY_ENABLED": "False", "DOWNLOAD_TIMEOUT": "5",
            "NEWSHARVEST_WORKERS": "0", "NEWSHARVEST_HOST_DELAY": "0", "LOG_LEVEL": "INFO",
            "NEWSHARVEST_IDLE_STOP_SECONDS": str(IDLE_STOP), "NEWSHARVEST_STATE": srv.url,
            "NEWSHARVEST_OUTPUT": str(root / "output"),
        }  # fmt: skip
        sets = [a for k, v in settings.items() for a in ("-s", f"{k}={v}")]
        cmd = [sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"sources={sources}", *sets]
        logs = [root / f"w{i}.log" for i in range(n_workers)]
        started = time.perf_counter()
        procs = []
        for log in logs:
            with open(log, "wb") as handle:
                procs.append(
                    subprocess.Popen(cmd, cwd=REPO, env=env(), stdout=handle, stderr=subprocess.STDOUT)
                )
        for proc in procs:
            proc.wait(600)
        wall = time.perf_counter() - started - IDLE_STOP
        pages = [r for r in server.requests if not r.target.startswith("/robots.txt")]
        per_worker = []
        for log in logs:
            line = next((ln for ln in log.read_text().splitlines() if "pages fetched:" in ln), "")
            per_worker.append(line.split("pages fetched:")[1].split(";")[0].strip() if line else "?")
        written = len(pd.read_parquet(root / "output" / "articles"))
        return {"workers": n_workers, "wall_s": round(wall, 1), "pages": len(pages),
                "pages_per_worker": per_worker, "pages_per_s": round(len(pages) / wall, 1),
                "articles": written}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hosts", type=int, default=3)
    parser.add_argument("--articles-per-host", type=int, default=40)
    args = parser.parse_args(argv)
    for n in (1, 2):
        with tempfile.TemporaryDirectory(prefix=f"bench-scaleout-{n}-") as tmp:
            print(run(n, args.hosts, args.articles_per_host, Path(tmp)), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
