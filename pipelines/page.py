"""Per-page processing: from fetched HTML to an article candidate or a dropped-page entry.

Everything here depends on one page only, so it can run in a worker process (see :mod:`pipelines.workers`):
decoding, extraction, page-level cleaning, the article/non-article decision and language detection. What needs
the other pages of a site (site-level boilerplate) or the store (deduplication) happens afterwards in
:mod:`pipelines.flow`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field

from pipelines.classify import (
    declared_og_type,
    listing_before_extraction,
    looks_like_feed,
    non_article_reason,
)
from pipelines.clean import clean
from pipelines.dedupfeatures import TextFeatures, text_features
from pipelines.extract import Extracted, extract_article
from pipelines.language import detect_language
from pipelines.records import Dropped, Page, Reason


@dataclass(slots=True)
class PageOptions:
    """The settings per-page processing needs (picklable, sent once to each worker)."""

    min_words: int = 50
    max_page_bytes: int = 8 * 1024 * 1024
    langdetect_chars: int = 600
    langdetect_seed: int = 0
    langdetect_trials: int = 3


@dataclass(slots=True)
class Candidate:
    """An extracted, page-cleaned article that still has to pass site cleaning, language and dedup."""

    page: Page  # with an empty body: the HTML is not shipped back from the worker
    extracted: Extracted
    language: str | None
    words: int
    extra: dict = field(default_factory=dict)
    #: Dedup features of ``extracted.text`` and the canonical URL, computed with the rest of the page's work
    #: (on all cores); the main process recomputes them only if site cleaning changes the text.
    features: TextFeatures | None = None


def word_count(text: str) -> int:
    return len(text.split())


def page_dropped(page: Page, reason: Reason, detail: str = "") -> Dropped:
    """The dropped-ledger entry of ``page``."""
    return Dropped(
        url=page.url, reason=reason, source=page.source, detail=detail, status=page.status,
        fetched_at=page.fetched_at,
    )  # fmt: skip


def _decode(page: Page) -> str | None:
    """The page as text; ``None`` when it is binary (NUL bytes or mostly undecodable)."""
    body = page.body
    if b"\x00" in body[:4096]:
        return None
    for encoding in (page.encoding, "utf-8"):
        if not encoding:
            continue
        try:
            return body.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    text = body.decode("utf-8", errors="replace")
    # A page in a wrong or undeclared single-byte encoding has a few replacement characters; binary has many.
    if text.count("\ufffd") > max(16, len(text) // 20):
        return None
    return body.decode("cp1252", errors="replace")


def process_page(page: Page, options: PageOptions) -> Candidate | Dropped:
    """Turn one fetched page into a :class:`Candidate` or the reason it will not be written."""
    if not page.body.strip():
        return page_dropped(page, Reason.EMPTY, "empty body")
    if len(page.body) > options.max_page_bytes:
        return page_dropped(page, Reason.TOO_LARGE, f"{len(page.body)} bytes")
    if looks_like_feed(page.body):
        return page_dropped(page, Reason.NOT_ARTICLE, "feed or sitemap")
    html = _decode(page)
    if html is None:
        return page_dropped(page, Reason.NOT_HTML, "binary content")
    og_type = declared_og_type(page.body)  # the page's og:type, read once for both article checks
    why_not = listing_before_extraction(page.url, page.body, og_type)
    if why_not:  # dropped after extraction too, whatever the text: no need to extract it
        return page_dropped(page, Reason.NOT_ARTICLE, why_not)
    try:
        extracted = extract_article(html, page.url)
    except Exception as exc:  # an extractor bug on one page must not stop the crawl
        return page_dropped(page, Reason.EXTRACTION_ERROR, f"{type(exc).__name__}: {exc}")
    if extracted is None:
        return page_dropped(page, Reason.EMPTY, "no article text found")
    extracted = clean(extracted, url=page.url, language=extracted.language_hint)
    words = word_count(extracted.text)
    published = extracted.published or page.hinted_published
    why_not = non_article_reason(
        page.url, page.body, og_type=og_type, words=words, has_date=published is not None,
        min_words=options.min_words,
    )  # fmt: skip
    if why_not:
        return page_dropped(page, Reason.NOT_ARTICLE, why_not)
    if words < options.min_words:
        return page_dropped(page, Reason.EMPTY, f"{words} words after cleaning")
    if extracted.published is None and page.hinted_published is not None:
        extracted.published = page.hinted_published
    language = detect_language(
        extracted.text, max_chars=options.langdetect_chars, seed=options.langdetect_seed,
        trials=options.langdetect_trials,
    )  # fmt: skip
    # Every field but the body (not needed downstream, costly to pickle); replace() keeps fields added later
    # (e.g. the HTTP validators the incremental crawl stores).
    shipped = dataclasses.replace(page, body=b"")
    features = text_features(extracted.text, url=page.url, declared=extracted.canonical_url)
    return Candidate(page=shipped, extracted=extracted, language=language, words=words, features=features)


def aware(value: dt.datetime | None) -> dt.datetime | None:
    """Treat naive datetimes as UTC, so every stored timestamp is comparable."""
    if value is None:
        return None
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)
