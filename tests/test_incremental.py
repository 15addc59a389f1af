"""Incremental crawling: stored articles are skipped or re-checked with a conditional request; a second run on
the next edition of the site writes only the new articles and a new version of the changed one."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
from crawl_helpers import articles, regenerate, run_crawl, site, write_sources
from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse
from scrapy.settings import Settings
from scrapy.statscollectors import MemoryStatsCollector

from newsharvest.incremental import CONDITIONAL_META, IncrementalMiddleware, recheck_due
from newsharvest.manifest import read_manifest
from newsharvest.runtime import runtime
from pipelines.state.base import StoredArticle
from pipelines.urls import article_id_for, canonicalize

NOW = dt.datetime.now(dt.UTC)
OLD_URL = "https://news.example/world/2024/01/02/old-story/"
NEW_URL = "https://news.example/world/2024/01/03/fresh-story/"


def parse_page(response: Any) -> None: ...


def parse_feed(response: Any) -> None: ...


@pytest.fixture
def middleware(tmp_path: Path) -> IncrementalMiddleware:
    settings = Settings({"NEWSHARVEST_OUTPUT": str(tmp_path), "NEWSHARVEST_RECHECK_HOURS": 48})
    crawler = SimpleNamespace(settings=settings, spider=None)
    crawler.stats = MemoryStatsCollector(crawler)
    store = runtime(crawler).store
    for url, published, etag in ((OLD_URL, NOW - dt.timedelta(days=30), None), (NEW_URL, NOW, '"v1"')):
        canonical = canonicalize(url)[0]
        stored = StoredArticle(
            article_id=article_id_for(canonical), canonical_url=canonical, content_hash="ab" * 16, version=1,
            url=url, published=published, fetched_at=published, etag=etag,
            last_modified="Tue, 05 Mar 2024 19:13:00 GMT", file_id="f1",
        )  # fmt: skip
        store.add_article(stored, [], np.zeros(4, dtype=np.uint32), file_id="f1")
    store.commit_file("f1")
    mw = IncrementalMiddleware.from_crawler(crawler)
    yield mw
    runtime(crawler).close()


def page_request(url: str, via: str = "feed", callback: Any = parse_page) -> Request:
    return Request(url, callback=callback, meta={"nh_source": "ex", "nh_via": via})


def test_unknown_article_is_fetched(middleware: IncrementalMiddleware) -> None:
    request = page_request("https://news.example/world/2024/01/04/unknown/")
    assert middleware.process_request(request) is None
    assert b"If-None-Match" not in request.headers


def test_old_stored_article_is_skipped_and_counted_not_dropped(middleware: IncrementalMiddleware) -> None:
    request = page_request(OLD_URL + "?utm_source=rss")  # canonicalised before the lookup
    with pytest.raises(IgnoreRequest):
        middleware.process_request(request)
    stats = middleware.crawler.stats
    assert stats.get_value("newsharvest/incremental/skipped") == 1
    assert stats.get_value("newsharvest/source/ex/skipped") == 1
    assert request.meta["nh_skipped"] is True  # the spider's errback ignores it: not a dropped page


def test_recent_stored_article_gets_a_conditional_request(middleware: IncrementalMiddleware) -> None:
    request = page_request(NEW_URL, via="link")
    assert middleware.process_request(request) is None
    assert request.headers[b"If-None-Match"] == b'"v1"'
    assert request.headers[b"If-Modified-Since"] == b"Tue, 05 Mar 2024 19:13:00 GMT"
    assert request.meta[CONDITIONAL_META] is True
    response = HtmlResponse(NEW_URL, status=304, request=request)
    assert middleware.process_response(request, response) is response
    assert middleware.crawler.stats.get_value("newsharvest/incremental/not_modified") == 1


@pytest.mark.parametrize("via", ["start_url", "robots"])
def test_discovery_requests_are_always_fetched(middleware: IncrementalMiddleware, via: str) -> None:
    assert middleware.process_request(page_request(OLD_URL, via=via)) is None


def test_feed_and_sitemap_requests_are_always_fetched(middleware: IncrementalMiddleware) -> None:
    # A feed has nh_via="feed" like the articles it lists: the callback tells them apart.
    assert middleware.process_request(page_request(OLD_URL, via="feed", callback=parse_feed)) is None


def test_recheck_window_uses_published_else_fetched() -> None:
    stored = StoredArticle("a", "u", "h", 1, "u", None, NOW - dt.timedelta(hours=10))
    assert recheck_due(stored, NOW, dt.timedelta(hours=48))
    stored.published = NOW - dt.timedelta(hours=50)
    assert not recheck_due(stored, NOW, dt.timedelta(hours=48))


def test_next_edition_writes_only_new_and_changed_articles(tmp_path: Path) -> None:
    """Two consecutive runs: the second writes the new articles and one new version, nothing else."""
    root, output = tmp_path / "site", tmp_path / "out"
    with site(root) as (truth, _server):
        sources = write_sources(tmp_path / "sources.yaml", truth.hosts[0].base_url)
        # Re-check everything (the demo's articles are from 2024): unchanged pages must answer 304.
        recheck = {"NEWSHARVEST_RECHECK_HOURS": "10000000"}
        first = run_crawl(sources, output, settings=recheck)
        assert first.returncode == 0, first.stderr
        before = articles(output)
        assert len(before) >= 5 and (before.version == 1).all()

        truth2 = regenerate(root, truth, edition=2)
        second = run_crawl(sources, output, settings=recheck)
        assert second.returncode == 0, second.stderr

    after = articles(output)
    new_rows = after[~after.run_id.isin(before.run_id)]
    added = {canonicalize(p.url)[0] for p in truth2.articles() if p.added_in_edition == 2}
    changed = {canonicalize(p.url)[0] for p in truth2.articles() if p.modified_in_edition == 2}
    assert added and changed
    assert set(new_rows.canonical_url) == (added | changed) & set(new_rows.canonical_url)
    assert added <= set(new_rows.canonical_url), "a new article was not written"
    updates = new_rows[new_rows.canonical_url.isin(changed)]
    assert len(updates) == len(changed) and (updates.version == 2).all() and updates.updated.notna().all()
    old_ids = before.set_index("canonical_url").article_id
    assert (updates.article_id.values == old_ids.loc[updates.canonical_url].values).all()
    assert new_rows[new_rows.canonical_url.isin(added)].version.eq(1).all()
    assert not after.duplicated(["article_id", "version"]).any()

    run_id = new_rows.run_id.iloc[0]
    manifest = read_manifest(output, run_id)
    assert manifest is not None
    source = manifest["sources"]["meridian"]
    assert source["not_modified"] >= len(before) - len(changed)  # unchanged pages answered 304
    assert source["dropped"].get("unchanged", 0) == source["not_modified"]
    assert manifest["totals"]["articles_updated"] == len(changed)


def test_variant_of_an_article_written_by_this_run_is_fetched(middleware: IncrementalMiddleware) -> None:
    # Written after the run started: its URL variants are fetched and end in the ledger as duplicates.
    url = "https://news.example/world/2024/01/05/this-run/"
    canonical = canonicalize(url)[0]
    stored = StoredArticle(
        article_id=article_id_for(canonical), canonical_url=canonical, content_hash="cd" * 16, version=1,
        url=url, published=NOW - dt.timedelta(days=30), fetched_at=dt.datetime.now(dt.UTC), file_id="f2",
    )  # fmt: skip
    middleware.store.add_article(stored, [], np.zeros(4, dtype=np.uint32), file_id="f2")
    request = page_request(url + "?print=1")
    assert middleware.process_request(request) is None
    assert "nh_skipped" not in request.meta
