"""The pages a sitemap lists wait as compact entries and become requests as the scheduler empties.

Real ``scrapy crawl news`` runs against the demo site on 127.0.0.1, discovering articles only through the
sitemap, with two concurrent requests so that the backlog drains over the whole crawl. The scheduler's peak
is read from a probe extension's stat in the crawl log.
"""

from __future__ import annotations

import itertools
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from scrapy.utils.misc import is_generator_with_return_value
from scrapy.utils.test import get_crawler

from newsharvest import defaults
from newsharvest.demo.server import demo_site
from newsharvest.spiders.news import NewsSpider
from tests.crawl_helpers import REPO, env

PROBE = '{"tests.scheduler_probe.SchedulerProbe": 0}'
#: The project's NEWSHARVEST_* defaults, as a crawl sees them.
DEFAULTS = {k: v for k, v in vars(defaults).items() if k.startswith("NEWSHARVEST_")}


def _crawl(root: Path, sitemap: str, *extra: str) -> tuple[subprocess.CompletedProcess[str], Path]:
    sources = root / "sources.yaml"
    sources.write_text(f"sources:\n  - name: meridian\n    sitemaps: [{sitemap}]\n", encoding="utf-8")
    output = root / "output"
    cmd = [sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"sources={sources}",
           "-s", f"NEWSHARVEST_OUTPUT={output}", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0",
           "-s", "CONCURRENT_REQUESTS=2", "-s", "NEWSHARVEST_WORKERS=0", "-s", "RETRY_ENABLED=False",
           "-s", f"EXTENSIONS={PROBE}", *extra]  # fmt: skip
    result = subprocess.run(cmd, cwd=REPO, env=env(), capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr[-3000:]
    return result, output


def _max_scheduled(log: str) -> int:
    found = re.search(r"'probe/max_scheduled': (\d+)", log)
    assert found, "the probe's stat is missing from the crawl log"
    return int(found.group(1))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    with demo_site(tmp_path_factory.mktemp("backlog") / "site", hosts=1, articles_per_host=30) as pair:
        yield pair


@pytest.mark.parametrize("backlog", [True, False])
def test_every_listed_page_is_fetched_and_the_scheduler_stays_small(
    site, tmp_path: Path, backlog: bool
) -> None:
    truth, server = site
    host = truth.hosts[0]
    before = len(server.requests)
    result, output = _crawl(tmp_path, host.sitemap, "-s", f"NEWSHARVEST_SITEMAP_BACKLOG={backlog}")
    fetched = {r.url for r in server.requests[before:]}
    listed = [p.url for p in truth.articles() if "sitemap" in p.discovery]
    assert len(listed) >= 20
    assert not [url for url in listed if url not in fetched]
    written = set(pd.read_parquet(output / "articles")["url"])
    expected = {p.url for p in truth.articles() if "sitemap" in p.discovery and p.expected == "written"}
    assert expected and expected <= written
    peak = _max_scheduled(result.stderr)
    if backlog:  # a few at a time: the downloader's two slots and what the sitemaps themselves add
        assert peak <= 10, peak
    else:  # every listed page queued at once
        assert peak >= len(listed)


def test_the_backlog_is_off_where_the_scheduler_persists_requests(tmp_path: Path) -> None:
    sources = tmp_path / "sources.yaml"
    sources.write_text("sources:\n  - name: a\n    sitemaps: [http://127.0.0.1:9/sitemap.xml]\n", "utf-8")

    def uses_backlog(**settings: str) -> bool:
        crawler = get_crawler(NewsSpider, settings_dict={**DEFAULTS, **settings})
        return NewsSpider.from_crawler(crawler, sources=str(sources))._use_backlog

    assert uses_backlog()
    assert not uses_backlog(JOBDIR=str(tmp_path / "job"))  # a paused crawl would lose the backlog
    assert not uses_backlog(SCHEDULER="newsharvest.scaleout.SharedScheduler")  # Redis keeps every request
    assert not uses_backlog(NEWSHARVEST_SITEMAP_BACKLOG="False")


def test_a_listed_url_no_request_can_be_made_for_is_counted_and_skipped(tmp_path: Path) -> None:
    sources = tmp_path / "sources.yaml"
    sources.write_text("sources:\n  - name: a\n    sitemaps: [http://127.0.0.1:9/sitemap.xml]\n", "utf-8")
    crawler = get_crawler(NewsSpider, settings_dict=DEFAULTS)
    spider = NewsSpider.from_crawler(crawler, sources=str(sources))
    crawler.stats.open_spider()
    assert spider._backlog_request("/no-scheme", "a", None, None) is None
    assert crawler.stats.get_value("newsharvest/not_fetched/bad_url") == 1
    request = spider._backlog_request("http://127.0.0.1:9/a.html", "a", "Title", None)
    assert request is not None and request.meta["nh_via"] == "sitemap" and request.meta["nh_title"] == "Title"


@pytest.mark.parametrize("backlog", [True, False])
def test_sites_take_turns_as_scrapy_s_downloader_aware_queue_would_have_them(
    tmp_path: Path, backlog: bool
) -> None:
    """Listed pages are released for the site whose download slot is least busy: with one request per site
    at a time, the sites' pages are fetched interleaved, not one site's whole list after another's."""
    with demo_site(tmp_path / "site", hosts=3, articles_per_host=15) as (truth, server):
        sources = tmp_path / "sources.yaml"
        sources.write_text(
            "sources:\n" + "".join(f"  - name: {h.slug}\n    sitemaps: [{h.sitemap}]\n" for h in truth.hosts),
            encoding="utf-8",
        )
        listed = {p.url for p in truth.articles() if "sitemap" in p.discovery}
        cmd = [sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"sources={sources}",
               "-s", f"NEWSHARVEST_OUTPUT={tmp_path / 'output'}", "-s", "AUTOTHROTTLE_ENABLED=False",
               "-s", "CONCURRENT_REQUESTS=3", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1",
               "-s", "NEWSHARVEST_WORKERS=0", "-s", "RETRY_ENABLED=False",
               "-s", f"NEWSHARVEST_SITEMAP_BACKLOG={backlog}"]  # fmt: skip
        result = subprocess.run(cmd, cwd=REPO, env=env(), capture_output=True, text=True, timeout=180)
        assert result.returncode == 0, result.stderr[-3000:]
        order = [r.base_url for r in server.requests if r.url in listed]
    assert len(order) == len(listed) >= 30
    switches = sum(a != b for a, b in itertools.pairwise(order))
    assert switches >= len(order) // 2, order  # one site's whole list at a time would switch twice


def test_no_callback_is_a_generator_that_returns_a_value() -> None:
    """What Scrapy's WARN_ON_GENERATOR_RETURN_VALUE check (off for this spider: it re-parses the source on
    every response) would warn about: a ``return value`` in a generator callback is silently lost."""
    callbacks = [NewsSpider.parse_page, NewsSpider.parse_feed, NewsSpider.parse_sitemap, NewsSpider.parse_robots,
                 NewsSpider.on_error]  # fmt: skip
    assert NewsSpider.custom_settings["WARN_ON_GENERATOR_RETURN_VALUE"] is False
    assert not [f.__name__ for f in callbacks if is_generator_with_return_value(f)]
