"""Source health: bot challenges and paywall stubs are recognised (and real articles are not), and a source
whose volume collapses against its recent history is flagged."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.settings import Settings
from scrapy.statscollectors import MemoryStatsCollector

from newsharvest.health import _DROP_BLOCKS, SourceHealthMiddleware, blocked_page, volume_warning

ARTICLE = "<html><body><article>" + "<p>The council approved the budget after a long debate. </p>" * 60
ARTICLE += "<form class='comments'><div class='g-recaptcha'></div></form></article></body></html>"


@pytest.mark.parametrize(
    ("html", "kind"),
    [
        (
            "<html><title>Just a moment...</title><body>Checking your browser<script>window._cf_chl_opt={}"
            "</script></body></html>",
            "bot_challenge",
        ),
        ("<html><body><h1>Access denied</h1><p>Reference #18.2f</p></body></html>", "bot_challenge"),
        ("<html><body>Please verify you are human to continue.</body></html>", "bot_challenge"),
        ("<html><body>Bitte bestätigen Sie, dass Sie ein Mensch sind.</body></html>", "bot_challenge"),
        ("<html><body>Êtes-vous un robot ?</body></html>", "bot_challenge"),
        (
            "<html><body><h1>Budget vote</h1><p>The council met on Monday.</p>"
            "<p>Subscribe to continue reading this article.</p></body></html>",
            "paywall",
        ),
        ("<html><body><p>Dieser Artikel ist nur für Abonnenten.</p></body></html>", "paywall"),
        ("<html><body><p>Este contenido es exclusivo para suscriptores.</p></body></html>", "paywall"),
    ],
)
def test_blocked_pages_are_recognised(html: str, kind: str) -> None:
    found = blocked_page(html)
    assert found is not None and found[0] == kind


def test_real_article_mentioning_captcha_or_with_a_recaptcha_form_is_not_blocked() -> None:
    assert blocked_page(ARTICLE) is None
    long_story = "<p>" + "Researchers said captcha tests frustrate users. " * 80 + "</p>"
    assert blocked_page(long_story) is None


@pytest.mark.parametrize(
    "html",
    [
        "<script>a</SCRIPT >b",
        "<script>x</scriptx>y</script>z",
        "<style>a<b</style>c",
        "<scriptfoo>x</scriptfoo>",
        "<script>never closed",
        "<Script>a</script >c<script>b</script>d",
        "<template><p>a</p></template>z",
        "<script>a</script\n>b",
        "<noscript>\n<img src=x></noscript>after",
        "<script>if (a<b) {}</script><style>p{}</style><p>text</p>",
    ],
)
def test_script_blocks_are_removed_like_the_plain_lazy_pattern(html: str) -> None:
    plain = re.compile(r"<(script|style|noscript|template)\b.*?</\1\s*>", re.I | re.S)
    assert _DROP_BLOCKS.sub(" ", html) == plain.sub(" ", html)


def test_middleware_counts_per_source_and_marks_blocked_pages() -> None:
    crawler = SimpleNamespace(settings=Settings(), spider=None)
    crawler.stats = MemoryStatsCollector(crawler)
    mw = SourceHealthMiddleware.from_crawler(crawler)
    for url, body, status in (
        ("https://n.example/a", ARTICLE, 200),
        ("https://n.example/b", "<html><body>Verify you are human</body></html>", 403),
    ):
        request = Request(url, meta={"nh_source": "n", "nh_via": "link"})
        mw.process_response(request, HtmlResponse(url, body=body.encode(), status=status, request=request))
    robots = Request("https://n.example/robots.txt", meta={"nh_source": "n", "nh_via": "robots"})
    mw.process_response(robots, HtmlResponse(robots.url, body=b"", request=robots))
    stats = crawler.stats.get_stats()
    assert stats["newsharvest/source/n/fetched"] == 2 and stats["newsharvest/source/n/ok"] == 1
    assert stats["newsharvest/source/n/blocked"] == 1
    assert stats["newsharvest/source/n/blocked_urls"] == ["https://n.example/b"]


def history(*seen: int, status: str = "finished") -> list[dict]:
    return [{"status": status, "sources": {"n": {"articles_seen": n}}} for n in seen]


def test_volume_drop_against_the_median_of_recent_runs() -> None:
    runs = history(40, 38, 45, 41, 39)
    warning = volume_warning("n", 5, runs)
    assert warning is not None and "source n" in warning and "median" in warning
    assert volume_warning("n", 30, runs) is None


def test_no_judgement_without_enough_history_or_on_failed_runs() -> None:
    assert volume_warning("n", 0, history(40, 40, 40, 40)) is None
    assert volume_warning("n", 0, history(40, 40, 40, 40, 40, status="failed")) is None
    assert volume_warning("other", 0, history(40, 40, 40, 40, 40)) is None
