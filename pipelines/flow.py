"""The site-, store- and output-level stages that follow per-page processing.

A :class:`Candidate` from :func:`pipelines.page.process_page` goes through site-level cleaning (which may hold
it back until enough of its site has been seen), the length and language filters, deduplication against the
state store, and into the ``articles`` dataset; everything that is not written goes to the ``dropped`` ledger
with its reason. Plain Python: the Scrapy item pipeline and ``newsharvest process`` both drive it.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pipelines.compact import finalised_file_ids, settle
from pipelines.dedup import Deduplicator, Verdict
from pipelines.language import language_allowed
from pipelines.page import Candidate, word_count
from pipelines.parquet import (
    ARTICLE_SCHEMA,
    DROPPED_SCHEMA,
    DatasetWriter,
    remove_stale_temporaries,
)
from pipelines.records import Article, Dropped, Reason, utcnow
from pipelines.sitelearn import SiteCleaner
from pipelines.state.base import StateStore
from pipelines.textnorm import content_hash
from pipelines.urls import article_id_for, canonicalize, url_key

logger = logging.getLogger(__name__)

StatsHook = Callable[[str, int], None]


def site_of(url: str) -> str:
    """The site a page belongs to for boilerplate learning: its host name, lower case."""
    return (urlsplit(url).hostname or "").lower()


class ArticleFlow:
    """Site cleaning, filters, dedup and writing, for candidates in crawl order."""

    def __init__(
        self,
        output: str | Path,
        store: StateStore,
        *,
        languages: Iterable[str] = (),
        source_languages: dict[str, frozenset[str]] | None = None,
        min_words: int = 50,
        run_id: str = "",
        near_dup_threshold: float | None = None,
        file_rows: int = 5000,
        row_group_rows: int = 1000,
        flush_seconds: float = 300.0,
        dedup: bool = True,
        inc_stat: StatsHook | None = None,
        on_article: Callable[[Article], None] | None = None,
        on_dropped: Callable[[Dropped], None] | None = None,
    ) -> None:
        self.output = Path(output)
        self.store = store
        self.languages = frozenset(languages)
        self.source_languages = source_languages or {}
        self.min_words = min_words
        self.run_id = run_id
        self.dedup_enabled = dedup
        kwargs = {"threshold": near_dup_threshold} if near_dup_threshold is not None else {}
        self.deduplicator = Deduplicator(store, **kwargs)
        self.stats: Counter[str] = Counter()
        self._inc_stat = inc_stat
        self._on_article = on_article
        self._on_dropped = on_dropped
        self.articles = DatasetWriter(
            self.output / "articles", ARTICLE_SCHEMA, run_id=run_id, file_rows=file_rows,
            row_group_rows=row_group_rows, flush_seconds=flush_seconds, on_finalised=self._article_file_done,
            before_finalise=lambda _file_id: self.store.flush(),  # entries on disk before the file exists
        )  # fmt: skip
        self.dropped = DatasetWriter(
            self.output / "dropped", DROPPED_SCHEMA, run_id=run_id, file_rows=file_rows,
            row_group_rows=row_group_rows, flush_seconds=flush_seconds,
        )  # fmt: skip
        self._recover()
        self._run_urls: dict[str, str] = {}
        self._run_hashes: dict[str, str] = {}
        self.site_cleaner = SiteCleaner(page_clean=False)  # pages arrive page-cleaned
        self._held: dict[str, Candidate] = {}

    def _recover(self) -> None:
        """Make the store agree with the files after a run that was killed: see :mod:`pipelines.parquet`."""
        stale = sum(remove_stale_temporaries(self.output / name) for name in ("articles", "dropped"))
        # Compaction: drop inputs a merged file already holds; ids inside merged files count as finalised.
        for name in ("articles", "dropped"):
            settle(self.output / name)
        finished = finalised_file_ids(self.output / "articles")
        self.store.recover(finished)
        if stale:
            logger.warning("Removed %d unfinished Parquet file(s) left by an interrupted run", stale)

    # -- stats -----------------------------------------------------------------------------------------------
    def _count(self, key: str, n: int = 1) -> None:
        self.stats[key] += n
        if self._inc_stat is not None:
            self._inc_stat(key, n)

    # -- input -----------------------------------------------------------------------------------------------
    def submit(self, candidate: Candidate) -> None:
        """Take one candidate; it is written or dropped now or, while its site is being learnt, later."""
        page = candidate.page
        text = candidate.extracted.text
        feats = candidate.features
        declared = candidate.extracted.canonical_url
        if feats is not None and (
            feats.text != text
            or feats.canonical_url is None
            or (feats.url, feats.declared) != (page.url, declared)
        ):
            feats = candidate.features = None  # not of this text: recompute below
        if feats is not None:
            canonical, rule, key, text_hash = (
                feats.canonical_url,
                feats.canonical_rule,
                feats.url_key,
                feats.content_hash,
            )
        else:
            canonical, rule = canonicalize(page.url, declared=declared)
            key, text_hash = url_key(canonical), content_hash(text)
        candidate.extra["canonical"] = (canonical, rule)
        # URL variants (AMP, print, tracking parameters) and exact copies within this run are duplicates of a
        # page already taken: drop them before site learning, which would otherwise count the same
        # article's paragraphs as blocks recurring across pages.
        first = self._run_urls.get(key) or self._run_hashes.get(text_hash)
        if first is not None:
            self.drop(
                self._dropped(candidate, Reason.DUPLICATE, "url variant or exact copy in this run", first)
            )
            return
        self._run_urls[key] = page.url
        self._run_hashes[text_hash] = page.url
        site = site_of(page.url)
        if not self.site_cleaner.knows(site):
            # Start from what earlier runs learnt about this site, the first time it is seen in this run.
            knowledge = self.store.get_site_knowledge(site)
            if knowledge is not None:
                self.site_cleaner.load_knowledge(site, knowledge)
        self._held[page.url] = candidate
        self._release(self.site_cleaner.submit(site, page.url, candidate.extracted))

    def _release(self, ready: list[tuple[Any, Any]]) -> None:
        """Finish the candidates site learning lets go of, with their site-cleaned text."""
        for url, extracted in ready:
            candidate = self._held.pop(url)
            candidate.extracted = extracted
            self._finish(candidate)

    def observe(self, url: str, html: str | bytes) -> None:
        """Let site learning see a non-article page of the site (section fronts list teasers)."""
        self.site_cleaner.observe(site_of(url), html)

    def drop(self, dropped: Dropped) -> None:
        """Record a page that will not be written, with its reason."""
        dropped.run_id = dropped.run_id or self.run_id
        self.dropped.write(dropped)
        self._count(f"dropped/{dropped.reason}")
        self._count(f"source/{dropped.source}/dropped/{dropped.reason}")
        logger.info(
            "Dropped %s: %s%s", dropped.url, dropped.reason, f" ({dropped.detail})" if dropped.detail else ""
        )
        if self._on_dropped is not None:
            self._on_dropped(dropped)

    def close(self) -> None:
        """Clean and write what site learning still holds, persist what it learnt, finalise the files."""
        self._release(self.site_cleaner.flush())
        for site, knowledge in self.site_cleaner.export_knowledge().items():
            self.store.put_site_knowledge(site, knowledge)
        self.articles.close()
        self.dropped.close()

    def tick(self) -> None:
        """Finalise files that have been open longer than the flush interval (called periodically)."""
        self.articles.finalise_if_due()
        self.dropped.finalise_if_due()

    # -- stages ----------------------------------------------------------------------------------------------
    def _finish(self, candidate: Candidate) -> None:
        page, extracted = candidate.page, candidate.extracted
        words = word_count(extracted.text)
        if words < self.min_words:
            self.drop(self._dropped(candidate, Reason.EMPTY, f"{words} words after site cleaning"))
            return
        allowed = self.source_languages.get(page.source) or self.languages
        if not language_allowed(candidate.language, allowed):
            self.drop(self._dropped(candidate, Reason.LANGUAGE, f"{candidate.language or 'unknown'}"))
            return
        canonical, rule = candidate.extra["canonical"]
        # The worker's features hold as long as site cleaning left the text as it was (compared in full).
        feats = candidate.features
        if feats is not None and feats.text != extracted.text:
            feats = None
        article = Article(
            url=page.url, canonical_url=canonical, canonical_rule=rule, title=extracted.title,
            text=extracted.text, language=candidate.language, published=extracted.published,
            authors=list(extracted.authors), source=page.source, site_name=extracted.site_name,
            description=extracted.description, tags=list(extracted.tags), fetched_at=page.fetched_at,
            content_hash=feats.content_hash if feats is not None else content_hash(extracted.text),
            word_count=words, run_id=self.run_id,
        )  # fmt: skip
        if self.dedup_enabled and feats is not None:
            self.deduplicator.features(article, feats)  # primes its cache: check and remember reuse them
        verdict = self.deduplicator.check(article) if self.dedup_enabled else None
        if verdict is not None and verdict.kind == "duplicate":
            self.drop(
                self._dropped(candidate, Reason.DUPLICATE, f"{verdict.rule} duplicate", verdict.duplicate_of)
            )
            return
        self._write(article, verdict, etag=page.etag, last_modified=page.last_modified)

    def _write(
        self,
        article: Article,
        verdict: Verdict | None,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> None:
        if verdict is not None:
            article.article_id, article.version = verdict.article_id, verdict.version
            if verdict.kind == "update":
                article.updated = utcnow()
                self._count("articles/updated")
            # Remember first, tagged with the file the row goes into: the entry stays pending until that
            # file is finalised, so state and files agree even if the process dies in between.
            self.deduplicator.remember(
                article,
                verdict,
                file_id=self.articles.current_file_id,
                etag=etag,
                last_modified=last_modified,
            )
        else:
            article.article_id = article_id_for(article.canonical_url)
        self.articles.write(article)
        self._count("articles/written")
        self._count(f"source/{article.source}/written")
        if self._on_article is not None:
            self._on_article(article)

    def _article_file_done(self, file_id: str, path: Path, rows: int) -> None:
        self.store.commit_file(file_id)
        self._count("files/articles")

    def _dropped(
        self, candidate: Candidate, reason: Reason, detail: str = "", duplicate_of: str | None = None
    ) -> Dropped:
        page = candidate.page
        return Dropped(
            url=page.url, reason=reason, source=page.source, detail=detail, duplicate_of=duplicate_of,
            status=page.status, fetched_at=page.fetched_at, run_id=self.run_id,
        )  # fmt: skip
