"""The links of a fetched page, as Scrapy's ``LinkExtractor(unique=True)`` finds them, with the per-link
work done once per distinct link instead of once per occurrence.

Following links from section pages is the crawl process's costliest work after downloading: Scrapy's link
extractor resolves, percent-encodes and parses every ``href`` and collects its text (a news front has
several hundred, most of them the same navigation, section and story links on every page of the site), about
0.1 ms each in this single-threaded process. The result of those steps depends only on the ``href`` and on
the scheme and host the page was served from, so it is remembered for absolute and root-relative links
(other relative links, rarer, are resolved each time). Same steps, same functions, same order and
filtering as ``LinkExtractor``; ``tests/test_links.py`` compares the two.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlparse, urlsplit

from scrapy.http import TextResponse
from scrapy.linkextractors import IGNORED_EXTENSIONS
from scrapy.selector import Selector
from scrapy.utils.response import get_base_url
from w3lib.html import strip_html5_whitespace
from w3lib.url import safe_url_string

_DENIED = tuple({"." + e for e in IGNORED_EXTENSIONS})
_VALID_SCHEMES = {"http", "https", "file", "ftp"}
_NO_LINK = ""  # cached "this href gives no link"
_HAS_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")


class LinkFinder:
    """Page links (``<a href>``, ``<area href>``) in document order, each URL once."""

    def __init__(self, cache_size: int = 200_000) -> None:
        self.cache_size = cache_size
        self._cache: dict[tuple[str, str, str, str], str] = {}

    def links(self, response: TextResponse) -> list[str]:
        # Read from a short-lived copy: the response would cache its decoded text (several times the page's
        # size) for as long as it lives, until the page's item has gone through the extraction workers. The
        # tree is parsed the way ``response.selector`` parses (the decoded text and the base URL) but not
        # cached on the copy: the copy would keep its selector and the selector the copy (a reference
        # cycle), so the text and the tree would wait for the garbage collector after every section page.
        response = response.replace()
        base_url = get_base_url(response)
        base = urlsplit(base_url)
        origin = f"{base.scheme}://{base.netloc}"
        page_scheme = urlsplit(response.url).scheme
        encoding = response.encoding
        seen: set[str] = set()
        found: list[str] = []
        root = Selector(text=response.text, type="html", base_url=base_url).root
        for element in root.iter("a", "area"):
            href = element.get("href")
            if href is None:
                continue
            url = self._resolve(href, base_url, origin, page_scheme, response.url, encoding)
            if url and url not in seen:
                seen.add(url)
                found.append(url)
        return found

    def _resolve(
        self, href: str, base_url: str, origin: str, page_scheme: str, page_url: str, encoding: str
    ) -> str:
        """The link's URL, or "" when the href gives no followable link."""
        stripped = href.strip(" \t\n\r\f")
        absolute = _HAS_SCHEME.match(stripped) is not None
        if not (absolute or stripped.startswith("/")):
            return self._compute(href, base_url, page_url, encoding)  # depends on the page's own path
        # an absolute href depends on the schemes only; a root-relative one on the page's scheme and host
        key = (origin if not absolute else base_url.split(":", 1)[0], page_scheme, encoding, href)
        cached = self._cache.get(key)
        if cached is None:
            if len(self._cache) >= self.cache_size:
                self._cache.clear()
            cached = self._cache[key] = self._compute(href, base_url, page_url, encoding)
        return cached

    @staticmethod
    def _compute(href: str, base_url: str, page_url: str, encoding: str) -> str:
        """What ``LinkExtractor`` does to one link, in its order (see scrapy.linkextractors.lxmlhtml)."""
        try:
            url = urljoin(base_url, strip_html5_whitespace(href))
            url = safe_url_string(url, encoding=encoding)
        except ValueError:  # a bogus link: skipped, as Scrapy does
            return _NO_LINK
        url = urljoin(page_url, url)
        if url.split("://", 1)[0] not in _VALID_SCHEMES:
            return _NO_LINK
        if urlparse(url).path.lower().endswith(_DENIED):
            return _NO_LINK
        return url
