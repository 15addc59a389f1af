"""End to end: crawl the demo site with WARC on, then ``newsharvest process`` the WARC files offline.

The rebuilt dataset must hold the same articles, row for row, as the live crawl's (apart from fetch-time
columns), and damaged inputs must be skipped and counted, never crash the run.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsharvest.demo.server import demo_site

REPO = Path(__file__).resolve().parents[1]
COMPARED = [
    "url",
    "title",
    "text",
    "authors",
    "published",
    "language",
    "source",
    "content_hash",
    "article_id",
]
# Crawl-only ledger entries: feeds and sitemaps are not pages; a failed fetch (timeout, redirect loop) has no
# response to re-process.
CRAWL_ONLY_DROPS = {"bad_feed", "bad_sitemap", "fetch_error"}


def run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [*args], cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def process(*args: str) -> tuple[subprocess.CompletedProcess[str], dict]:
    done = run(sys.executable, "-m", "newsharvest.cli", "process", *args, "--json")
    assert done.returncode in (0, 1) and done.stdout.strip(), done.stderr[-3000:]
    return done, json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real crawl of a 4-host demo site (3 English, 1 German) with WARC on; the server is gone after it."""
    root = tmp_path_factory.mktemp("e2e")
    with demo_site(root / "site", hosts=4, articles_per_host=10, slow_seconds=0.2) as (truth, _server):
        lines = ["sources:"]
        for host in truth.hosts:
            lines += [
                f"  - name: {host.slug}", f"    feeds: [{host.feeds[0]}]", f"    sitemaps: [{host.sitemap}]",
                f"    start_urls: ['{host.base_url}/']",
            ]  # fmt: skip
        (root / "sources.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
        done = run(
            sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"sources={root / 'sources.yaml'}",
            "-s", f"NEWSHARVEST_OUTPUT={root / 'crawl'}", "-s", "NEWSHARVEST_WARC=1",
            "-s", "NEWSHARVEST_WARC_MAX_BYTES=100000", "-s", "AUTOTHROTTLE_ENABLED=False",
            "-s", "DOWNLOAD_TIMEOUT=3", "-s", "NEWSHARVEST_WORKERS=0", "-s", "LOG_LEVEL=WARNING",
        )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return root


def warc_files(root: Path) -> list[Path]:
    return sorted((root / "crawl" / "warc").glob("*.warc.gz"))


def response_urls(root: Path) -> set[str]:
    urls = set()
    for path in warc_files(root):
        with open(path, "rb") as fh:
            urls |= {
                r.rec_headers["WARC-Target-URI"] for r in ArchiveIterator(fh) if r.rec_type == "response"
            }
    return urls


def test_crawl_writes_rotated_warc_files_of_request_response_pairs(crawled: Path) -> None:
    files = warc_files(crawled)
    assert len(files) >= 2, "100 kB rotation should give several files"
    assert not [p for p in (crawled / "crawl" / "warc").iterdir() if p.name.startswith(".")]
    requests, responses, article_urls = {}, {}, set(pd.read_parquet(crawled / "crawl" / "articles").url)
    for path in files:
        with open(path, "rb") as fh:
            records = list(
                (r.rec_type, r.rec_headers, r.http_headers, r.content_stream().read())
                for r in ArchiveIterator(fh)
            )
        assert records[0][0] == "warcinfo"
        for kind, headers, http, _payload in records[1:]:
            target = {"request": requests, "response": responses}[kind]
            target[headers["WARC-Record-ID"] if kind == "response" else headers["WARC-Concurrent-To"]] = (
                headers["WARC-Target-URI"], http,
            )  # fmt: skip
            if kind == "response":
                assert headers["WARC-Payload-Digest"].startswith("sha1:")
                assert http["Transfer-Encoding"] is None
    assert requests.keys() == responses.keys()  # every response has its request
    assert all(requests[k][0] == responses[k][0] for k in responses)
    assert all(req[1]["User-Agent"].startswith("newsharvest/") for req in requests.values())
    assert article_urls <= {url for url, _ in responses.values()}
    assert any(url.endswith("/robots.txt") for url, _ in responses.values())


def test_process_rebuilds_the_same_articles_offline(crawled: Path) -> None:
    out = crawled / "processed"
    done, summary = process(str(crawled / "crawl" / "warc"), "--output", str(out), "--workers", "2")
    assert done.returncode == 0 and summary["bad_inputs"] == []
    live = pd.read_parquet(crawled / "crawl" / "articles").set_index("canonical_url").sort_index()
    again = pd.read_parquet(out / "articles").set_index("canonical_url").sort_index()
    assert len(live) >= 20 and set(live.language) == {"en", "de"}
    assert list(again.index) == list(live.index)
    for column in COMPARED:
        assert [str(v) for v in again[column]] == [str(v) for v in live[column]], column
    assert set(again.run_id) == {summary["run_id"]} and summary["articles_written"] == len(live)

    # The same pages: what the crawl dropped after fetching it (not feeds/sitemaps, not failed fetches).
    fetched = response_urls(crawled)
    live_dropped = pd.read_parquet(crawled / "crawl" / "dropped")
    live_dropped = live_dropped[~live_dropped.reason.isin(CRAWL_ONLY_DROPS) & live_dropped.url.isin(fetched)]
    again_dropped = pd.read_parquet(out / "dropped")
    assert sorted(zip(again_dropped.url, again_dropped.reason, strict=True)) == sorted(
        zip(live_dropped.url, live_dropped.reason, strict=True)
    )


def bad_inputs(crawled: Path, folder: Path) -> None:
    """A truncated file, one with garbage appended, odd records, and a file that is no WARC at all."""
    folder.mkdir()
    first, second = warc_files(crawled)[:2]
    data = first.read_bytes()
    (folder / "a-truncated.warc.gz").write_bytes(data[: len(data) // 2])
    (folder / "b-garbage.warc.gz").write_bytes(
        second.read_bytes() + b"\x1f\x8b\x08garbage" + os.urandom(4096)
    )
    with open(folder / "c-odd.warc", "wb") as fh:
        writer = WARCWriter(fh, gzip=False)
        writer.write_record(
            writer.create_revisit_record(
                "http://x.test/a", "sha1:AAAA", "http://x.test/a", "2026-01-01T00:00:00Z"
            )
        )
        png = b"\x89PNG\r\n\x1a\n" + bytes(200)
        writer.write_record(writer.create_warc_record(
            "http://x.test/logo.png", "response", payload=io.BytesIO(png), length=len(png),
            http_headers=StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1"),
        ))  # fmt: skip
        writer.write_record(writer.create_warc_record(
            "http://x.test/a", "metadata", payload=io.BytesIO(b"via: test\r\n"), length=11,
            warc_content_type="application/warc-fields",
        ))  # fmt: skip
    (folder / "d-notes.warc.gz").write_text("these are my notes, not a WARC file\n" * 20)


def test_damaged_inputs_are_skipped_and_counted(crawled: Path) -> None:
    folder = crawled / "bad"
    bad_inputs(crawled, folder)
    out = crawled / "processed-bad"
    done, summary = process(str(folder), "--output", str(out), "--languages", "en", "--workers", "0")
    assert done.returncode == 1  # one input was not a WARC: reported, the others processed
    assert [Path(p).name for p, _ in summary["bad_inputs"]] == ["d-notes.warc.gz"]
    skipped = summary["skipped"]
    assert skipped.get("truncated", 0) + skipped.get("corrupt", 0) >= 2  # the cut record, the garbage
    assert skipped["revisit"] == 1 and skipped["not_html"] >= 1 and skipped["not_response"] >= 1
    assert summary["pages"] > 0 and summary["articles_written"] > 0
    assert "skipped records:" in done.stderr and "d-notes.warc.gz" in done.stderr
    articles = pd.read_parquet(out / "articles")
    assert set(articles.language) == {"en"}
    shutil.rmtree(folder)
