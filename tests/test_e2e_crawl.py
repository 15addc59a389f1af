"""End to end: the real ``scrapy crawl news`` against the demo news sites on 127.0.0.1, read with pandas.

One crawl (module fixture) of three generated sites feeds most checks; the second-run and bad-input tests run
their own crawls. Expectations come from the generator's ground truth, not from a previous output.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import polars as pl
import pytest

from newsharvest.demo.server import demo_site
from newsharvest.demo.sitegen import SiteTruth
from tests.crawl_helpers import REPO, env

#: Fast, deterministic settings for a loopback site (politeness is for real sites).
FAST = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_TIMEOUT=2", "-s", "RETRY_TIMES=1",
        "-s", "NEWSHARVEST_WORKERS=2", "-s", "DOWNLOAD_MAXSIZE=5000000"]  # fmt: skip


@dataclass
class Crawl:
    truth: SiteTruth
    server: Any
    output: Path
    result: subprocess.CompletedProcess[str]

    def articles(self) -> pd.DataFrame:
        return pd.read_parquet(self.output / "articles")

    def dropped(self) -> pd.DataFrame:
        return pd.read_parquet(self.output / "dropped")


def write_sources(
    path: Path, truth: SiteTruth, *, languages: str = "[en]", extra_start: list[str] = ()
) -> Path:
    lines = [f"languages: {languages}", "sources:"]
    for i, host in enumerate(truth.hosts):
        starts = [f"{host.base_url}/", *(extra_start if i == 0 else [])]
        lines += [
            f"  - name: {host.slug}",
            f"    feeds: [{', '.join(host.feeds + (truth.broken_feeds if i == 0 else []))}]",
            f"    sitemaps: [{host.sitemap}]",
            f"    start_urls: [{', '.join(starts)}]",
        ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def scrapy_crawl(sources: Path, output: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """``scrapy crawl news``, run from the project folder exactly as the README says."""
    cmd = [sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"sources={sources}",
           "-s", f"NEWSHARVEST_OUTPUT={output}", *FAST, *extra]  # fmt: skip
    return subprocess.run(cmd, cwd=REPO, env=env(), capture_output=True, text=True, timeout=180)


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawl]:
    root = tmp_path_factory.mktemp("e2e")
    with demo_site(root / "site", hosts=3, articles_per_host=15, slow_seconds=4) as (truth, server):
        base = truth.hosts[0].base_url
        sources = write_sources(
            root / "sources.yaml", truth, extra_start=[f"{base}/_err/loop", f"{base}/_err/slow"]
        )
        result = scrapy_crawl(sources, root / "output")
        assert result.returncode == 0, result.stderr[-3000:]
        yield Crawl(truth, server, root / "output", result)


def test_every_expected_article_is_written_once(crawl: Crawl) -> None:
    articles = crawl.articles()
    expected = [p for p in crawl.truth.articles() if p.expected == "written"]
    # A syndicated copy and its original are one story: exactly one of the two is kept, whichever came first.
    groups: dict[str, set[str]] = {}
    for page in crawl.truth.articles():
        if page.expected in ("written", "duplicate"):
            groups.setdefault(page.duplicate_of or page.url, set()).add(page.url)
    assert not articles["canonical_url"].duplicated().any()
    written = set(articles["canonical_url"])
    for original, members in groups.items():
        assert len(written & members) == 1, (original, written & members)
    assert len(articles) == len(groups) >= len(expected) - len(groups) // 10
    by_url = articles.set_index("canonical_url")
    for page in expected:
        if page.url in by_url.index:
            row = by_url.loc[page.url]
            assert row["title"] == page.title
            assert row["language"] == "en"
            assert row["source"] in {h.slug for h in crawl.truth.hosts}


def test_no_non_article_page_is_written(crawl: Crawl) -> None:
    articles = crawl.articles()
    kinds = {p.url: p.kind for p in crawl.truth.pages}
    written_kinds = {kinds.get(url, "unknown") for url in articles["canonical_url"]}
    assert written_kinds == {"article"}
    dropped = crawl.dropped()
    listing = dropped[dropped["url"].map(lambda u: kinds.get(u) in {"section", "tag", "author", "about", "contact",
                                                                      "home", "search"})]  # fmt: skip
    assert len(listing) > 0 and set(listing["reason"]) == {"not_article"}


def test_foreign_language_page_dropped_with_reason_language(crawl: Crawl) -> None:
    foreign = [p.url for p in crawl.truth.articles() if p.expected == "language"]
    assert foreign
    dropped = crawl.dropped().set_index("url")
    for url in foreign:
        assert dropped.loc[url, "reason"] == "language"
    assert set(crawl.articles()["language"]) == {"en"}


def test_url_variants_and_copies_are_dropped_as_duplicates_of_the_kept_article(crawl: Crawl) -> None:
    dropped = crawl.dropped()
    duplicates = dropped[dropped["reason"] == "duplicate"]
    variants = [p for p in crawl.truth.pages if p.kind == "article_variant"]
    assert variants
    written = set(crawl.articles()["url"])
    for variant in variants:
        assert variant.url in written or variant.url in set(duplicates["url"])
    assert duplicates["duplicate_of"].notna().all()


def test_broken_input_is_recorded_and_the_crawl_goes_on(crawl: Crawl) -> None:
    dropped = crawl.dropped().set_index("url")
    base = crawl.truth.hosts[0].base_url
    assert dropped.loc[f"{base}/_err/404", "reason"] == "http_error"
    assert dropped.loc[f"{base}/_err/500", "reason"] == "http_error"
    assert dropped.loc[f"{base}/_err/huge", "reason"] == "too_large"
    assert dropped.loc[f"{base}/_err/slow", "reason"] == "fetch_error"
    assert "redirect" in dropped.loc[f"{base}/_err/loop", "detail"]
    assert dropped.loc[f"{base}/_err/binary", "reason"] in {"not_html", "not_article"}
    assert dropped.loc[f"{base}/_err/empty", "reason"] == "empty"
    for url in crawl.truth.broken_feeds:
        assert dropped.loc[url, "reason"] == "bad_feed"
    for url in crawl.truth.broken_sitemaps:
        assert dropped.loc[url, "reason"] == "bad_sitemap"
    for page in crawl.truth.pages:
        if page.kind in {"broken", "empty"} and page.url in dropped.index:
            assert dropped.loc[page.url, "reason"] in {"empty", "not_article"}


def test_crawl_stays_inside_its_domains_and_obeys_robots(crawl: Crawl) -> None:
    requested = {r.base_url + r.target for r in crawl.server.requests}
    assert requested, "the server saw no request"
    assert not requested & set(crawl.truth.never_fetch)
    assert not any(url.startswith(tuple(crawl.truth.never_fetch_prefixes)) for url in requested)
    # Nothing off-site was even tried: the dropped ledger only names the served hosts.
    assert crawl.dropped()["url"].str.startswith(tuple(crawl.truth.base_urls())).all()


def test_summary_in_the_log(crawl: Crawl) -> None:
    log = crawl.result.stderr
    assert "newsharvest summary" in log
    assert f"articles written: {len(crawl.articles())}" in log
    assert "dropped by reason:" in log and "language" in log
    for host in crawl.truth.hosts:
        assert f"source {host.slug}: written" in log
    # A dropped page is one INFO line with its reason, never a WARNING dumping the item.
    assert "WARNING: Dropped" not in log and "'text':" not in log


def test_no_console_is_opened_into_the_crawl(crawl: Crawl) -> None:
    # Scrapy's telnet console and its remote control (an HTTP server running the code it is sent) stay off.
    log = crawl.result.stderr
    assert "Telnet console listening" not in log
    assert "Remote control HTTP server listening" not in log
    assert "scrapy.extensions.remote_control.RemoteControl" not in log  # not even enabled


def test_output_is_read_by_pandas_duckdb_and_polars(crawl: Crawl) -> None:
    n = len(crawl.articles())
    assert duckdb.sql(
        f"select count(*) from read_parquet('{crawl.output}/articles/*.parquet')"
    ).fetchall() == [(n,)]
    frame = pl.read_parquet(f"{crawl.output}/articles/*.parquet")
    assert frame.height == n
    articles = crawl.articles()
    for column in ("url", "canonical_url", "title", "text", "language", "published", "authors", "source",
                   "fetched_at", "content_hash"):  # fmt: skip
        assert column in articles.columns
    assert str(articles["fetched_at"].dtype).endswith("UTC]")
    assert articles["authors"].map(len).gt(0).mean() > 0.8
    assert articles["published"].notna().mean() > 0.8


def test_second_crawl_writes_nothing_new(crawl: Crawl, tmp_path: Path) -> None:
    sources = write_sources(tmp_path / "sources.yaml", crawl.truth)
    before = len(crawl.articles())
    result = scrapy_crawl(sources, crawl.output)
    assert result.returncode == 0, result.stderr[-3000:]
    assert len(crawl.articles()) == before


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("sources:\n  - name: a\n", "sources[0]: source 'a' has no URL"),
        ("sources:\n  - name: a\n    feeds: [ftp://x/feed]\n", "sources[0].feeds[0]"),
        ("languages: [english]\nsources:\n  - name: a\n    feeds: [http://127.0.0.1:9/f]\n", "languages[0]"),
        ("sources:\n  - name: a\n    feedz: [http://127.0.0.1:9/f]\n", "sources[0].feedz: unknown key"),
        ("sources: [\n", "malformed YAML"),
    ],
)
def test_broken_config_stops_before_any_request(tmp_path: Path, text: str, message: str) -> None:
    sources = tmp_path / "bad.yaml"
    sources.write_text(text, encoding="utf-8")
    result = scrapy_crawl(sources, tmp_path / "out")
    assert result.returncode != 0
    assert str(sources) in result.stderr and message in result.stderr
    assert "Crawled (" not in result.stderr
    assert not (tmp_path / "out" / "articles").exists()
