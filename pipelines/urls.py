"""URL canonicalisation in layers: which URL is "the" address of an article, and which rule decided it.

The same article reaches the crawler with tracking parameters, as an AMP, mobile or print variant, and with a
``rel=canonical`` / ``og:url`` that is sometimes right and sometimes a site-wide mistake (the home page, a
section, page 1 of a paginated story). Each layer below maps one kind of variant; the generic work (encoding,
case, default ports, tracker parameters, query order, fragments) is left to courlan and w3lib.

``canonical_rule`` names the most telling layer that changed the URL, in the order ``declared`` > ``amp`` >
``mobile`` > ``print`` > ``tracking`` > ``url`` (``url``: only generic normalisation).
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from urllib.parse import parse_qsl, urljoin, urlsplit, urlunsplit

from courlan import extract_domain, is_navigation_page, normalize_url
from w3lib.url import canonicalize_url, safe_url_string, url_query_cleaner

RULE_ORDER = ("declared", "amp", "mobile", "print", "tracking", "url")

# Query parameters that select an AMP or print rendering. Names alone are not enough for the generic ones
# (``output=amp`` yes, ``output=rss`` is another document), so these map a name to the values that mean it.
_AMP_PARAMS: dict[str, frozenset[str] | None] = {
    "amp": None,  # ?amp, ?amp=1, ?amp=true
    "usqp": None,  # Google AMP viewer
    "amp_js_v": None,
    "amp_gsa": None,
    "outputtype": frozenset({"amp"}),
    "output": frozenset({"amp"}),
    "view": frozenset({"amp"}),
    "format": frozenset({"amp"}),
}
_PRINT_PARAMS: dict[str, frozenset[str] | None] = {
    "print": None,
    "printable": None,
    "printer_friendly": None,
    "printview": None,
    "print_view": None,
    "output": frozenset({"print"}),
    "view": frozenset({"print", "printer"}),
    "format": frozenset({"print"}),
    "tmpl": frozenset({"component"}),  # Joomla print template
}
_AMP_SEGMENT = re.compile(r"(?:(?<=/)amp(?=/|$)|\.amp(?=\.html?$|/?$))", re.IGNORECASE)
_PRINT_SEGMENT = re.compile(
    r"(?:(?<=/)(?:print|printable|print-version)(?=/|$)|\.print(?=\.html?$|/?$))", re.IGNORECASE
)
_MOBILE_HOST = re.compile(r"^(?:m|mobile|touch)\.", re.IGNORECASE)
_AMP_HOST = re.compile(r"^amp\.", re.IGNORECASE)
_AMP_CACHE_HOST = re.compile(r"\.cdn\.ampproject\.org$", re.IGNORECASE)
_AMP_CACHE_PATH = re.compile(r"^/[cvi]/(?P<secure>s/)?(?P<rest>.+)$")
_GOOGLE_AMP_PATH = re.compile(r"^/amp/(?P<secure>s/)?(?P<rest>.+)$")
_PAGINATION_PATH = re.compile(r"/(?:page|seite|pagina|pagine|strona|sida)/?\d+/?$", re.IGNORECASE)
_PAGINATION_PARAMS = frozenset({"page", "pg", "p", "paged", "pagenum", "page_num", "seite", "pagina"})


def _parse(url: str) -> tuple[str, str, str, str, str]:
    parts = urlsplit(url)
    return parts.scheme, parts.netloc, parts.path, parts.query, parts.fragment


def _param_matches(name: str, value: str, table: dict[str, frozenset[str] | None]) -> bool:
    key = name.lower()
    if key not in table:
        return False
    wanted = table[key]
    return wanted is None or value.lower() in wanted


def _strip_params(url: str, table: dict[str, frozenset[str] | None]) -> tuple[str, bool]:
    """Remove the query parameters of ``table`` (w3lib does the removal, keeping every other byte as is)."""
    query = urlsplit(url).query
    names = sorted({n for n, v in parse_qsl(query, keep_blank_values=True) if _param_matches(n, v, table)})
    if not names:
        return url, False
    return url_query_cleaner(url, names, remove=True, unique=False, keep_fragments=True), True


def _unwrap_amp_cache(url: str) -> tuple[str, bool]:
    """``example-com.cdn.ampproject.org/c/s/example.com/a`` and ``google.com/amp/s/...`` → the origin."""
    _, netloc, path, query, _ = _parse(url)
    host = netloc.lower()
    match = None
    if _AMP_CACHE_HOST.search(host):
        match = _AMP_CACHE_PATH.match(path)
    elif host in {"www.google.com", "google.com"}:
        match = _GOOGLE_AMP_PATH.match(path)
    if match is None:
        return url, False
    scheme = "https://" if match.group("secure") else "http://"
    origin = scheme + match.group("rest") + (f"?{query}" if query else "")
    return origin, True


def _map_host(url: str, pattern: re.Pattern[str]) -> tuple[str, bool]:
    """``m.example.com`` / ``amp.example.com`` → ``www.example.com``; ``m.sub.example.com`` → ``sub...``."""
    scheme, netloc, path, query, fragment = _parse(url)
    if not pattern.match(netloc):
        return url, False
    rest = pattern.sub("", netloc, count=1)
    domain = extract_domain(url)
    if domain is None or not rest.split(":")[0].endswith(domain):
        return url, False  # "m.com" itself, or an IP: not a mobile variant of anything
    host = f"www.{rest}" if rest.split(":")[0] == domain else rest
    return urlunsplit((scheme, host, path, query, fragment)), True


def _map_path(url: str, pattern: re.Pattern[str]) -> tuple[str, bool]:
    scheme, netloc, path, query, fragment = _parse(url)
    new_path = pattern.sub("", path)
    if new_path == path:
        return url, False
    new_path = re.sub(r"/{2,}", "/", new_path) or "/"
    if not path.endswith("/") and new_path.endswith("/") and new_path != "/":
        new_path = new_path.rstrip("/")  # "/story/amp" -> "/story", as "/story/amp/" -> "/story/"
    return urlunsplit((scheme, netloc, new_path, query, fragment)), True


def _normalize(url: str) -> tuple[str, bool]:
    """Generic normalisation by courlan (case, ports, trackers, query order) then w3lib (encoding, fragment).

    Returns the URL and whether tracker parameters were removed.
    """
    before = {name.lower() for name, _ in parse_qsl(urlsplit(url).query, keep_blank_values=True)}
    try:
        cleaned = normalize_url(url, strict=False, trailing_slash=True)
    except ValueError:
        cleaned = url
    after = {name.lower() for name, _ in parse_qsl(urlsplit(cleaned).query, keep_blank_values=True)}
    return canonicalize_url(cleaned, keep_fragments=False), bool(before - after)


@lru_cache(maxsize=4096)
def _variants(url: str) -> tuple[str, str]:
    """Apply the URL-only layers; return the canonical URL and the most telling rule that fired.

    Remembered for the last few thousand URLs: an article's features canonicalise its URL, its declared
    canonical (most often the same URL) and the result again (for its key and id), ~20 us each time."""
    fired: set[str] = set()
    url = safe_url_string(url.strip())
    # AMP/print parameters go before courlan: its cleaner mangles a bare ``amp`` parameter into ``=1``.
    for table, rule in ((_AMP_PARAMS, "amp"), (_PRINT_PARAMS, "print")):
        url, changed = _strip_params(url, table)
        if changed:
            fired.add(rule)
    url, changed = _unwrap_amp_cache(url)
    if changed:
        fired.add("amp")
    url, tracking = _normalize(url)
    if tracking:
        fired.add("tracking")
    for step, rule in (
        (lambda u: _map_host(u, _AMP_HOST), "amp"),
        (lambda u: _map_host(u, _MOBILE_HOST), "mobile"),
        (lambda u: _map_path(u, _AMP_SEGMENT), "amp"),
        (lambda u: _map_path(u, _PRINT_SEGMENT), "print"),
    ):
        url, changed = step(url)
        if changed:
            fired.add(rule)
    rule = next((r for r in RULE_ORDER if r in fired), "url")
    return url, rule


def _is_http(url: str) -> bool:
    return urlsplit(url).scheme.lower() in {"http", "https"} and bool(urlsplit(url).netloc)


def _path_segments(url: str) -> list[str]:
    return [s for s in urlsplit(url).path.split("/") if s]


def _is_paginated(url: str) -> bool:
    parts = urlsplit(url)
    if _PAGINATION_PATH.search(parts.path):
        return True
    params = parse_qsl(parts.query)
    return any(n.lower() in _PAGINATION_PARAMS and v.isdigit() and v != "1" for n, v in params)


def declared_problem(url: str, declared: str) -> str | None:
    """Why a declared canonical (``rel=canonical`` / ``og:url``) must not be trusted, or None when it can be.

    Both arguments are canonical forms (see :func:`canonicalize`). Declared URLs are wrong often enough
    (templates that point every page at the home page or the section, page 2 pointing at page 1, a syndication
    partner pointing at the origin) that a wrong one would merge different articles under one id.
    """
    if not _is_http(declared):
        return "not http(s)"
    url_domain, declared_domain = extract_domain(url), extract_domain(declared)
    if url_domain is None or url_domain != declared_domain:
        return "other site"
    declared_path = _path_segments(declared)
    if not declared_path and not urlsplit(declared).query:
        return "home page"
    if is_navigation_page(declared) and not is_navigation_page(url):
        return "section/tag page"
    page_path = _path_segments(url)
    if len(declared_path) < len(page_path) and page_path[: len(declared_path)] == declared_path:
        return "section page (a parent of the page's path)"
    if _is_paginated(declared) != _is_paginated(url):
        return "pagination differs"
    return None


def canonicalize(url: str, *, declared: str | None = None) -> tuple[str, str]:
    """The canonical URL of a fetched page and the rule that decided it.

    ``declared`` (a ``rel=canonical`` or ``og:url``, relative or absolute) wins when it is same-site and sane
    (see :func:`declared_problem`); it is canonicalised by the same layers, since AMP pages sometimes
    declare a tracking-laden URL. Non-http(s) URLs are returned stripped, with rule ``url``.
    """
    if not _is_http(url.strip()):
        return url.strip(), "url"
    canonical, rule = _variants(url)
    if declared and declared.strip():
        absolute = urljoin(url.strip(), declared.strip())
        if _is_http(absolute):
            declared_canonical, _ = _variants(absolute)
            if declared_problem(canonical, declared_canonical) is None:
                return declared_canonical, "declared"
    return canonical, rule


def url_key(url: str) -> str:
    """The key of "the same page": canonical URL without scheme, ``www.`` or trailing slash.

    ``http://www.example.com/a/`` and ``https://example.com/a`` are one page on every news site we know; the
    canonical URL keeps the form the site uses, the key forgets the difference.
    """
    canonical, _ = canonicalize(url)
    parts = urlsplit(canonical)
    host = parts.netloc.lower().removeprefix("www.")
    path = parts.path.rstrip("/") if parts.path not in {"", "/"} else ""
    return host + path + (f"?{parts.query}" if parts.query else "")


def article_id_for(url: str) -> str:
    """The stable article id of a URL: 16 hex of SHA-1 of its :func:`url_key`, shared by all its versions."""
    return hashlib.sha1(url_key(url).encode("utf-8")).hexdigest()[:16]
