"""Article or not: what the page declares, its URL's shape and its text."""

import pytest

from pipelines.classify import looks_like_feed, non_article_reason, url_says_listing

ARTICLE_LD = b'<script type="application/ld+json">{"@type": "NewsArticle", "headline": "x"}</script>'
LISTING_LD = b'<script type="application/ld+json">{"@type": "CollectionPage"}</script>'


@pytest.mark.parametrize(
    "url",
    [
        "https://n.example/",
        "https://n.example/tag/economy/",
        "https://n.example/author/jane-doe/",
        "https://n.example/about/",
        "https://n.example/contact.html",
        "https://n.example/search?q=budget",
        "https://n.example/world/page/2/",
        "https://n.example/de/autor/max/",
    ],
)
def test_listing_urls(url: str) -> None:
    assert url_says_listing(url)


@pytest.mark.parametrize(
    "url",
    [
        "https://n.example/2026/11/24/council-budget.html",
        "https://n.example/world/council-approves-budget-123",
    ],
)
def test_article_urls(url: str) -> None:
    assert not url_says_listing(url)


def test_declared_article_is_article() -> None:
    url = "https://n.example/world/x"
    assert non_article_reason(url, ARTICLE_LD, og_type=None, words=300, has_date=True, min_words=50) is None
    assert non_article_reason(url, b"", og_type="article", words=300, has_date=False, min_words=50) is None


def test_declared_listing_and_listing_url_are_not_articles() -> None:
    url = "https://n.example/world/x"
    assert non_article_reason(url, LISTING_LD, og_type=None, words=900, has_date=True, min_words=50)
    assert non_article_reason("https://n.example/tag/x/", ARTICLE_LD, og_type="article", words=900,
                              has_date=False, min_words=50)  # fmt: skip


def test_undeclared_short_undated_page_is_not_an_article() -> None:
    url = "https://n.example/world/x"
    assert non_article_reason(url, b"", og_type=None, words=80, has_date=False, min_words=50)
    assert non_article_reason(url, b"", og_type=None, words=400, has_date=True, min_words=50) is None


def test_feed_detection() -> None:
    assert looks_like_feed(b'<?xml version="1.0"?>\n<rss version="2.0"><channel/></rss>')
    assert looks_like_feed(b"<feed xmlns='http://www.w3.org/2005/Atom'/>")
    assert not looks_like_feed(b"<!doctype html><html></html>")


def test_og_types_read_whatever_the_attribute_order_and_quoting() -> None:
    from pipelines.classify import og_types

    html = (
        b'<head><meta content="Website" property="og:type"><meta property=og:type content=article>'
        b"<meta name='og:type' content=' video.other '><meta property=\"og:title\" content=\"x\"></head>"
    )
    assert og_types(html) == {"website", "article", "video.other"}
    assert og_types(b"<p>no meta</p>") == set()


@pytest.mark.parametrize(
    ("url", "html", "expected"),
    [
        ("https://n.example/world/x", LISTING_LD, "page declares itself a listing (og:type/JSON-LD)"),
        ("https://n.example/world/x", b'<meta property="og:type" content="website">',
         "page declares itself a listing (og:type/JSON-LD)"),
        ("https://n.example/tag/economy/", b"<p>teasers</p>", "listing URL"),
        ("https://n.example/world/x", b"<p>no declaration, article URL</p>", None),
        ("https://n.example/tag/economy/", ARTICLE_LD, None),  # declared article: depends on its date
        ("https://n.example/tag/economy/", b'<meta property="og:type" content="article">', None),
        # declarations that disagree: extraction reads one of them, so the text-dependent check decides
        ("https://n.example/world/x", b'<meta property="og:type" content="website"><meta property="og:type" '
         b'content="article">', None),
    ],
)  # fmt: skip
def test_listing_decided_before_extraction_only_when_the_text_cannot_change_it(
    url: str, html: bytes, expected: str | None
) -> None:
    from pipelines.classify import declared_og_type, listing_before_extraction

    assert listing_before_extraction(url, html) == expected
    if expected is not None:  # the check after extraction says the same, with any text
        og = declared_og_type(html)
        for words, has_date in ((10, False), (5000, True)):
            reason = non_article_reason(url, html, og_type=og, words=words, has_date=has_date, min_words=50)
            assert reason == expected


def test_declared_og_type_prefers_article_and_needs_agreement_for_a_listing() -> None:
    from pipelines.classify import declared_og_type

    meta = '<meta property="og:type" content="{}">'.format
    assert declared_og_type((meta("website") + meta("article")).encode()) == "article"
    assert declared_og_type((meta("website") + meta("profile")).encode()) in {"website", "profile"}
    assert declared_og_type((meta("website") + meta("video.movie")).encode()) == "video.movie"
    assert declared_og_type(b"<p>none</p>") is None
