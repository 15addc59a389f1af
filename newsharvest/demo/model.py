"""The in-memory model of a generated demo site, shared by the planner (sitegen) and the renderer (pages)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime

from newsharvest.demo.corpus import Story

__all__ = ["Article", "Author", "Host", "SiteDef", "slugify"]


def slugify(text: str, limit: int = 80) -> str:
    """ASCII URL slug ("Überraschung in Köln" -> "uberraschung-in-koln"), cut at a word boundary."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0]
    return slug or "item"


@dataclass(frozen=True)
class SiteDef:
    """A news site's identity: its slug (folder name), display name, language and template style."""

    slug: str
    name: str
    lang: str
    style: str  # "wordpress" | "portal" | "clean"


@dataclass(frozen=True)
class Author:
    """A staff writer; the same first-person bio is printed under every one of their stories."""

    slug: str
    name: str
    bio: str


@dataclass(eq=False)
class Article:
    """One story page on one host, with its planned role in the truth (discovery route, duplicate, ...)."""

    host: int
    key: str
    story: Story
    authors: list[Author]
    byline: list[str]
    published: datetime
    modified: datetime
    path: str
    role: str = "normal"
    discovery: set[str] = field(default_factory=lambda: {"html", "feed", "sitemap"})
    edition: int = 1
    modified_in_edition: int | None = None
    agency: str | None = None
    duplicate_of: Article | None = None
    caption: str = ""
    credit: str = ""
    related: list[Article] = field(default_factory=list)
    prev: Article | None = None
    next: Article | None = None
    expected: str = "written"

    @property
    def linkable(self) -> bool:
        """Whether HTML pages (listings, related boxes, prev/next) may link to this article."""
        return "html" in self.discovery


@dataclass
class Host:
    """A generated site at one base URL, with its authors and articles (sorted oldest first)."""

    index: int
    site: SiteDef
    base_url: str
    authors: list[Author]
    articles: list[Article] = field(default_factory=list)
    per_page: int = 10

    def url(self, path: str) -> str:
        return self.base_url + path
