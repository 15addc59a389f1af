"""Site-level learning: blocks that recur across pages of one site are that site's boilerplate.

Page-level rules (:mod:`pipelines.clean`) know generic phrases; they cannot know that "Gerald Omondi is a
writer with a passion for..." is the bio under every story of one author, or that a teaser of another story
of the same site sits inside the article container. A block (one line of extracted text, compared on its
case-folded words) seen on at least ``min_pages`` distinct pages of a site is removed there.

Within one crawl of a never-seen site the first ``warmup_pages`` articles are held back until enough of the
site has been seen, then cleaned together; later pages are cleaned at once. What was learnt is exported per
site (bounded: block hashes with counts, oldest singletons evicted first) so the next run starts warm.

Safeguards, because deleting story text is worse than leaving a prompt:

* a block must recur on ``min_pages`` (default 3) *distinct* pages: a quote reused in two stories stays;
* a story's lede is kept even when the same paragraph recurs elsewhere as a teaser: a recurring block in
  the first two blocks of a page is kept when it is not at the top of the other pages where it appears;
* a teaser cut short with "..." is removed when its words are the start of a lede seen on another page of
  the site (the lede itself is a whole block and is never matched by its own prefix).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from lxml import html as lxml_html

from pipelines.clean import clean, norm
from pipelines.extract import Extracted

KNOWLEDGE_VERSION = 1
_TOP = 2  # blocks at index < _TOP are the page's lede zone
_PREFIX_WORDS = 8  # teaser-to-lede matching compares this many leading words
_MIN_BLOCK_WORDS = 2  # one-word blocks ("Yes.", "Analysis") are left to page-level rules
_MAX_IDS = 6  # page ids kept per block to count *distinct* pages (re-crawls of a page count once)
_ELLIPSIS = re.compile(r"(?:\.\.\.|\u2026|\[\.\.\.\])\s*$")


def _hash(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=6).hexdigest()


@lru_cache(maxsize=2048)
def _line_key(line: str) -> tuple[str, int, str]:
    """A line's comparison key (:func:`pipelines.clean.norm`), its word count and its hash. Remembered: a
    page's lines are keyed when it is learnt and again when it is cleaned, and a site's boilerplate lines
    recur on every page."""
    key = norm(line)
    return key, len(key.split()), _hash(key)


@dataclass
class _Site:
    """What is known about one site: per-block counts, lede prefixes, teasers seen on section fronts."""

    pages: int = 0
    # block hash -> [distinct pages, pages where it is in the lede zone, last page index seen, page ids]
    blocks: dict[str, list[Any]] = field(default_factory=dict)
    ledes: dict[str, str] = field(default_factory=dict)  # hash of a lede's first words -> page id
    fronts: dict[str, int] = field(default_factory=dict)  # block hash seen on a non-article page -> count

    def to_json(self) -> dict[str, Any]:
        return {
            "v": KNOWLEDGE_VERSION,
            "pages": self.pages,
            "blocks": self.blocks,
            "ledes": self.ledes,
            "fronts": self.fronts,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> _Site:
        if not data or data.get("v") != KNOWLEDGE_VERSION:
            return cls()  # unknown format: start cold rather than misread old counts
        return cls(
            pages=int(data.get("pages", 0)),
            blocks={k: list(v) for k, v in dict(data.get("blocks", {})).items()},
            ledes=dict(data.get("ledes", {})),
            fronts={k: int(v) for k, v in dict(data.get("fronts", {})).items()},
        )


class SiteCleaner:
    """Buffers the first pages of each site until enough of the site has been seen to know its recurring
    blocks, then cleans them; later pages are cleaned at once.

    Output pairs are fully cleaned: page-level :func:`pipelines.clean.clean` first (it needs the section
    headings to drop the teasers under them), then the site's recurring blocks.
    """

    def __init__(
        self,
        knowledge: dict[str, Any] | None = None,
        *,
        warmup_pages: int = 8,
        min_pages: int = 3,
        max_blocks: int = 3000,
        max_ledes: int = 1000,
        page_clean: bool = True,
    ) -> None:
        # page_clean=False when the caller has already run pipelines.clean.clean on each page (the crawl
        # does it in its worker processes), so it is not paid twice on the single-threaded side.
        self.page_clean = page_clean
        self.warmup_pages = warmup_pages
        self.min_pages = min_pages
        self.max_blocks = max_blocks
        self.max_ledes = max_ledes
        self._sites: dict[str, _Site] = {site: _Site.from_json(k) for site, k in (knowledge or {}).items()}
        self._buffers: dict[str, list[tuple[Hashable, Extracted, str]]] = {}

    # -- public API ------------------------------------------------------------------------------------------
    def submit(self, site: str, key: Hashable, extracted: Extracted) -> list[tuple[Hashable, Extracted]]:
        """Learn from one article page; return the pages that can be cleaned now (maybe none, maybe many)."""
        state = self._sites.setdefault(site, _Site())
        page_id = _hash(repr(key))
        self._learn(state, page_id, extracted.text)
        buffer = self._buffers.setdefault(site, [])
        if not buffer and state.pages > self.warmup_pages:
            return [(key, self._clean(state, page_id, extracted))]
        buffer.append((key, extracted, page_id))
        if len(buffer) < self.warmup_pages and state.pages <= self.warmup_pages:
            return []
        return self._release(site)

    def observe(self, site: str, html_or_blocks: str | bytes | Iterable[str]) -> None:
        """Learn from a non-article page (section front, tag page): the teasers it lists are not stories."""
        state = self._sites.setdefault(site, _Site())
        blocks = (
            _blocks_of_html(html_or_blocks)
            if isinstance(html_or_blocks, str | bytes)
            else [b for b in html_or_blocks if b]
        )
        for block in {norm(b) for b in blocks}:
            if len(block.split()) >= 4:
                h = _hash(block)
                state.fronts[h] = state.fronts.get(h, 0) + 1
        _cap(state.fronts, self.max_blocks)

    def flush(self) -> list[tuple[Hashable, Extracted]]:
        """End of crawl: clean and return everything still buffered, whatever was learnt so far."""
        out: list[tuple[Hashable, Extracted]] = []
        for site in list(self._buffers):
            out.extend(self._release(site))
        return out

    def knows(self, site: str) -> bool:
        """Whether anything about ``site`` is held (learnt in this run or loaded)."""
        return site in self._sites

    def load_knowledge(self, site: str, knowledge: dict[str, Any]) -> None:
        """Start ``site`` from what an earlier run learnt (see :meth:`export_knowledge`)."""
        if site not in self._sites:
            self._sites[site] = _Site.from_json(knowledge)

    def export_knowledge(self) -> dict[str, Any]:
        """Per site, JSON-serialisable and bounded (``max_blocks`` block entries, ``max_ledes`` ledes)."""
        out = {}
        for site, state in self._sites.items():
            self._evict(state)
            out[site] = state.to_json()
        return out

    # -- learning --------------------------------------------------------------------------------------------
    def _learn(self, state: _Site, page_id: str, text: str) -> None:
        """Count each distinct block once per page; remember the page's lede prefix."""
        state.pages += 1
        keys = [keyed for keyed in map(_line_key, text.split("\n")) if keyed[0]]
        for index, (_key, n_words, key_hash) in enumerate(dict.fromkeys(keys)):
            if n_words < _MIN_BLOCK_WORDS:
                continue
            entry = state.blocks.setdefault(key_hash, [0, 0, 0, []])
            ids: list[str] = entry[3]
            if page_id in ids:
                continue
            if entry[0] < self.min_pages + _MAX_IDS:
                ids.append(page_id)
                del ids[:-_MAX_IDS]
            entry[0] += 1
            entry[1] += int(index < _TOP)
            entry[2] = state.pages
        for key, n_words, _hash_of_key in keys[:_TOP]:
            if n_words >= 2 * _PREFIX_WORDS:
                state.ledes[_hash(" ".join(key.split()[:_PREFIX_WORDS]))] = page_id
        if len(state.blocks) > 2 * self.max_blocks:
            self._evict(state)

    def _evict(self, state: _Site) -> None:
        """Keep the most useful entries: recurring blocks first, then the most recently seen singletons."""
        if len(state.blocks) > self.max_blocks:
            ranked = sorted(state.blocks.items(), key=lambda kv: (kv[1][0] >= self.min_pages, kv[1][2]))
            state.blocks = dict(ranked[-self.max_blocks :])
        if len(state.ledes) > self.max_ledes:
            state.ledes = dict(list(state.ledes.items())[-self.max_ledes :])

    # -- cleaning --------------------------------------------------------------------------------------------
    def _release(self, site: str) -> list[tuple[Hashable, Extracted]]:
        state = self._sites[site]
        buffered, self._buffers[site] = self._buffers.get(site, []), []
        return [(key, self._clean(state, page_id, extracted)) for key, extracted, page_id in buffered]

    def _clean(self, state: _Site, page_id: str, extracted: Extracted) -> Extracted:
        cleaned = clean(extracted, url=extracted.canonical_url) if self.page_clean else extracted
        lines = [line for line in cleaned.text.split("\n") if line.strip()]
        keep = [
            line
            for i, line in enumerate(lines)
            if _is_subheading(lines, i) or not self._is_site_boilerplate(state, page_id, line, i)
        ]
        if not keep:
            return cleaned  # never empty an article because of site statistics
        return replace(cleaned, text="\n".join(keep))

    def _is_site_boilerplate(self, state: _Site, page_id: str, line: str, index: int) -> bool:
        key, n_words, key_hash = _line_key(line)
        if n_words < _MIN_BLOCK_WORDS:
            return False
        entry = state.blocks.get(key_hash)
        if entry is not None and entry[0] >= self.min_pages:
            at_top_elsewhere = entry[1] - int(index < _TOP)
            lede_here = index < _TOP and n_words >= 12 and at_top_elsewhere < (entry[0] - 1) / 2
            return not lede_here
        if _ELLIPSIS.search(line) and n_words >= _PREFIX_WORDS:
            owner = state.ledes.get(_hash(" ".join(key.split()[:_PREFIX_WORDS])))
            if owner is not None and owner != page_id:
                return True  # a teaser of another story of this site, cut short
        return index >= _TOP and state.fronts.get(key_hash, 0) >= 1 and n_words >= 4


def _is_subheading(lines: list[str], index: int) -> bool:
    """A short unpunctuated block followed by prose is a subheading ("What happens next"): sites reuse
    them across stories, but they belong to the story. Site prompts and labels are not followed by prose."""
    line = lines[index].strip()
    if len(line.split()) > 8 or re.search(r"[.!?:…]$", line) or index + 1 >= len(lines):
        return False
    following = lines[index + 1].strip()
    return len(following.split()) >= 20 and re.search(r"[.!?\"”»]$", following) is not None


def _blocks_of_html(page: str | bytes) -> list[str]:
    """Teaser-sized texts of a section front: headings, links, paragraphs and list items."""
    try:
        tree = lxml_html.fromstring(page)
    except Exception:  # an unparsable front teaches nothing
        return []
    for bad in tree.xpath("//script|//style|//noscript"):
        bad.drop_tree()
    texts = []
    for node in tree.xpath("//h1|//h2|//h3|//h4|//a|//p|//li"):
        text = " ".join(node.text_content().split())
        if 4 <= len(text.split()) <= 80:
            texts.append(text)
    return texts


def _cap(counts: dict[str, int], limit: int) -> None:
    if len(counts) > limit:
        for key in list(counts)[: len(counts) - limit]:
            del counts[key]
