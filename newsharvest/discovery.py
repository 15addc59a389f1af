"""Reading feeds and sitemaps: the article URLs they list, with the hints they give.

Sitemaps are parsed with Scrapy's own :class:`scrapy.utils.sitemap.Sitemap` (which also handles sitemap
indexes and robots.txt's ``Sitemap:`` lines); RSS 2.0, RSS 1.0 and Atom feeds with lxml.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin

from lxml import etree
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap

_NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"


class DiscoveryError(ValueError):
    """A feed or sitemap that could not be read; the message says why."""


@dataclass(frozen=True, slots=True)
class Listed:
    """A URL listed by a feed or sitemap, with the title and date it announces, when it does."""

    url: str
    title: str | None = None
    published: dt.datetime | None = None


def parse_date(value: str | None) -> dt.datetime | None:
    """An RFC 822 (RSS) or ISO 8601 (Atom, sitemaps) date as aware UTC, or ``None``."""
    if not value or not value.strip():
        return None
    value = value.strip()
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.astimezone(dt.UTC)


def _local(tag: object) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _parse_xml(body: bytes, what: str) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=False)
    try:
        root = etree.fromstring(body, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise DiscoveryError(f"malformed {what}: {exc}") from None
    if root is None:
        raise DiscoveryError(f"empty {what}")
    return root


def parse_feed(body: bytes, base_url: str) -> list[Listed]:
    """Items of an RSS 2.0 / RSS 1.0 / Atom feed; raises :class:`DiscoveryError` when it is not one."""
    root = _parse_xml(body.strip(), "feed")
    kind = _local(root.tag)
    if kind not in {"rss", "feed", "RDF"}:
        raise DiscoveryError(f"not a feed (root element <{kind}>)")
    listed: list[Listed] = []
    for entry in root.iter():
        name = _local(entry.tag)
        if name not in {"item", "entry"}:
            continue
        link, title, date, updated = None, None, None, None
        for child in entry:
            child_name = _local(child.tag)
            if child_name == "link":
                href = child.get("href")
                if href and child.get("rel", "alternate") == "alternate":
                    link = href
                elif not href and child.text and child.text.strip():
                    link = child.text.strip()
            elif child_name == "title":
                title = (child.text or "").strip() or None
            elif child_name in {"pubDate", "published", "date", "issued"}:
                date = date or parse_date(child.text)
            elif child_name == "updated":
                updated = parse_date(child.text)  # only a fallback: it is the modification date
        if link is None and entry.get("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about"):
            link = entry.get("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about")
        if link:
            listed.append(Listed(urljoin(base_url, link), title, date or updated))
    return listed


def sitemap_body(body: bytes, max_size: int) -> bytes:
    """The XML of a sitemap, gunzipped when it is compressed (Scrapy's size-bounded gunzip)."""
    if body[:2] == b"\x1f\x8b":
        try:
            return gunzip(body, max_size=max_size)
        except Exception as exc:
            raise DiscoveryError(f"cannot decompress sitemap: {exc}") from None
    return body


@dataclass(frozen=True, slots=True)
class SitemapContent:
    """What a sitemap lists: either other sitemaps (an index) or pages."""

    sitemaps: list[str]
    pages: list[Listed]


def parse_sitemap(body: bytes) -> SitemapContent:
    """Parse a sitemap or sitemap index, including Google News sitemaps' title and publication date."""
    body = body.strip()
    _parse_xml(body, "sitemap")  # Scrapy's Sitemap parses leniently; we want malformed XML reported
    sitemap = Sitemap(body)
    if sitemap.type not in {"sitemapindex", "urlset"}:
        raise DiscoveryError(f"not a sitemap (root element <{sitemap.type}>)")
    if sitemap.type == "sitemapindex":
        return SitemapContent([entry["loc"] for entry in sitemap if entry.get("loc")], [])
    news = _news_entries(body)
    pages = []
    for entry in sitemap:
        loc = entry.get("loc")
        if not loc:
            continue
        title, date = news.get(loc, (None, None))
        pages.append(Listed(loc, title, date or parse_date(entry.get("lastmod"))))
    return SitemapContent([], pages)


def _news_entries(body: bytes) -> dict[str, tuple[str | None, dt.datetime | None]]:
    """Title and publication date of each ``<news:news>`` entry, by URL (Scrapy's Sitemap flattens them)."""
    if _NEWS_NS.encode() not in body:
        return {}
    root = _parse_xml(body, "sitemap")
    found: dict[str, tuple[str | None, dt.datetime | None]] = {}
    for url in root:
        loc = url.findtext("{*}loc")
        news = url.find(f"{{{_NEWS_NS}}}news")
        if loc and news is not None:
            found[loc.strip()] = (
                (news.findtext(f"{{{_NEWS_NS}}}title") or "").strip() or None,
                parse_date(news.findtext(f"{{{_NEWS_NS}}}publication_date")),
            )
    return found
