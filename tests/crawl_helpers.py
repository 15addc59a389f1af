"""Helpers for the end-to-end tests of scheduled crawls: a one-host demo site on 127.0.0.1 and real
``newsharvest crawl`` / ``scrapy crawl news`` subprocesses against it (started outside the repository, the way
cron starts them)."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pandas as pd

from newsharvest.demo.server import demo_site
from newsharvest.demo.sitegen import SiteTruth, generate_site
from pipelines.compact import read_dataset

REPO = Path(__file__).resolve().parents[1]
ARTICLES_PER_HOST = 15  # the least with a changed article in edition 2
#: Settings that make a crawl of the local demo site fast and deterministic.
FAST = {
    "AUTOTHROTTLE_ENABLED": "False",
    "DOWNLOAD_DELAY": "0",
    "NEWSHARVEST_WORKERS": "0",
    "RETRY_ENABLED": "False",
    "DOWNLOAD_TIMEOUT": "5",
    "LOG_LEVEL": "INFO",
}


def env() -> dict[str, str]:
    out = dict(os.environ)
    out["PYTHONPATH"] = str(REPO) + os.pathsep + out.get("PYTHONPATH", "")
    out.pop("SCRAPY_SETTINGS_MODULE", None)
    return out


@contextlib.contextmanager
def site(root: Path, *, edition: int = 1) -> Iterator[tuple[SiteTruth, Any]]:
    """The demo site with one host, served on 127.0.0.1 only."""
    with demo_site(
        root, hosts=1, articles_per_host=ARTICLES_PER_HOST, edition=edition, slow_seconds=0.3
    ) as pair:
        yield pair


def regenerate(root: Path, truth: SiteTruth, edition: int) -> SiteTruth:
    """Rewrite the served site as ``edition`` (same port: URLs inside pages are absolute)."""
    port = urlsplit(truth.hosts[0].base_url).port
    return generate_site(root, port=port, hosts=1, articles_per_host=ARTICLES_PER_HOST, edition=edition)


def write_sources(path: Path, base_url: str, *, extra_start: tuple[str, ...] = ()) -> Path:
    base = base_url.rstrip("/")
    starts = ", ".join(f'"{url}"' for url in (f"{base}/", *extra_start))
    path.write_text(
        "languages: [en]\nsources:\n  - name: meridian\n"
        f"    feeds: [{base}/feed.xml]\n    sitemaps: [{base}/sitemap.xml]\n    start_urls: [{starts}]\n",
        encoding="utf-8",
    )
    return path


def crawl_args(sources: Path, output: Path, *extra: str, settings: dict[str, str] | None = None) -> list[str]:
    merged = {**FAST, **(settings or {})}
    sets = [arg for name, value in merged.items() for arg in ("-s", f"{name}={value}")]
    return [
        sys.executable,
        "-m",
        "newsharvest.cli",
        "crawl",
        str(sources),
        "--output",
        str(output),
        *sets,
        *extra,
    ]


def run_crawl(
    sources: Path, output: Path, *extra: str, settings: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        crawl_args(sources, output, *extra, settings=settings),
        cwd=output.parent, env=env(), capture_output=True, text=True, timeout=timeout,
    )  # fmt: skip


def run_scrapy_crawl(
    sources: Path, output: Path, *, settings: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """``scrapy crawl news`` from the project folder, with :data:`FAST` and ``settings`` as ``-s``."""
    merged = {**FAST, "NEWSHARVEST_OUTPUT": str(output), **(settings or {})}
    sets = [arg for name, value in merged.items() for arg in ("-s", f"{name}={value}")]
    return subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"sources={sources}", *sets],
        cwd=REPO, env=env(), capture_output=True, text=True, timeout=timeout,
    )  # fmt: skip


def articles(output: Path) -> pd.DataFrame:
    table = read_dataset(output / "articles")
    return table.to_pandas() if table.num_columns else pd.DataFrame(columns=["canonical_url", "version"])


def no_temporaries_visible(output: Path) -> bool:
    """No hidden temporary file is matched by the globs readers use."""
    return not [p for p in output.rglob("*.parquet") if p.name.startswith(".") or p.name.endswith(".tmp")]
