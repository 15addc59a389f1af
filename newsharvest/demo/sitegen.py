"""Deterministic generator of the bundled demo news sites, with a ground-truth file for tests and evals.

``generate_site(out_dir, ...)`` writes ``out_dir/<site-slug>/<path>`` static files for several news sites (one
per loopback base URL) and ``out_dir/truth.json``: for every URL, what it is and what the pipeline should do
with it when crawled with ``languages: [en]``. Same arguments give a byte-identical tree (file mtimes
included), so tests can diff runs; ``edition=2`` is the same site one run later (a few new articles, one
article materially changed, everything else byte-identical).

Article URLs are ``/<section>/<yyyy>/<mm>/<dd>/<slug>/``; everything else (``/``, ``/page/N/``,
``/<section>/``, ``/<section>/page/N/``, ``/tag/…``, ``/author/…``, ``/about/``, ``/contact/``,
``/search/?q=…``, feeds, sitemaps) is not an article.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import struct
import zlib
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import quote_plus
from xml.sax.saxutils import escape as xml_escape

from newsharvest.demo.corpus import (
    LANGUAGES,
    Event,
    Story,
    extra_paragraph,
    headline,
    make_event,
    write_story,
)
from newsharvest.demo.model import Article, Author, Host, SiteDef, slugify
from newsharvest.demo.pages import UI, PageKit, Rendered, author_for, esc, iso

__all__ = ["SITES", "HostTruth", "PageTruth", "SiteTruth", "generate_site", "loopback_base_urls"]

#: The site identities, in host order. Host i is served at 127.0.0.(i+1); the first three are English.
SITES: tuple[SiteDef, ...] = (
    SiteDef("meridian", "The Daily Meridian", "en", "wordpress"),
    SiteDef("ledger", "Harbor City Ledger", "en", "portal"),
    SiteDef("courier", "The Civic Courier", "en", "clean"),
    SiteDef("norden", "Norden Post", "de", "portal"),
    SiteDef("quotidien", "Le Quotidien du Plateau", "fr", "wordpress"),
    SiteDef("heraldo", "El Heraldo del Valle", "es", "clean"),
)
SECTIONS = ("world", "business", "politics", "science", "sport", "culture")
AGENCY = "Continental Press"
WIRE_REPORTERS = ("Mara Lindqvist", "Tobias Achterberg", "Grace Okonkwo")
PHOTO_CREDITS = ("Continental Press", "Kessler Images", "Staff photographer", "Reuters")
BASE_TIME = datetime(2024, 3, 4, 6, 0, tzinfo=UTC)
STEP = timedelta(hours=5)
BLOCK = 25  # roles that repeat (URL variants, wire copies, discovery-route-only articles) recur every BLOCK
EDITION2_NEW = {0: 2, 1: 1}  # host index -> articles added in edition 2
FEED_SIZE = 20
NEWS_SITEMAP_SIZE = 50
LISTING_CAP = 30  # tag and author pages list the newest LISTING_CAP articles
LONG_QUOTE = (
    "“We are asking people to accept disruption today for a network that will still be serving their"
    " grandchildren, and I understand that this is a difficult thing to ask of anyone who is already"
    " struggling with rising prices, longer journeys and public services that feel stretched to breaking"
    " point,” Helena Varga, the regional minister for infrastructure, told a conference in Westmere."
)
#: Roles by age (0 = newest edition-1 article of a host) within every block of BLOCK articles.
BLOCK_ROLES = {1: "section_only", 3: "variants", 6: "wire", 12: "feed_only", 13: "sitemap_only"}
DISCOVERY = {
    "section_only": {"html"},
    "feed_only": {"feed"},
    "sitemap_only": {"sitemap"},
}
ERROR_ROUTES = {
    "/_err/404": "http_error",
    "/_err/500": "http_error",
    "/_err/slow": "timeout",
    "/_err/loop": "redirect_loop",
    "/_err/binary": "not_article",
    "/_err/huge": "too_large",
    "/_err/wrong-charset": "not_article",
    "/_err/empty": "empty",
    "/world/2019/01/15/a-story-that-was-removed/": "http_error",
}


# ------------------------------------------------------------------------------------------------ truth
@dataclass
class PageTruth:
    """What one URL is and what the pipeline should do with it (``expected``) when crawling ``[en]``."""

    url: str
    host: str
    kind: str
    expected: str
    title: str | None = None
    text: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    modified: str | None = None
    language: str | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    boilerplate: list[str] = field(default_factory=list)
    duplicate_of: str | None = None
    discovery: list[str] = field(default_factory=list)
    role: str | None = None
    added_in_edition: int | None = None
    modified_in_edition: int | None = None


@dataclass
class HostTruth:
    """One generated site: where it is served, its folder under the output root and its discovery files."""

    slug: str
    name: str
    base_url: str
    language: str
    style: str
    dir: str
    feeds: list[str]
    sitemap: str
    robots: str


@dataclass
class SiteTruth:
    """The ground truth of a generated demo site (also written as ``truth.json``)."""

    seed: int
    edition: int
    articles_per_host: int
    hosts: list[HostTruth]
    pages: list[PageTruth]
    never_fetch: list[str]
    never_fetch_prefixes: list[str]
    broken_feeds: list[str]
    broken_sitemaps: list[str]

    def articles(self) -> list[PageTruth]:
        """Pages of kind ``article`` (originals; URL variants are kind ``article_variant``)."""
        return [p for p in self.pages if p.kind == "article"]

    def page(self, url: str) -> PageTruth:
        for page in self.pages:
            if page.url == url:
                return page
        raise KeyError(url)

    def base_urls(self) -> list[str]:
        return [h.base_url for h in self.hosts]

    def sources_yaml(self, languages: Sequence[str] | None = ("en",)) -> str:
        """A sources file for crawling these sites: each host's feeds, sitemap and home page.

        ``languages=None`` keeps every language (no ``languages:`` key)."""
        lines = [f"languages: [{', '.join(languages)}]"] if languages else []
        lines.append("sources:")
        for host in self.hosts:
            lines += [
                f"  - name: {host.slug}",
                f"    feeds: [{', '.join(host.feeds)}]",
                f"    sitemaps: [{host.sitemap}]",
                f"    start_urls: [{host.base_url}/]",
            ]
        return "\n".join(lines) + "\n"

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=1) + "\n"

    @classmethod
    def load(cls, path: Path) -> SiteTruth:
        """Read a ``truth.json`` (the file or the folder holding it)."""
        path = path / "truth.json" if path.is_dir() else path
        data = json.loads(path.read_text(encoding="utf-8"))
        data["hosts"] = [HostTruth(**h) for h in data["hosts"]]
        data["pages"] = [PageTruth(**p) for p in data["pages"]]
        return cls(**data)


# --------------------------------------------------------------------------------------------- planning
def loopback_base_urls(hosts: int, port: int) -> list[str]:
    """``http://127.0.0.1:PORT``, ``http://127.0.0.2:PORT``, … one loopback address per host."""
    return [f"http://127.0.0.{i + 1}:{port}" for i in range(hosts)]


def site_defs(hosts: int) -> list[SiteDef]:
    """The first ``hosts`` site identities; beyond six they repeat with a number ("Norden Post 2")."""
    defs = []
    for i in range(hosts):
        base = SITES[i % len(SITES)]
        lap = i // len(SITES)
        defs.append(
            base
            if lap == 0
            else SiteDef(f"{base.slug}{lap + 1}", f"{base.name} {lap + 1}", base.lang, base.style)
        )
    return defs


def _rng(seed: int, *parts: object) -> random.Random:
    """A generator derived from the seed and a stable key: one page's content never depends on another's."""
    return random.Random(":".join(map(str, (seed, *parts))))


def _authors(site: SiteDef, seed: int) -> list[Author]:
    rng = _rng(seed, site.slug, "authors")
    lang = LANGUAGES[site.lang]
    authors: list[Author] = []
    while len(authors) < 5:
        first = rng.choice(lang.first_names).split(":")[0]
        name = f"{first} {rng.choice(lang.last_names)}"
        if all(a.name != name for a in authors):
            authors.append(author_for(site.lang, rng, site.name, name, rng.choice(lang.places)))
    return authors


class Planner:
    """Builds the article model of all hosts: stories, roles, dates, URLs and cross-host special cases."""

    def __init__(self, defs: list[SiteDef], base_urls: Sequence[str], seed: int, per_host: int, edition: int):
        self.seed = seed
        self.n = per_host
        self.edition = edition
        self.hosts = [
            Host(i, d, base_urls[i].rstrip("/"), _authors(d, seed), per_page=max(3, min(10, per_host // 5)))
            for i, d in enumerate(defs)
        ]
        self.seen_paragraphs: set[str] = {LONG_QUOTE}
        self.seen_titles: set[str] = set()
        self.paths: set[tuple[int, str]] = set()
        self.events: dict[str, Event] = {}
        self.by_key: dict[str, Article] = {}

    # ------------------------------------------------------------------------------------ roles
    def _partner(self, host: int, *, same_lang: bool = True) -> int | None:
        """The next host after ``host`` (wrapping) in the same language, for cross-host special cases."""
        lang = self.hosts[host].site.lang
        for step in range(1, len(self.hosts)):
            other = (host + step) % len(self.hosts)
            if not same_lang or self.hosts[other].site.lang == lang:
                return other
        return None

    def once_roles(self) -> dict[tuple[int, int], str]:
        """Special cases planned once per site (host, age): hard negatives, a foreign article, a change."""
        roles: dict[tuple[int, int], str] = {}
        if self.n < 15 or self.hosts[0].site.lang != "en":
            return roles
        roles[(0, 4)] = "event_a"
        roles[(0, 8)] = "quote_a"
        roles[(0, 10)] = "foreign_de"
        roles[(0, 11)] = "changed"
        partner = self._partner(0)
        event_host = self._partner(partner) if partner is not None else None
        if event_host in (None, 0):
            event_host = partner
        roles[(event_host, 4) if event_host is not None else (0, 9)] = "event_b"
        roles[(partner, 8) if partner is not None else (0, 9 if event_host is not None else 14)] = "quote_b"
        if len(self.hosts) > 1 and self.hosts[1].site.lang == "en":
            roles[(1, 10)] = "foreign_fr"
        return roles

    def role(self, host: int, age: int, once: dict[tuple[int, int], str]) -> str:
        if (host, age) in once:
            return once[(host, age)]
        role = BLOCK_ROLES.get(age % BLOCK, "normal")
        if role == "wire" and self._partner(host) is None:
            return "normal"
        return role

    # ------------------------------------------------------------------------------------ articles
    def published(self, host: int, index: int, rng: random.Random) -> datetime:
        return BASE_TIME + index * STEP + timedelta(minutes=17 * host + rng.randrange(0, 50))

    def _article(
        self,
        host: Host,
        key: str,
        story: Story,
        rng: random.Random,
        published: datetime,
        role: str,
        *,
        byline: list[str] | None = None,
        agency: str | None = None,
    ) -> Article:
        """Wrap a story into an Article: authors, dates, URL, caption, discovery routes."""
        staff = rng.sample(host.authors, 2 if rng.random() < 0.15 else 1)
        authors = [] if byline else staff
        section_slug = UI[host.site.lang]["sections"][story.section][0]  # type: ignore[index]
        path = f"/{section_slug}/{published:%Y/%m/%d}/{slugify(story.title)}/"
        while (host.index, path) in self.paths:
            path = path[:-1] + "-2/"
        self.paths.add((host.index, path))
        captions = UI[host.site.lang]["captions"]
        article = Article(
            host=host.index,
            key=key,
            story=story,
            authors=authors,
            byline=byline or [a.name for a in staff],
            published=published,
            modified=published + timedelta(minutes=rng.randrange(20, 1800)),
            path=path,
            role=role,
            discovery=set(DISCOVERY.get(role, {"html", "feed", "sitemap"})),
            agency=agency,
            caption=rng.choice(captions).format(place=story.tags[-1]),  # type: ignore[arg-type]
            credit=rng.choice(PHOTO_CREDITS),
        )
        self.by_key[key] = article
        host.articles.append(article)
        return article

    def _story(
        self, lang: str, rng: random.Random, event: Event, dateline: str, exclude: set[str] | None = None
    ) -> Story:
        return write_story(
            LANGUAGES[lang],
            rng,
            event,
            dateline=dateline,
            seen_paragraphs=self.seen_paragraphs,
            seen_titles=self.seen_titles,
            exclude=exclude,
        )

    def original(self, host: Host, index: int, role: str) -> None:
        """An article written for this host (every role except the ones depending on another article)."""
        key = f"{host.site.slug}/{index}"
        rng = _rng(self.seed, key)
        lang = {"foreign_de": "de", "foreign_fr": "fr"}.get(role, host.site.lang)
        event = make_event(LANGUAGES[lang], rng)
        self.events[key] = event
        byline, agency, dateline = None, None, f"{event.place.upper()} —"
        if role == "wire":
            byline, agency = [rng.choice(WIRE_REPORTERS)], AGENCY
            dateline = f"{event.place.upper()} ({AGENCY}) —"
        story = self._story(lang, rng, event, dateline)
        if role == "quote_a":
            story.blocks.insert(3, ("p", LONG_QUOTE))
        published = self.published(host.index, index, rng)
        self._article(host, key, story, rng, published, role, byline=byline, agency=agency)

    def dependent(self, host: Host, index: int, role: str, partners: dict[str, str]) -> None:
        """The second story of a hard-negative pair: same event (different text) or the shared long quote."""
        key = f"{host.site.slug}/{index}"
        rng = _rng(self.seed, key)
        lang = LANGUAGES[host.site.lang]
        if role == "event_b":
            first = self.by_key[partners["event_a"]]
            event = self.events[first.key]
            story = self._story(
                host.site.lang, rng, event, f"{event.place.upper()} —", exclude=first.story.used
            )
        else:
            event = make_event(lang, rng)
            story = self._story(host.site.lang, rng, event, f"{event.place.upper()} —")
            story.blocks.insert(4, ("p", LONG_QUOTE))
        self.events[key] = event
        self._article(host, key, story, rng, self.published(host.index, index, rng), role)

    def wire_copy(self, original: Article, target: Host) -> None:
        """A syndicated near-copy: new headline, dated dateline, agency byline, one paragraph more or less."""
        key = f"{target.site.slug}/copy-of-{original.key}"
        rng = _rng(self.seed, key)
        event = self.events[original.key]
        lang = LANGUAGES[target.site.lang]
        blocks = list(original.story.blocks)
        first = blocks[0][1].split(" — ", 1)[1]
        month = lang.months[original.published.month - 1]
        blocks[0] = ("p", f"{event.place.upper()}, {month} {original.published.day} ({AGENCY}) — {first}")
        if len(target.articles) % 2 == 0:
            blocks = blocks[:-1]
        else:
            blocks.append(("p", extra_paragraph(lang, event, rng, self.seen_paragraphs)))
        story = Story(
            original.story.lang,
            original.story.topic,
            original.story.section,
            headline(lang, event, rng, self.seen_titles),
            blocks,
            list(original.story.tags),
        )
        published = original.published + timedelta(hours=2, minutes=rng.randrange(0, 50))
        copy = self._article(
            target, key, story, rng, published, "wire_copy", byline=original.byline, agency=AGENCY
        )
        copy.duplicate_of = original

    def plan(self) -> list[Host]:
        """Plan every host: originals, then dependent hard negatives and wire copies, then edition 2."""
        once = self.once_roles()
        dependents: list[tuple[Host, int, str]] = []
        for host in self.hosts:
            for index in range(self.n):
                role = self.role(host.index, self.n - 1 - index, once)
                if role in ("event_b", "quote_b"):
                    dependents.append((host, index, role))
                else:
                    self.original(host, index, role)
        partners = {a.role: a.key for h in self.hosts for a in h.articles if a.role in ("event_a", "quote_a")}
        for host, index, role in dependents:
            self.dependent(host, index, role, partners)
        for host in self.hosts:
            for article in [a for a in host.articles if a.role == "wire"]:
                target = self._partner(host.index)
                assert target is not None
                self.wire_copy(article, self.hosts[target])
        if self.edition >= 2:
            self.second_edition()
        for host in self.hosts:
            host.articles.sort(key=lambda a: (a.published, a.key))
        self.expectations()
        self.links()
        return self.hosts

    def second_edition(self) -> None:
        """One run later: new articles on the first hosts and one article materially changed."""
        for host_index, count in EDITION2_NEW.items():
            if host_index >= len(self.hosts):
                continue
            host = self.hosts[host_index]
            for k in range(count):
                index = self.n + k
                before = len(host.articles)
                self.original(host, index, "normal")
                host.articles[before].edition = 2
        changed = [a for h in self.hosts for a in h.articles if a.role == "changed"]
        for article in changed:
            rng = _rng(self.seed, article.key, "update")
            lang = LANGUAGES[article.story.lang]
            update = extra_paragraph(
                lang, self.events[article.key], rng, self.seen_paragraphs, ("figures", "reaction")
            )
            article.story.blocks.insert(len(article.story.blocks) - 1, ("p", update))
            article.modified = BASE_TIME + (self.n + 3) * STEP + timedelta(minutes=rng.randrange(0, 50))
            article.modified_in_edition = 2

    def expectations(self) -> None:
        for host in self.hosts:
            for article in host.articles:
                if article.story.lang != "en":
                    article.expected = "language"
                elif article.duplicate_of is not None:
                    article.expected = "duplicate"

    def links(self) -> None:
        """Related boxes and previous/next links, from edition-1 articles only, so edition 2 keeps them."""
        for host in self.hosts:
            pool = [a for a in host.articles if a.linkable and a.edition == 1]
            positions = {article: i for i, article in enumerate(pool)}
            for article in host.articles:
                rng = _rng(self.seed, article.key, "related")
                picks = rng.sample(pool, min(4, len(pool)))
                article.related = [a for a in picks if a is not article][:3]
                position = positions.get(article)
                if position is not None:
                    article.prev = pool[position - 1] if position > 0 else None
                    article.next = pool[position + 1] if position + 1 < len(pool) else None
                elif pool:
                    article.prev = pool[-1]


# ------------------------------------------------------------------------------------------------ padding
class Padder:
    """Pads pages to a target size with realistic markup: ad-config JSON, CSS, scripts, hidden mega menus."""

    def __init__(self, host: Host, seed: int, min_kb: int | None, max_kb: int | None) -> None:
        self.min_kb, self.max_kb = min_kb, max_kb
        self.chunks = self._pool(host, _rng(seed, host.site.slug, "padding")) if min_kb or max_kb else []

    @staticmethod
    def _pool(host: Host, rng: random.Random) -> list[tuple[str, str]]:
        """(where, markup) chunks shared by a host's pages, the way a real theme repeats its assets."""
        pool: list[tuple[str, str]] = []
        sections = [UI[host.site.lang]["sections"][s][0] for s in SECTIONS]  # type: ignore[index]
        for k in range(24):
            kind = k % 4
            if kind == 0:
                slots = [
                    {
                        "id": f"div-gpt-ad-{k}-{j}",
                        "sizes": [[300, 250], [728, 90], [320, 50]],
                        "targeting": {"pos": j, "sect": rng.choice(sections), "kv": rng.randbytes(6).hex()},
                    }
                    for j in range(30)
                ]
                pool.append(
                    (
                        "head",
                        f'<script type="application/json" id="ad-config-{k}">'
                        f"{json.dumps({'slots': slots})}</script>\n",
                    )
                )
            elif kind == 1:
                rules = "".join(
                    f".tdb-{k}-{j} .entry-title{{margin:0 0 {rng.randrange(4, 40)}px;"
                    f"font-size:{rng.randrange(11, 48)}px;"
                    f"line-height:1.{rng.randrange(1, 9)}}}"
                    for j in range(70)
                )
                pool.append(("head", f'<style id="tdb-css-{k}">{rules}</style>\n'))
            elif kind == 2:
                items = "".join(
                    f'<li class="menu-item"><a href="{host.url(f"/{rng.choice(sections)}/")}#m{k}-{j}">'
                    f"Menu {k}.{j}</a></li>"
                    for j in range(45)
                )
                pool.append(
                    ("tail", f'<div class="mega-menu" hidden><ul class="sub-menu">{items}</ul></div>\n')
                )
            else:
                numbers = ",".join(str(rng.randrange(0, 99999)) for _ in range(700))
                pool.append(("tail", f"<script>!function(w){{w.__tdb_{k}=[{numbers}]}}(window);</script>\n"))
        return pool

    def apply(self, page: str, rng: random.Random) -> str:
        """Replace the padding markers, filling up to a size drawn between min_kb and max_kb."""
        if not self.chunks:
            return page.replace("<!--PAD:HEAD-->\n", "").replace("<!--PAD:TAIL-->\n", "")
        low = (self.min_kb or self.max_kb or 0) * 1024
        high = (self.max_kb or self.min_kb or 0) * 1024
        target = rng.randrange(low, max(low, high) + 1)
        deficit = target - len(page.encode("utf-8")) + len("<!--PAD:HEAD-->\n<!--PAD:TAIL-->\n")
        head: list[str] = []
        tail: list[str] = []
        order = rng.sample(self.chunks, len(self.chunks))
        while order and deficit > len(order[-1][1]) + 64:
            where, chunk = order.pop()
            (head if where == "head" else tail).append(chunk)
            deficit -= len(chunk)
        prefix = f"<!-- cache-node web-{rng.randrange(1, 9)} "
        filler = deficit - len(prefix) - len(" -->\n")
        if filler > 0:
            tail.append(f"{prefix}{rng.randbytes(filler // 2 + 1).hex()[:filler]} -->\n")
        return page.replace("<!--PAD:HEAD-->\n", "".join(head)).replace("<!--PAD:TAIL-->\n", "".join(tail))


# ------------------------------------------------------------------------------------------- feeds & co
def _rfc822(moment: datetime) -> str:
    return format_datetime(moment, usegmt=True)


def rss(host: Host, items: list[Article]) -> str:
    site = host.site
    entries = "".join(
        f"<item><title>{xml_escape(a.story.title)}</title><link>{host.url(a.path)}</link>"
        f'<guid isPermaLink="true">{host.url(a.path)}</guid><pubDate>{_rfc822(a.published)}</pubDate>'
        f"<dc:creator>{xml_escape(', '.join(a.byline))}</dc:creator>"
        + "".join(f"<category>{xml_escape(t)}</category>" for t in a.story.tags)
        + f"<description>{xml_escape(a.story.teaser)}</description></item>\n"
        for a in items
    )
    built = max((a.modified for a in items), default=BASE_TIME)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
<title>{xml_escape(site.name)}</title>
<link>{host.url("/")}</link>
<description>{xml_escape(site.name)}</description>
<language>{site.lang}</language>
<lastBuildDate>{_rfc822(built)}</lastBuildDate>
<atom:link href="{host.url("/feed.xml")}" rel="self" type="application/rss+xml"/>
{entries}</channel>
</rss>
"""


def atom(host: Host, items: list[Article]) -> str:
    entries = "".join(
        f'<entry><title>{xml_escape(a.story.title)}</title><link rel="alternate" href="{host.url(a.path)}"/>'
        f"<id>{host.url(a.path)}</id><published>{iso(a.published)}</published><updated>{iso(a.modified)}</updated>"
        + "".join(f"<author><name>{xml_escape(name)}</name></author>" for name in a.byline)
        + f"<summary>{xml_escape(a.story.teaser)}</summary></entry>\n"
        for a in items
    )
    updated = max((a.modified for a in items), default=BASE_TIME)
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{host.site.lang}">
<title>{xml_escape(host.site.name)}</title>
<link href="{host.url("/")}"/>
<link rel="self" href="{host.url("/atom.xml")}"/>
<id>{host.url("/")}</id>
<updated>{iso(updated)}</updated>
{entries}</feed>
"""


def urlset(urls: list[tuple[str, datetime | None]]) -> str:
    rows = "".join(
        f"<url><loc>{xml_escape(u)}</loc>" + (f"<lastmod>{iso(m)}</lastmod>" if m else "") + "</url>\n"
        for u, m in urls
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{rows}</urlset>\n'
    )


def news_sitemap(host: Host, items: list[Article]) -> str:
    rows = "".join(
        f"<url><loc>{host.url(a.path)}</loc><news:news><news:publication><news:name>{xml_escape(host.site.name)}"
        f"</news:name><news:language>{a.story.lang}</news:language></news:publication>"
        f"<news:publication_date>{iso(a.published)}</news:publication_date>"
        f"<news:title>{xml_escape(a.story.title)}</news:title></news:news></url>\n"
        for a in items
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
        f' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n{rows}</urlset>\n'
    )


def sitemap_index(children: list[tuple[str, datetime]]) -> str:
    rows = "".join(f"<sitemap><loc>{u}</loc><lastmod>{iso(m)}</lastmod></sitemap>\n" for u, m in children)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{rows}</sitemapindex>\n'
    )


def robots(host: Host) -> str:
    return (
        "User-agent: *\nDisallow: /wp-admin/\nDisallow: /private/\nAllow: /wp-admin/admin-ajax.php\n\n"
        f"Sitemap: {host.url('/sitemap.xml')}\n"
    )


def _pdf() -> bytes:
    """A minimal, valid one-page PDF (a non-HTML file linked from a section front)."""
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )


def _png() -> bytes:
    """A valid 8x8 grey PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\x80" * 8 for _ in range(8))
    header = struct.pack(">IIBBBBB", 8, 8, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


# ------------------------------------------------------------------------------------------------ render
_OFFSITE = re.compile(r'href="(https?://[^"]+)"')


class SiteWriter:
    """Renders all pages of all hosts into files (path -> bytes, mtime) and the matching truth entries."""

    def __init__(
        self, out_dir: Path, hosts: list[Host], seed: int, min_kb: int | None, max_kb: int | None
    ) -> None:
        self.out_dir = out_dir
        self.made: set[Path] = set()
        self.hosts = hosts
        self.seed = seed
        self.min_kb, self.max_kb = min_kb, max_kb
        self.pages: list[PageTruth] = []
        self.never_fetch: set[str] = set()
        self.bases = tuple(h.base_url for h in hosts)
        self.broken_feeds: list[str] = []
        self.broken_sitemaps: list[str] = []

    def put(self, host: Host, path: str, content: str | bytes, mtime: datetime) -> None:
        """Write one file at once (a large site does not fit in memory), its mtime set from its content."""
        file_path = path + "index.html" if path.endswith("/") else path
        target = self.out_dir / host.site.slug / file_path.lstrip("/")
        if target.parent not in self.made:
            target.parent.mkdir(parents=True, exist_ok=True)
            self.made.add(target.parent)
        target.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        stamp = mtime.timestamp()
        os.utime(target, (stamp, stamp))

    def html(
        self, host: Host, padder: Padder, path: str, rendered: Rendered, mtime: datetime, key: str = ""
    ) -> None:
        for url in _OFFSITE.findall(rendered.html):
            if not url.startswith(self.bases):
                self.never_fetch.add(url.replace("&amp;", "&"))
        self.put(
            host, path, padder.apply(rendered.html, _rng(self.seed, host.site.slug, path, key, "pad")), mtime
        )

    def truth(self, host: Host, path: str, kind: str, expected: str, **fields: object) -> None:
        self.pages.append(
            PageTruth(url=host.url(path), host=host.site.slug, kind=kind, expected=expected, **fields)
        )  # type: ignore[arg-type]

    def article_truth(
        self, host: Host, article: Article, path: str, kind: str, boilerplate: list[str], **extra: object
    ) -> None:
        story = article.story
        text = story.text
        self.truth(
            host,
            path,
            kind,
            extra.pop("expected", article.expected),  # type: ignore[arg-type]
            title=story.title,
            text=text,
            authors=list(article.byline),
            published=iso(article.published),
            modified=iso(article.modified),
            language=story.lang,
            section=story.section,
            tags=list(story.tags),
            boilerplate=[b for b in dict.fromkeys(boilerplate) if b and b not in text],
            discovery=sorted(article.discovery),
            role=article.role,
            added_in_edition=article.edition,
            modified_in_edition=article.modified_in_edition,
            **extra,
        )

    # ------------------------------------------------------------------------------------ per host
    def write_host(self, host: Host) -> None:
        kit = PageKit(host, broken_feed=host.url("/comments/feed.xml") if host.index == 0 else None)
        padder = Padder(host, self.seed, self.min_kb, self.max_kb)
        self.feeds_and_sitemaps(host)
        for article in host.articles:
            self.write_article(host, kit, padder, article)
        linkable = sorted(
            (a for a in host.articles if a.linkable), key=lambda a: (a.published, a.key), reverse=True
        )
        self.home(host, kit, padder, linkable)
        self.sections(host, kit, padder, linkable)
        self.tags_and_authors(host, kit, padder, linkable)
        self.static_pages(host, kit, padder, linkable)
        if host.index == 0:
            self.host0_extras(host, kit, padder)

    def write_article(self, host: Host, kit: PageKit, padder: Padder, article: Article) -> None:
        rendered = kit.article(article, _rng(self.seed, article.key, "render"))
        if article.role == "variants":
            link = f'<a href="{host.url(article.path)}?print=1">{esc(kit.t("print"))}</a>'
            tools = f'<p class="tools">{link}</p></main>'
            rendered.html = rendered.html.replace("</main>", tools, 1)
        self.html(host, padder, article.path, rendered, article.modified)
        duplicate_of = host_url_of(self.hosts, article.duplicate_of)
        self.article_truth(
            host, article, article.path, "article", rendered.boilerplate, duplicate_of=duplicate_of
        )
        if article.role != "variants":
            return
        main_url = host.url(article.path)
        utm = f"{article.path}?utm_source=twitter&utm_medium=social"
        self.article_truth(
            host,
            article,
            utm,
            "article_variant",
            rendered.boilerplate,
            duplicate_of=main_url,
            expected="duplicate",
        )
        amp = kit.amp(article)
        self.html(host, padder, article.path + "amp/", amp, article.modified)
        self.article_truth(
            host,
            article,
            article.path + "amp/",
            "article_variant",
            amp.boilerplate,
            duplicate_of=main_url,
            expected="duplicate",
        )
        printed = kit.print_version(article)
        self.html(host, padder, article.path + "index.print.html", printed, article.modified)
        self.article_truth(
            host,
            article,
            article.path + "?print=1",
            "article_variant",
            printed.boilerplate,
            duplicate_of=main_url,
            expected="duplicate",
        )

    def _paged(
        self,
        host: Host,
        kit: PageKit,
        padder: Padder,
        base: str,
        title: str,
        items: list[Article],
        kind: str,
        extra: str = "",
    ) -> None:
        """A paginated listing: ``base``, ``base + page/2/``, … ``per_page`` teasers each."""
        per = host.per_page
        pages = max(1, -(-len(items) // per))
        for number in range(1, pages + 1):
            path = base if number == 1 else f"{base}page/{number}/"
            chunk = items[(number - 1) * per : number * per]
            prev_path = None if number == 1 else (base if number == 2 else f"{base}page/{number - 1}/")
            next_path = f"{base}page/{number + 1}/" if number < pages else None
            page_title = title if number == 1 else f"{title} \u2013 {kit.t('page', n=number)}"
            rendered = kit.listing(
                title=page_title,
                path=path,
                items=chunk,
                prev_path=prev_path,
                next_path=next_path,
                extra=extra if number == 1 else "",
            )
            self.html(host, padder, path, rendered, _newest(chunk))
            self.truth(host, path, kind, "not_article")

    def home(self, host: Host, kit: PageKit, padder: Padder, linkable: list[Article]) -> None:
        extra = ""
        variants = [a for a in host.articles if a.role == "variants"]
        if variants:
            links = "".join(
                f'<li><a href="{host.url(a.path)}?utm_source=twitter&amp;utm_medium=social">'
                f"{esc(a.story.title)}</a>"
                f' <a href="{host.url(a.path)}amp/">{esc(kit.t("lite"))}</a></li>'
                for a in variants
            )
            extra += (
                f'<section class="most-shared"><h2>{esc(kit.t("most_shared"))}</h2><ul>{links}</ul></section>'
            )
        place = (linkable[-1].story.tags[-1]) if linkable else "news"
        search = host.url("/search/?q=" + quote_plus(place))
        extra += f'<p class="popular-searches"><a href="{search}">{esc(place)}</a></p>'
        if host.index == 0:
            links = "".join(
                f'<li><a href="{host.url(p)}">{esc(kit.t("archive"))} {i + 1}</a></li>'
                for i, p in enumerate(ERROR_ROUTES)
            )
            extra += f'<section class="archive"><h2>{esc(kit.t("archive"))}</h2><ul>{links}</ul></section>'
        self._paged(host, kit, padder, "/", kit.t("latest"), linkable, "home", extra)

    def sections(self, host: Host, kit: PageKit, padder: Padder, linkable: list[Article]) -> None:
        for number, key in enumerate(SECTIONS):
            slug, label = kit.section(key)
            items = [a for a in linkable if a.story.section == key]
            extra = ""
            if host.index == 0 and number == 0:
                docs = [
                    ("/files/annual-report-2023.pdf", "Annual report 2023 (PDF)"),
                    ("/images/newsroom-map.png", "Newsroom map"),
                    (BROKEN_PATH, "Council meeting: live notes"),
                    (EMPTY_PATH, "Harbour festival programme"),
                ]
                links = "".join(f'<li><a href="{host.url(p)}">{esc(t)}</a></li>' for p, t in docs)
                extra = (
                    f'<section class="documents"><h2>{esc(kit.t("documents"))}</h2><ul>{links}</ul></section>'
                )
            self._paged(host, kit, padder, f"/{slug}/", label, items, "section", extra)

    def tags_and_authors(self, host: Host, kit: PageKit, padder: Padder, linkable: list[Article]) -> None:
        # Every tag any article shows gets a page (listing HTML-discoverable articles only): no tag link 404s.
        names: dict[str, str] = {}
        for article in sorted(host.articles, key=lambda a: (a.published, a.key)):
            for tag in article.story.tags:
                names.setdefault(slugify(tag), tag)
        tagged: dict[str, list[Article]] = {slug: [] for slug in names}
        for article in linkable:
            for tag in article.story.tags:
                tagged[slugify(tag)].append(article)
        for slug in sorted(names):
            path = f"/tag/{slug}/"
            items = tagged[slug][:LISTING_CAP]
            rendered = kit.listing(title=kit.t("tag", tag=names[slug]), path=path, items=items)
            self.html(host, padder, path, rendered, _newest(items))
            self.truth(host, path, "tag", "not_article")
        for author in host.authors:
            items = [a for a in linkable if author in a.authors][:LISTING_CAP]
            path = f"/author/{author.slug}/"
            intro = f'<div class="author-bio"><p>{esc(author.bio)}</p></div>'
            rendered = kit.listing(
                title=kit.t("author_page", name=author.name), path=path, items=items, intro=intro
            )
            self.html(host, padder, path, rendered, _newest(items))
            self.truth(host, path, "author", "not_article")

    def static_pages(self, host: Host, kit: PageKit, padder: Padder, linkable: list[Article]) -> None:
        about = [p.format(site=host.site.name, year=1990 + host.index) for p in kit.ui["about_text"]]  # type: ignore[attr-defined]
        staff = f'<p><a href="{host.url("/private/staff-directory/")}">{esc(kit.t("staff"))}</a></p>'
        for path, title, paragraphs, extra, kind in (
            ("/about/", kit.t("about"), about, staff, "about"),
            ("/contact/", kit.t("contact"), list(kit.ui["contact_text"]), "", "contact"),  # type: ignore[arg-type]
            ("/private/staff-directory/", kit.t("staff"), [a.name for a in host.authors], "", "private"),
            ("/wp-admin/", kit.t("login"), [kit.t("login")], "", "private"),
        ):
            self.html(
                host,
                padder,
                path,
                kit.text_page(title=title, path=path, paragraphs=paragraphs, extra=extra),
                BASE_TIME,
            )
            if kind == "private":
                self.never_fetch.add(host.url(path))
                self.truth(host, path, kind, "robots")
            else:
                self.truth(host, path, kind, "not_article")
        place = linkable[-1].story.tags[-1] if linkable else "news"
        items = [a for a in linkable if place in a.story.tags][:10]
        rendered = kit.listing(title=kit.t("search_results", q=place), path="/search/", items=items)
        self.html(host, padder, "/search/", rendered, _newest(items))
        self.truth(host, "/search/?q=" + quote_plus(place), "search", "not_article")

    def feeds_and_sitemaps(self, host: Host) -> None:
        articles = host.articles
        feedable = [a for a in articles if "feed" in a.discovery and a.role != "feed_only"][-FEED_SIZE:]
        in_feed = sorted(
            {*feedable, *(a for a in articles if a.role == "feed_only")},
            key=lambda a: (a.published, a.key),
            reverse=True,
        )
        for article in articles:
            if "feed" in article.discovery and article not in in_feed:
                article.discovery.discard("feed")
        newest = _newest(in_feed)
        self.put(host, "/feed.xml", rss(host, in_feed), newest)
        self.put(host, "/atom.xml", atom(host, in_feed), newest)
        in_sitemap = [a for a in articles if "sitemap" in a.discovery]
        newest_sm = _newest(in_sitemap)
        self.put(
            host,
            "/sitemap-articles.xml",
            urlset([(host.url(a.path), a.modified) for a in in_sitemap]),
            newest_sm,
        )
        news = sorted(in_sitemap, key=lambda a: (a.published, a.key), reverse=True)[:NEWS_SITEMAP_SIZE]
        self.put(host, "/sitemap-news.xml", news_sitemap(host, news), newest_sm)
        static = ["/", "/about/", "/contact/"]
        self.put(host, "/sitemap-pages.xml", urlset([(host.url(p), None) for p in static]), BASE_TIME)
        children = [
            ("/sitemap-articles.xml", newest_sm),
            ("/sitemap-news.xml", newest_sm),
            ("/sitemap-pages.xml", BASE_TIME),
        ]
        if host.index == 0:
            children.append(("/sitemap-archive.xml", BASE_TIME))
        self.put(host, "/sitemap.xml", sitemap_index([(host.url(p), m) for p, m in children]), newest_sm)
        self.put(host, "/robots.txt", robots(host), BASE_TIME)
        for path, kind in (("/feed.xml", "feed"), ("/atom.xml", "feed"), ("/robots.txt", "robots")):
            self.truth(host, path, kind, "discovery")
        for path, _ in children:
            if path != "/sitemap-archive.xml":
                self.truth(host, path, "sitemap", "discovery")
        self.truth(host, "/sitemap.xml", "sitemap", "discovery")

    def host0_extras(self, host: Host, kit: PageKit, padder: Padder) -> None:
        """Broken and odd resources, all on the first host: they test robustness, not extraction."""
        self.put(host, "/files/annual-report-2023.pdf", _pdf(), BASE_TIME)
        self.truth(host, "/files/annual-report-2023.pdf", "file", "not_html")
        self.put(host, "/images/newsroom-map.png", _png(), BASE_TIME)
        self.truth(host, "/images/newsroom-map.png", "file", "not_html")
        self.put(host, EMPTY_PATH, b"", BASE_TIME)
        self.truth(host, EMPTY_PATH, "empty", "empty")
        self.put(host, BROKEN_PATH, _broken_page(host, kit, self.seed), BASE_TIME)
        self.truth(host, BROKEN_PATH, "broken", "empty")
        first = host.articles[0] if host.articles else None
        item = (
            f"<item><title>Re: {xml_escape(first.story.title)}</title><link>{host.url(first.path)}</link>"
            if first
            else ""
        )
        broken_feed = (
            '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>Comments &nbsp; on'
            f" {xml_escape(host.site.name)}</title>\n{item}"
            "<description>Great piece <b>really</description>\n<item><title>"
        )
        self.put(host, "/comments/feed.xml", broken_feed, BASE_TIME)
        self.truth(host, "/comments/feed.xml", "feed", "discovery", role="broken")
        self.broken_feeds.append(host.url("/comments/feed.xml"))
        broken_sitemap = (
            '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"<url><loc>{host.url('/about/')}</loc><lastmod>2024-13-45</lastmod></url>\n<url><loc>"
            + host.url("/cont")
        )
        self.put(host, "/sitemap-archive.xml", broken_sitemap, BASE_TIME)
        self.truth(host, "/sitemap-archive.xml", "sitemap", "discovery", role="broken")
        self.broken_sitemaps.append(host.url("/sitemap-archive.xml"))
        for path, expected in ERROR_ROUTES.items():
            self.truth(host, path, "error_route", expected)


BROKEN_PATH = "/politics/2024/03/05/council-meeting-live-notes/"
EMPTY_PATH = "/business/2024/03/06/harbour-festival-programme/"


def _broken_page(host: Host, kit: PageKit, seed: int) -> bytes:
    """An article page cut off right after its headline, the way a failed upstream write leaves it."""
    rng = _rng(seed, host.site.slug, "broken")
    lang = LANGUAGES[host.site.lang]
    event = make_event(lang, rng)
    story = write_story(lang, rng, event, dateline="—", seen_paragraphs=set(), seen_titles=set())
    title = "Council meeting: live notes"
    page = (
        f'<!DOCTYPE html>\n<html lang="{host.site.lang}"><head><meta charset="utf-8"><title>{esc(title)} | '
        f'{esc(host.site.name)}</title><meta property="og:type" content="article">\n'
        "</head><body><main><article>"
        f"<h1>{esc(title)}</h1><p>{esc(story.blocks[0][1][:60])}"
    )
    return page.encode("utf-8")


def host_url_of(hosts: list[Host], article: Article | None) -> str | None:
    return hosts[article.host].url(article.path) if article is not None else None


def _newest(items: list[Article]) -> datetime:
    return max((a.modified for a in items), default=BASE_TIME)


# ------------------------------------------------------------------------------------------------- entry
def generate_site(
    out_dir: Path,
    *,
    seed: int = 7,
    hosts: int = 3,
    articles_per_host: int = 15,
    port: int = 8000,
    base_urls: Sequence[str] | None = None,
    min_page_kb: int | None = None,
    max_page_kb: int | None = None,
    edition: int = 1,
) -> SiteTruth:
    """Generate the demo sites under ``out_dir`` and return (and write) their truth.

    Host i is served at ``base_urls[i]`` (default ``http://127.0.0.{i+1}:{port}``); URLs inside pages are
    absolute, so generate after choosing the port. ``min_page_kb``/``max_page_kb`` pad every HTML page to a
    size drawn in that range. ``edition=2`` is the same site one crawl later.
    """
    out_dir = Path(out_dir)
    defs = site_defs(hosts)
    urls = list(base_urls) if base_urls else loopback_base_urls(hosts, port)
    if len(urls) != hosts:
        raise ValueError(f"need {hosts} base URLs, got {len(urls)}")
    model = Planner(defs, urls, seed, articles_per_host, edition).plan()
    out_dir.mkdir(parents=True, exist_ok=True)
    for host in model:
        shutil.rmtree(out_dir / host.site.slug, ignore_errors=True)
    writer = SiteWriter(out_dir, model, seed, min_page_kb, max_page_kb)
    for host in model:
        writer.write_host(host)
    truth = SiteTruth(
        seed=seed,
        edition=edition,
        articles_per_host=articles_per_host,
        hosts=[_host_truth(h) for h in model],
        pages=sorted(writer.pages, key=lambda p: p.url),
        never_fetch=sorted(writer.never_fetch),
        never_fetch_prefixes=sorted(
            {"https://example.org/", "https://example.com/", "https://share.example.net/"}
            | {h.url(p) for h in model for p in ("/wp-admin/", "/private/")}
        ),
        broken_feeds=writer.broken_feeds,
        broken_sitemaps=writer.broken_sitemaps,
    )
    (out_dir / "truth.json").write_text(truth.to_json(), encoding="utf-8")
    return truth


def _host_truth(host: Host) -> HostTruth:
    return HostTruth(
        slug=host.site.slug,
        name=host.site.name,
        base_url=host.base_url,
        language=host.site.lang,
        style=host.site.style,
        dir=host.site.slug,
        feeds=[host.url("/feed.xml"), host.url("/atom.xml")],
        sitemap=host.url("/sitemap.xml"),
        robots=host.url("/robots.txt"),
    )
