"""Article extraction: trafilatura's text and metadata from one HTML page.

This stage only extracts; cleaning what trafilatura leaves behind is :mod:`pipelines.clean`'s job.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import trafilatura
from trafilatura.settings import use_config

_CONFIG = use_config()
# Extraction must never depend on wall-clock limits or network: we pass bytes, and no timeout.
_CONFIG.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")


@dataclass(slots=True)
class Extracted:
    """What the extractor found on a page, before cleaning."""

    text: str
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published: dt.datetime | None = None
    site_name: str | None = None
    canonical_url: str | None = None
    description: str | None = None
    tags: list[str] = field(default_factory=list)
    page_type: str | None = None  # og:type / JSON-LD @type, used to tell articles from other pages
    language_hint: str | None = None  # <html lang>, when declared


def _parse_date(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.astimezone(dt.UTC)


def _split_list(value: str | list[str] | None, sep: str = ",") -> list[str]:
    """trafilatura gives some fields as a joined string and others as lists; we always want a list."""
    if not value:
        return []
    parts = value if isinstance(value, list) else value.split(sep)
    return [part.strip() for part in parts if part and part.strip()]


def extract(html: str | bytes, url: str | None = None, *, fast: bool = False) -> Extracted | None:
    """Extract the main text and metadata of ``html``; ``None`` when trafilatura finds no article text."""
    doc = trafilatura.bare_extraction(
        html,
        url=url,
        fast=fast,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        config=_CONFIG,
    )
    if doc is None or not (doc.text or "").strip():
        return None
    return Extracted(
        text=doc.text.strip(),
        title=doc.title,
        authors=_split_list(doc.author, ";"),
        published=_parse_date(doc.date),
        site_name=doc.sitename,
        canonical_url=doc.url,
        description=doc.description,
        tags=_split_list(doc.tags) + [c for c in _split_list(doc.categories) if c],
        page_type=doc.pagetype,
        language_hint=doc.language,
    )
