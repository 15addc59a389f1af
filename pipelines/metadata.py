"""Metadata users can rely on: a headline without the site suffix, authors that are names, a publication date.

Extractors return candidates that are often wrong in predictable ways: ``<title>`` carries " | Site name",
author fields carry "By", "Staff" or the site's own name, and the date found in the page may be the
modification date (or a date in the future from a misconfigured CMS). Each function here fixes one of these
from evidence in the page (JSON-LD, ``<meta>``), never from one site's strings.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

import courlan
import htmldate
from lxml import etree as lxml_etree

_ARTICLE_TYPES = {
    "article",
    "newsarticle",
    "blogposting",
    "reportagenews",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "reviewnewsarticle",
    "backgroundnewsarticle",
    "techarticle",
    "scholarlyarticle",
    "liveblogposting",
    "posting",
    "socialmediaposting",
    "webpage",
}
_PUBLISHED_META = (
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "publishdate",
    "publish-date",
    "pubdate",
    "dc.date.issued",
    "dcterms.created",
    "sailthru.date",
    "parsely-pub-date",
)
_MODIFIED_META = (
    "article:modified_time",
    "og:updated_time",
    "datemodified",
    "dcterms.modified",
    "last-modified",
)


@dataclass(slots=True)
class PageMeta:
    """Structured metadata declared by the page itself (JSON-LD first, then ``<meta>``)."""

    headline: str | None = None
    site_name: str | None = None
    authors: list[str] = field(default_factory=list)
    published: dt.datetime | None = None
    modified: dt.datetime | None = None
    language: str | None = None
    document_title: str | None = None  # the page's ``<title>``: what it calls itself, suffix included


def parse_datetime(value: Any) -> dt.datetime | None:
    """ISO-8601 (and the common "YYYY-MM-DD HH:MM:SS") to an aware UTC datetime; ``None`` if unparsable."""
    if not value or not isinstance(value, str):
        return None
    text = (
        value.strip().replace(" ", "T", 1)
        if re.match(r"\d{4}-\d\d-\d\d \d", value.strip())
        else value.strip()
    )
    text = re.sub(r"([+-]\d\d)(\d\d)$", r"\1:\2", text)  # +0100 -> +01:00 (fromisoformat wants the colon)
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        match = re.match(r"(\d{4}-\d\d-\d\d)", text)
        if not match:
            return None
        parsed = dt.datetime.fromisoformat(match.group(1))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.astimezone(dt.UTC)


def _jsonld_objects(tree) -> list[dict[str, Any]]:
    """All JSON-LD objects of the page, ``@graph`` and lists flattened; broken JSON is skipped."""
    found: list[dict[str, Any]] = []
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text or "")
        except (ValueError, TypeError):
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                found.append(item)
                if isinstance(item.get("@graph"), list):
                    stack.extend(item["@graph"])
    return found


def _types(obj: dict[str, Any]) -> set[str]:
    kind = obj.get("@type", "")
    kinds = kind if isinstance(kind, list) else [kind]
    return {str(k).lower() for k in kinds}


def _names(value: Any) -> list[str]:
    """JSON-LD author values: a string, an object with ``name``, or a list of either."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        name = value.get("name")
        return [name] if isinstance(name, str) else []
    if isinstance(value, list):
        return [name for item in value for name in _names(item)]
    return []


def _meta_content(tree, names: tuple[str, ...]) -> str | None:
    for node in tree.xpath("//meta[@content]|//*[@itemprop][@datetime or @content]"):
        key = (node.get("property") or node.get("name") or node.get("itemprop") or "").strip().lower()
        if key in names:
            value = node.get("content") or node.get("datetime")
            if value and value.strip():
                return value.strip()
    return None


def page_metadata(tree, source: str = "", url: str | None = None) -> PageMeta:
    """Collect what the page declares about itself; JSON-LD of an article type wins over ``<meta>`` tags."""
    meta = PageMeta()
    if tree is None:
        return meta
    objects = _jsonld_objects(tree)
    articles = [o for o in objects if _types(o) & _ARTICLE_TYPES or "headline" in o]
    for obj in articles:
        meta.headline = meta.headline or (
            obj.get("headline") if isinstance(obj.get("headline"), str) else None
        )
        meta.published = meta.published or parse_datetime(obj.get("datePublished"))
        meta.modified = meta.modified or parse_datetime(obj.get("dateModified"))
        meta.authors = meta.authors or _names(obj.get("author"))
        publisher = _names(obj.get("publisher"))
        meta.site_name = meta.site_name or (publisher[0] if publisher else None)
    meta.published = meta.published or parse_datetime(_meta_content(tree, _PUBLISHED_META))
    meta.modified = meta.modified or parse_datetime(_meta_content(tree, _MODIFIED_META))
    meta.site_name = meta.site_name or _meta_content(tree, ("og:site_name", "application-name"))
    lang = tree.get("lang") if hasattr(tree, "get") else None
    meta.language = lang.split("-")[0].lower() if lang else None
    if meta.headline:
        meta.headline = " ".join(meta.headline.split())
    _read_titles(tree, meta)
    return meta


def _read_titles(tree, meta: PageMeta) -> None:
    """The page's ``<title>``: the first non-empty one outside ``<svg>`` (a template may leave an empty one in
    ``<head>`` and write it again later). It is in ``<head>``, so the walk stops early."""
    head = tree.find("head/title")
    for node in [head] if head is not None and (head.text or "").strip() else tree.iter("title"):
        text = " ".join((node.text_content() or "").split())
        if text and not any(a.tag == "svg" for a in node.iterancestors()):
            meta.document_title = text
            return


_MAX_HEADINGS = 40


def _headings(tree) -> list[str]:
    """``<h1>`` / ``<h2>`` texts in page order: where a visible headline is."""
    found = []
    for node in tree.iter("h1", "h2"):
        text = " ".join(node.text_content().split())
        if text:
            found.append(text)
            if len(found) >= _MAX_HEADINGS:
                break
    return found


_EARLIEST = dt.datetime(1990, 1, 1, tzinfo=dt.UTC)  # before the web: a placeholder such as 0001-01-01


def clamp_future(value: dt.datetime | None, now: dt.datetime | None = None) -> dt.datetime | None:
    """A publication date in the future (or a placeholder before the web) is a CMS error: report none."""
    if value is None:
        return None
    now = now or dt.datetime.now(dt.UTC)
    return None if value > now or value < _EARLIEST else value


def choose_published(
    meta: PageMeta,
    extractor_date: str | None,
    source: str = "",
    *,
    now: dt.datetime | None = None,
    url: str | None = None,
) -> dt.datetime | None:
    """The publication date: declared ``datePublished`` first, then htmldate's *original* date.

    trafilatura's date may be the modification date when a page shows only "Updated on ..."; when it equals
    (or is later than) the declared ``dateModified`` we ask htmldate for the original date without that
    hint, and give up (``None``) rather than report the modification date as the publication date.

    An undeclared date on the crawl day (``now``) is most often the page header's "today", not the story's
    date: it is kept only when the URL carries that date, else the original-date search runs without it.
    """
    now = now or dt.datetime.now(dt.UTC)
    if meta.published is not None and clamp_future(meta.published, now) is not None:
        return meta.published
    candidate = clamp_future(parse_datetime(extractor_date), now)
    modified = clamp_future(meta.modified, now)  # a placeholder (0001-01-01) says nothing
    # a day's slack after the modification: a date without a time zone may be a day off in UTC
    latest = modified.date() + dt.timedelta(days=1) if modified is not None else None
    excluded: set[dt.date] = set()
    if candidate is not None and modified is not None and candidate.date() == modified.date():
        excluded.add(modified.date())
    if candidate is not None and latest is not None and candidate.date() > latest:
        excluded.update({modified.date(), candidate.date()})  # not the publication date: after a modification
    if candidate is not None and candidate.date() == now.date() and not _url_has_date(url, now.date()):
        excluded.add(now.date())
    if excluded:
        candidate = _htmldate_original(source, exclude=excluded, now=now)
        if candidate is not None and latest is not None and candidate.date() > latest:
            candidate = None
    return clamp_future(candidate, now)


def _url_has_date(url: str | None, day: dt.date) -> bool:
    """The URL's path spells ``day`` (/2024/06/01/, /20240601-, 2024-06-01)."""
    path = urlsplit(url).path if url else ""
    pattern = rf"{day.year}[/_-]?{day.month:02d}[/_-]?{day.day:02d}(?!\d)"
    return re.search(pattern, path) is not None


def _htmldate_original(source: str, exclude: set[dt.date], now: dt.datetime) -> dt.datetime | None:
    """htmldate's original-date search, ignoring dates known not to be the publication date."""
    if not source:
        return None
    try:
        found = htmldate.find_date(
            source, original_date=True, extensive_search=True, max_date=now.strftime("%Y-%m-%d")
        )
    except Exception:  # htmldate is heuristic; a failure only means "no better date"
        return None
    parsed = clamp_future(parse_datetime(found), now)
    return None if parsed is None or parsed.date() in exclude else parsed


# --- titles ------------------------------------------------------------------------------------------------

_SEPARATORS = re.compile(r"\s+(?:\||\u2013|—|-|::|·|•|»|«)\s+")


def _norm(value: str) -> str:
    return re.sub(r"[\W_]+", "", value.casefold())


@lru_cache(maxsize=4096)
def _registered_name(host: str) -> str:
    """ "cnn" for edition.cnn.com, "entermedia" for www.entermedia.co.kr: the registered domain (courlan reads
    the public-suffix list) without its suffix, which is what a site calls itself ("CNN", "Entermedia")."""
    domain = courlan.extract_domain(f"https://{host}/")
    return domain.split(".")[0] if domain else host


def _looks_like_site(segment: str, site_name: str | None, host: str | None) -> bool:
    seg = _norm(segment)
    if not seg:
        return True
    if site_name and (seg == _norm(site_name) or (len(seg) > 3 and seg in _norm(site_name))):
        return True
    if site_name and len(_norm(site_name)) > 3 and _norm(site_name) in seg and len(segment.split()) <= 4:
        return True
    if host:
        core = _norm(_registered_name(host))
        if core and (seg == core or seg.endswith(core) or core.endswith(seg)) and len(seg) > 3:
            return True
    return bool(
        re.fullmatch(r"[\w.-]+\.(com|org|net|de|fr|es|it|pt|nl|co\.uk|uk|br|be|ch|at)", segment.strip())
    )


def clean_title(title: str | None, site_name: str | None = None, url: str | None = None) -> str | None:
    """The headline without " | Site name" (or "Site name - " in front); other separators are kept.

    A trailing " | Short" segment is dropped even without a known site name, because "|" in ``<title>`` is
    almost always the site separator; " - " is dropped only when the segment matches the site name or host.
    """
    if not title:
        return title
    title = " ".join(title.split())
    host = urlsplit(url).hostname if url else None
    parts = _SEPARATORS.split(title)
    seps = _SEPARATORS.findall(title)
    while len(parts) > 1:
        last, sep = parts[-1], seps[-1].strip()
        if _looks_like_site(last, site_name, host) or (
            sep == "|" and len(last.split()) <= 4 and len(" ".join(parts[:-1]).split()) >= 3
        ):
            parts, seps = parts[:-1], seps[:-1]
            continue
        if _looks_like_site(parts[0], site_name, host):
            parts, seps = parts[1:], seps[1:]
            continue
        break
    return _join(parts, seps) or title


_TITLE_DIFFERS = 0.2  # below this, a guessed headline is not the one the page's <title> names
_HEADING_MATCHES = 0.8


def _title_words(text: str) -> set[str]:
    """Words of a title for comparing two of them: short words ("and", "the", "de") say nothing, but a
    Korean or Japanese word is often two or three characters."""
    words = set(re.findall(r"\w+", text.casefold()))
    return {w for w in words if len(w) >= 4 or (len(w) >= 2 and not w.isascii())} or words


def _agreement(a: str, b: str) -> float:
    """Share of the shorter text's words that the other has (0 when either has none)."""
    wa, wb = _title_words(a), _title_words(b)
    return len(wa & wb) / min(len(wa), len(wb)) if wa and wb else 0.0


def _names_heading(page_title: str, heading: str) -> bool:
    """The ``<title>`` is this heading (suffix aside): most of the heading's words are in it, and they are
    most of the ``<title>`` or of its first segment ("Story - Chapter 1 - Author | Fandom [Site]")."""
    words = _title_words(heading)
    if len(re.findall(r"\w+", heading)) < 2:
        return False
    first = _SEPARATORS.split(page_title)[0]
    for whole in (page_title, first):
        title_words = _title_words(whole)
        shared = len(words & title_words)
        if shared >= _HEADING_MATCHES * len(words) and shared >= _HEADING_MATCHES * len(title_words):
            return True
    return False


_NOT_A_HEADLINE = {"a", "header", "nav", "footer", "title", "option", "script", "style", "noscript"}


def _shown_in_body(tree, text: str) -> bool:
    """Whether ``text`` is the whole text of an element of the page's body, outside links, headers and
    navigation: the page shows it, as it shows a headline (a ``<dt>`` or ``<div>`` on older templates)."""
    body = tree.find("body")
    key = _norm(text)
    if body is None or not key:
        return False
    shown = (
        node
        for node in body.iter(lxml_etree.Element)
        if node.text and _norm(node.text) == key and _norm(node.text_content()) == key
    )
    return any(
        node.tag not in _NOT_A_HEADLINE and not any(a.tag in _NOT_A_HEADLINE for a in node.iterancestors())
        for node in shown
    )


def choose_title(
    candidate: str | None,
    meta: PageMeta,
    site_name: str | None = None,
    url: str | None = None,
    tree=None,
) -> str | None:
    """The headline: the extractor's candidate, unless the page's own ``<title>`` says it guessed wrong.

    trafilatura takes a page's only ``<h1>`` as its headline, and on many templates that is the site or
    section name ("Allergies Health Center", a blog's "Hi, I'm Nicolas.") while the story's headline is an
    ``<h2>``. A candidate that shares words with the ``<title>`` is kept, and so is one the page declares
    (og:title, twitter:title, JSON-LD headline). Otherwise a heading of ``tree`` that the ``<title>`` names
    (most of its words on both sides) replaces it, or the ``<title>`` itself when the body shows it as an
    element's whole text. A ``<title>`` the body does not show is not taken: on some sites it is the same
    generic text on every page. Only a candidate at odds with the ``<title>`` costs a look at the tree."""
    candidate = clean_title(candidate, site_name, url)
    page_title = clean_title(meta.document_title, site_name, url)
    if not candidate or not page_title or tree is None or len(_title_words(page_title)) < 3:
        return candidate
    host = urlsplit(url).hostname if url else None
    if _looks_like_site(page_title, site_name, host) or _agreement(candidate, page_title) >= _TITLE_DIFFERS:
        return candidate
    key = _norm(candidate)
    declared = [meta.headline, _meta_content(tree, ("og:title",)), _meta_content(tree, ("twitter:title",))]
    if any(t and _norm(clean_title(t, site_name, url) or "") == key for t in declared):
        return candidate
    for heading in _headings(tree):
        if _names_heading(page_title, heading):
            return clean_title(heading, site_name, url)
    return page_title if _shown_in_body(tree, page_title) else candidate


def _join(parts: list[str], seps: list[str]) -> str:
    out = parts[0] if parts else ""
    for sep, part in zip(seps, parts[1:], strict=False):
        out += sep + part
    return out.strip()


# --- authors -----------------------------------------------------------------------------------------------

_BY_PREFIX = re.compile(
    r"^(?:by|von|par|por|di|da|door|written by|geschrieben von|écrit par|escrito por|scritto da|"
    r"texto|text|texte|testo|autor|author|auteur|autore|redactie)\s*[:\-]?\s+",
    re.IGNORECASE,
)
_NOT_NAMES = {
    "staff",
    "staff writer",
    "staff reporter",
    "editor",
    "editors",
    "the editors",
    "editorial",
    "editorial staff",
    "editorial team",
    "admin",
    "administrator",
    "guest",
    "guest author",
    "guest contributor",
    "contributor",
    "news desk",
    "newsdesk",
    "web desk",
    "desk",
    "reporter",
    "correspondent",
    "redaktion",
    "rédaction",
    "la rédaction",
    "redacción",
    "redazione",
    "la redazione",
    "redação",
    "redactie",
    "de redactie",
    "anonymous",
    "unknown",
    "username",
    "user",
    "author",
    "autor",
    "auteur",
    "autore",
}
# academic and professional letters after a name, split off by "Jane Doe, MS, RD"
_CREDENTIALS = {
    "md", "phd", "ms", "msc", "ma", "mba", "mph", "mfa", "rd", "rdn", "rn", "ld", "ldn", "dds", "dmd", "dvm",
    "pharmd", "jd", "llm", "lcsw", "cde", "cdces", "cpt", "facp", "facs", "faan", "np", "pa", "bsc", "ba",
    "bs", "dr", "prof",
}  # fmt: skip
# news agencies a byline names after the writer ("JILL LAWLESS Associated Press"): the writer is the name
# (the short ones in capitals only: "Efe" and "Ansa" are also names)
_AGENCY_SUFFIX = re.compile(
    r"\s+(?:(?i:(?:the\s+)?associated\s+press|reuters|agence\s+france-presse|bloomberg(?:\s+news)?|"
    r"press\s+association|pa\s+media)|AFP|AP|EFE|ANSA|UPI|DPA|dpa)$"
)
# "and" in the languages we crawl; the one-letter ones ("y", "e") only in lower case: "Bruce Y. Lee" is one
# person with a middle initial
_SPLIT_AUTHORS = re.compile(
    r"\s*(?:;|,|&|\||/|\b(?i:and|und|et|with|mit|avec|con)\b|\b(?:y|e|en)\b)\s*",
)
_CALENDAR = (
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|may|june|july|"
    r"august|september|october|november|december|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|"
    r"lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|updated|published|aktualisiert"
)
# "Malcolm Owen Monday" / "November": a date glued to a byline by the page layout
_TRAILING_DATE = re.compile(rf"(?:\s+(?:{_CALENDAR})\b.*$|^(?:{_CALENDAR})$)", re.IGNORECASE)
_TRAILING_TIME = re.compile(r"\s+\d[\d/.:-]*(?:\s.*)?$")
_ROLE_WORDS = re.compile(
    r"\b(?:staff|writer|reporter|editor|correspondent|columnist|contributor|photographer|redakteur|"
    r"journalist|rédacteur|redactor|redattore|editora?|journaliste|giornalista|senior|chief)\b",
    re.IGNORECASE,
)
# "AP Sports Writer", "CNN Editor-at-large", "News Nation Bureau": a job (and whom for), not a person; names
# do not end with these words
_ROLE_AT_END = re.compile(
    r"(?:\b|-)(?:staff|writers?|reporters?|editors?|editor-at-large|correspondents?|columnists?|contributors?|"
    r"photographers?|bureau|desk|team|redakteur(?:in)?|journalist(?:in|e)?|rédact(?:eur|rice)|redactor(?:a)?|"
    r"redat(?:tore|trice)|giornalista|corresponsal|correspondente)$",
    re.IGNORECASE,
)


def normalise_authors(
    authors: list[str] | None,
    site_name: str | None = None,
    url: str | None = None,
    publisher: str | None = None,
) -> list[str]:
    """Names only: no "By", no roles ("Staff Writer"), no site or publisher name, no bios, no letters after
    a name ("MS", "RD"); order kept, no duplicates ("Troy L Smith" after "Troy Smith" is the same person)."""
    host = urlsplit(url).hostname if url else None
    names: list[str] = []
    seen: set[str] = set()
    for raw in authors or []:
        for part in _SPLIT_AUTHORS.split(_BY_PREFIX.sub("", " ".join(str(raw).split()))):
            # "Jane Doe 3 hours ago", "Jane Doe 12.03.2024", "Jane Doe | March 3"
            name = _TRAILING_TIME.sub("", _BY_PREFIX.sub("", part))
            name = _TRAILING_DATE.sub("", name).strip(" .,:;|-\u2013—")
            name = _strip_organisation(name, (site_name, publisher))
            if name.casefold().replace(".", "") in _CREDENTIALS or not _is_name(name, site_name, host):
                continue
            if publisher and _site_key(name) == _site_key(publisher):
                continue
            if name.isupper() and len(name.split()) >= 2:  # "GREG BEACHAM" from a CMS field in capitals
                name = name.title()
            keys = {name.casefold(), _first_last(name)}
            if not keys & seen:
                seen |= keys
                names.append(name)
    return names


def _strip_organisation(name: str, sites: tuple[str | None, ...]) -> str:
    """ "JILL LAWLESS Associated Press" -> "JILL LAWLESS", "Finian Cunningham Sputnik International" ->
    "Finian Cunningham" when that is the site: a writer's name followed by the agency or site they write
    for. Only when two words are left."""
    stripped = _AGENCY_SUFFIX.sub("", name)
    for site in sites:
        suffix = " " + " ".join(site.split()) if site else ""
        if suffix.strip() and stripped.casefold().endswith(suffix.casefold()):
            stripped = stripped[: -len(suffix)]
    stripped = stripped.strip(" ,-|")
    return stripped if len(stripped.split()) >= 2 else name


def _first_last(name: str) -> str:
    """ "troy smith" for "Troy L. Smith": a middle name or initial does not make another person."""
    words = name.casefold().replace(".", " ").split()
    return f"{words[0]} {words[-1]}" if len(words) >= 2 else name.casefold()


# lower-case words a name may hold ("Ludwig van Beethoven", "Maria da Silva"); any other one is a sentence
_PARTICLES = {
    "van", "von", "de", "der", "den", "da", "das", "di", "del", "della", "dos", "do", "du", "le", "la", "les",
    "bin", "ibn", "al", "el", "ter", "ten", "y", "e", "zu", "af", "av", "st", "mc", "o",
}  # fmt: skip
_BARE_PREFIX = re.compile(_BY_PREFIX.pattern.removesuffix(r"\s*[:\-]?\s+") + r"\s*[:\-]?", re.IGNORECASE)


def _site_key(value: str) -> str:
    """Comparison key for a site name: "The Daily Example" and "Daily Example" are the same site."""
    return _norm(
        re.sub(r"^(?:the|la|le|les|el|los|die|der|das|il|lo|de|het)\s+", "", value.strip(), flags=re.I)
    )


def _is_name(name: str, site_name: str | None, host: str | None) -> bool:
    words = name.split()
    if not words or len(words) > 5 or len(name) > 60:
        return False
    if _BARE_PREFIX.fullmatch(name):  # "By" left alone by a byline split from its name
        return False
    if any(w.islower() and w.casefold() not in _PARTICLES for w in words):  # "Jane Doe is a reporter"
        return False
    if site_name and _site_key(site_name):
        key, site = _site_key(name), _site_key(site_name)
        if key == site or (site in key and _only_roles(_remove_site(name, site_name) or "staff")):
            return False  # "Daily Example", "The Daily Example Staff"
    if name.casefold() in _NOT_NAMES or (_ROLE_WORDS.search(name) and len(words) <= 3 and _only_roles(name)):
        return False
    if len(words) >= 2 and _ROLE_AT_END.search(name):  # "AP Sports Writer", "CNN Editor-at-large"
        return False
    if re.search(r"[\d@/]|https?:|www\.|\w\.[a-z]{2,}\b", name):  # "Cleveland.com" is a site
        return False
    if words[0].casefold() == "the" and not _AGENCY_SUFFIX.search(" " + name):  # "The Russian ..."
        return False
    if site_name and _norm(name) == _norm(site_name):
        return False
    if host and _norm(name) == _norm(_registered_name(host)):  # "CNN" on edition.cnn.com
        return False
    return bool(re.search(r"[A-ZÀ-ÖØ-Þ]", name))  # names are capitalised; "staff", "admin" are not


def _remove_site(name: str, site_name: str) -> str:
    words = [w for w in re.split(r"\s+", site_name.strip()) if w]
    out = name
    for w in words:
        out = re.sub(rf"(?<!\w){re.escape(w)}(?!\w)", " ", out, flags=re.IGNORECASE)
    return " ".join(out.split())


def _only_roles(name: str) -> bool:
    """True when every word is a role word (or a filler), i.e. the string names a job, not a person."""
    return all(
        _ROLE_WORDS.fullmatch(w) or w.casefold() in {"the", "de", "la", "der", "die"} for w in name.split()
    )
