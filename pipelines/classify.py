"""Telling article pages from the other pages a news crawler fetches.

Section fronts, tag/author/about/contact pages, search results and feeds are followed for links but are not
articles. trafilatura happily extracts a list of teasers from a section front, so "it has text" is not enough:
we combine what the page declares about itself (og:type, JSON-LD @type), the URL's shape, and the text.
"""

from __future__ import annotations

import re
import sys
from urllib.parse import urlsplit

#: Path segments that mark listing or service pages on news sites, in the languages we crawl.
_NON_ARTICLE_SEGMENTS = {
    "tag", "tags", "author", "authors", "autor", "autoren", "auteur", "auteurs", "autore", "autores",
    "category", "categories", "kategorie", "categorie", "categoria", "topic", "topics", "themen", "thema",
    "section", "sections", "about", "about-us", "contact", "contact-us", "kontakt", "impressum", "imprint",
    "search", "suche", "recherche", "buscar", "cerca", "zoeken", "privacy", "privacy-policy",
    "datenschutz", "terms", "login", "signin", "register", "subscribe", "newsletter", "feed", "rss",
    "archive", "archives", "page", "seite",
}  # fmt: skip
_NON_ARTICLE_QUERY = re.compile(r"(^|&)(s|q|query|search|page|paged)=", re.IGNORECASE)
_ARTICLE_TYPES = re.compile(
    rb'"@type"\s*:\s*\[?\s*"(?:News|Blog|Reportage|Analysis|Opinion|Report|Scholarly|Tech|Satirical)?'
    rb'(?:Article|Posting|NewsArticle|LiveBlogPosting)"',
)
_LISTING_TYPES = re.compile(
    rb'"@type"\s*:\s*"(?:CollectionPage|WebSite|SearchResultsPage|ProfilePage|AboutPage|ContactPage|ItemList)"'
)
_FEED_START = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:rss|feed|rdf:RDF|urlset|sitemapindex)\b", re.S
)


_META_TAG = re.compile(rb"<meta\b[^>]*>", re.IGNORECASE)
_CONTENT_ATTR = re.compile(rb"""\bcontent\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE)
_LISTING_OG = {"website", "profile", "book", "video.other"}


def og_types(html: bytes) -> set[str]:
    """Every ``og:type`` a ``<meta>`` tag of the page declares (lower-cased), wherever it sits."""
    found = set()
    for tag in _META_TAG.finditer(html):
        text = tag.group(0)
        if b"og:type" not in text.lower():
            continue
        content = _CONTENT_ATTR.search(text)
        if content:
            value = next(v for v in content.groups() if v is not None)
            found.add(value.decode("utf-8", "replace").strip().lower())
    return found


def declared_og_type(html: bytes) -> str | None:
    """The page's ``og:type`` as the article check reads it: ``article`` when any declaration says so, a
    listing type when all of them are listing types, else the first one found (``None`` when none)."""
    declared = og_types(html)
    if any(value.startswith("article") for value in declared):
        return "article"
    if declared and declared <= _LISTING_OG:
        return min(declared)
    return next(iter(sorted(declared)), None)


def listing_before_extraction(url: str, html: bytes, og_type: str | None = None) -> str | None:
    """The :func:`non_article_reason` that holds whatever the extracted text turns out to be, or ``None``.

    A page that declares itself a listing, or has a listing URL and declares nothing, is dropped whatever
    its text, so it need not be extracted (on a news site that is a good share of the pages fetched, and
    the ones whose extraction costs most: short, link-heavy, so the fallback strategies run too). The check
    after extraction reads the same declarations (:func:`declared_og_type`, which ``og_type`` is when the
    caller has it already), so it would give this reason."""
    if og_type is None:
        og_type = declared_og_type(html)
    return non_article_reason(url, html, og_type=og_type, words=sys.maxsize, has_date=True, min_words=0)


def looks_like_feed(body: bytes) -> bool:
    """An RSS/Atom feed or a sitemap served where a page was expected."""
    return bool(_FEED_START.match(body[:2048]))


def url_says_listing(url: str) -> bool:
    """Whether the URL has the shape of a home, section, tag, author, service or search page."""
    parts = urlsplit(url)
    segments = [s.lower() for s in parts.path.split("/") if s]
    if not segments:
        return True  # the home page
    if _NON_ARTICLE_QUERY.search(parts.query or ""):
        return True
    stem = segments[-1].rsplit(".", 1)[0]
    return any(s in _NON_ARTICLE_SEGMENTS for s in segments) or stem in _NON_ARTICLE_SEGMENTS


def declared_type(html: bytes, og_type: str | None) -> str | None:
    """'article' or 'listing' when the page says what it is (og:type or JSON-LD), else None."""
    og = (og_type or "").strip().lower()
    if _ARTICLE_TYPES.search(html) or og == "article" or og.startswith("article"):
        return "article"
    if _LISTING_TYPES.search(html) or og in _LISTING_OG:
        return "listing"
    return None


def non_article_reason(
    url: str, html: bytes, *, og_type: str | None, words: int, has_date: bool, min_words: int
) -> str | None:
    """Why this page is not an article (a short explanation), or ``None`` when it is one."""
    declared = declared_type(html, og_type)
    listing_url = url_says_listing(url)
    if declared == "article":
        # A CMS may mark a tag page as og:type=article; the URL shape wins over a template default.
        return "listing URL" if listing_url and not has_date else None
    if declared == "listing":
        return "page declares itself a listing (og:type/JSON-LD)"
    if listing_url:
        return "listing URL"
    if not has_date and words < 3 * min_words:
        return "no article markup, no date and little text"
    return None
