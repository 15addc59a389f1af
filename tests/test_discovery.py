"""Feeds and sitemaps: the URLs, titles and dates they list, and clear errors for broken ones."""

import datetime as dt
import gzip

import pytest

from newsharvest.discovery import DiscoveryError, parse_date, parse_feed, parse_sitemap, sitemap_body

RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>
<item><title>First</title><link>https://n.example/a.html</link><pubDate>Tue, 24 Nov 2026 09:30:00 +0100</pubDate></item>
<item><title>Second</title><link>/b.html</link></item></channel></rss>"""
ATOM = b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>
<entry><title>A</title><link rel="alternate" href="https://n.example/a"/><link rel="edit" href="https://n.example/edit"/>
<updated>2026-11-24T10:00:00Z</updated><published>2026-11-23T10:00:00Z</published></entry></feed>"""
NEWS_SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>https://n.example/x</loc><news:news><news:publication><news:name>N</news:name><news:language>en</news:language>
</news:publication><news:publication_date>2026-11-20T08:00:00+00:00</news:publication_date><news:title>X happened</news:title></news:news></url>
<url><loc>https://n.example/y</loc><lastmod>2026-11-21</lastmod></url></urlset>"""
INDEX = b"""<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://n.example/s1.xml</loc></sitemap><sitemap><loc>https://n.example/s2.xml.gz</loc></sitemap></sitemapindex>"""


def test_rss_items_with_dates_and_relative_links() -> None:
    items = parse_feed(RSS, "https://n.example/feed.xml")
    assert [i.url for i in items] == ["https://n.example/a.html", "https://n.example/b.html"]
    assert items[0].title == "First"
    assert items[0].published == dt.datetime(2026, 11, 24, 8, 30, tzinfo=dt.UTC)
    assert items[1].published is None


def test_atom_prefers_alternate_link_and_published_date() -> None:
    (item,) = parse_feed(ATOM, "https://n.example/atom.xml")
    assert item.url == "https://n.example/a"
    assert item.published == dt.datetime(2026, 11, 23, 10, tzinfo=dt.UTC)


def test_news_sitemap_gives_title_and_publication_date() -> None:
    content = parse_sitemap(NEWS_SITEMAP)
    assert content.sitemaps == []
    x, y = content.pages
    assert (x.url, x.title) == ("https://n.example/x", "X happened")
    assert x.published == dt.datetime(2026, 11, 20, 8, tzinfo=dt.UTC)
    assert y.published == dt.datetime(2026, 11, 21, tzinfo=dt.UTC)


def test_sitemap_index_and_gzip() -> None:
    content = parse_sitemap(sitemap_body(gzip.compress(INDEX), 10_000_000))
    assert content.sitemaps == ["https://n.example/s1.xml", "https://n.example/s2.xml.gz"]


@pytest.mark.parametrize(
    "body", [b"<rss><channel><item><title>x", b"not xml at all", b"<html><body>hi</body></html>"]
)
def test_broken_feeds_raise_a_clear_error(body: bytes) -> None:
    with pytest.raises(DiscoveryError):
        parse_feed(body, "https://n.example/feed.xml")


@pytest.mark.parametrize("body", [b"<urlset><url><loc>https://n.example/a", b"", b"<rss></rss>"])
def test_broken_sitemaps_raise_a_clear_error(body: bytes) -> None:
    with pytest.raises(DiscoveryError):
        parse_sitemap(body)


def test_parse_date_formats() -> None:
    assert parse_date("2026-11-24") == dt.datetime(2026, 11, 24, tzinfo=dt.UTC)
    assert parse_date("Tue, 24 Nov 2026 10:00:00 GMT") == dt.datetime(2026, 11, 24, 10, tzinfo=dt.UTC)
    assert parse_date("yesterday") is None and parse_date(None) is None
