"""Deduplication: each story once, across URL variants, reprints, syndicated copies and runs.

Three tests, cheapest first, each answered by one indexed store lookup:

1. same canonical URL (``url_key``): the same article again (``duplicate``, rule ``url``) or, if its text
   changed materially, a new version of it (``update``, same ``article_id``, ``version + 1``);
2. same normalised-text hash elsewhere: an exact copy (``duplicate``, rule ``exact``);
3. MinHash (rensa ``RMinHash``, 5-word shingles) + LSH bands: a near copy (``duplicate``, rule ``near``),
   confirmed on the candidate's signature by the estimated Jaccard similarity, or by the estimated containment
   of the shorter text in the longer one, so that wire copy with a paragraph more or less is caught.

Different stories about one event, or sharing a long quote, share few 5-word shingles (a 60-word quote in a
500-word story is ~10% of its shingles), far below the thresholds: they stay separate.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Literal

import numpy as np

from pipelines.dedupfeatures import (
    DEFAULT_NUM_PERM,
    DEFAULT_SHINGLE,
    TextFeatures,
    text_features,
)
from pipelines.records import Article
from pipelines.state.base import Signature, StateStore, StoredArticle
from pipelines.urls import article_id_for, canonicalize

DEFAULT_THRESHOLD = 0.5
"""Jaccard similarity of 5-word shingle sets above which two texts are one story (see docs/BENCHMARKS.md)."""
DEFAULT_CONTAINMENT = 0.8
"""Share of the shorter text's shingles found in the longer one above which it is a cut/extended copy."""
DEFAULT_CONTAINMENT_FLOOR = 0.4
"""Jaccard below which containment is not trusted (a short brief inside a long feature is not a copy)."""
DEFAULT_MIN_WORDS = 25
"""Texts shorter than this are only matched by URL and exact hash: a few shared sentences would dominate."""
DEFAULT_UNCHANGED = 0.9
"""At the same URL, a text at least this similar to the stored version, and of about the same size
(``DEFAULT_UPDATE_MIN_SHINGLES``), is the same version: typo fixes and boilerplate drift make no new one."""
DEFAULT_UPDATE_MIN_SHINGLES = 15
"""A size change of this many shingles (about a sentence) makes a new version whatever the similarity: a
paragraph added to a 3,000-word story moves the Jaccard estimate less than MinHash noise, its size exactly."""
#: datasketch's choice of (bands, rows) for (threshold, permutations) at equal false positive and negative
#: weights, for the usual thresholds: importing datasketch costs ~45 MB (scipy), so it is imported only for
#: other settings (``tests/test_dedup.py`` checks this table against datasketch).
_KNOWN_BANDS: dict[tuple[float, int], tuple[int, int]] = {
    (0.3, 128): (37, 3),
    (0.4, 128): (32, 4),
    (0.5, 128): (25, 5),
    (0.6, 128): (18, 7),
    (0.7, 128): (14, 9),
    (0.8, 128): (9, 13),
    (0.9, 128): (5, 25),
}


def optimal_bands(threshold: float, num_perm: int) -> tuple[int, int]:
    """LSH (bands, rows) minimising the false positive + false negative areas around ``threshold``."""
    known = _KNOWN_BANDS.get((threshold, num_perm))
    if known is not None:
        return known
    from datasketch.lsh import _optimal_param

    return _optimal_param(threshold, num_perm, 0.5, 0.5)


VerdictKind = Literal["new", "duplicate", "update"]


@dataclass(slots=True)
class Verdict:
    """What to do with an article. ``duplicate_of`` is the canonical URL of the stored article it matches;
    ``article_id``/``version`` are the ones to write (new, update) or of the stored match (duplicate)."""

    kind: VerdictKind
    rule: str  # "url" | "exact" | "near" ("new" verdicts say "url": nothing matched)
    duplicate_of: str | None
    article_id: str
    version: int
    similarity: float | None = None
    containment: float | None = None


@dataclass(slots=True)
class Features:
    """What dedup derives from an article: computed once per article, shared by check and remember."""

    canonical_url: str
    article_id: str
    content_hash: str
    n_words: int
    n_shingles: int
    signature: Signature
    band_keys: list[bytes]


def _matched(
    kind: VerdictKind,
    rule: str,
    stored: StoredArticle,
    similarity: float,
    contained: float,
    *,
    version: int | None = None,
) -> Verdict:
    version = stored.version if version is None else version
    return Verdict(kind, rule, stored.canonical_url, stored.article_id, version, similarity, contained)


def jaccard(a: Signature, b: Signature) -> float:
    """Estimated Jaccard similarity of two MinHash signatures (share of equal minima)."""
    if len(a) != len(b) or len(a) == 0:
        return 0.0
    return float(np.count_nonzero(a == b)) / len(a)


def containment(similarity: float, size_a: int, size_b: int) -> float:
    """Estimated share of the smaller set inside the larger, from Jaccard J and the set sizes.

    |A∩B| = J·(|A|+|B|)/(1+J), divided by min(|A|, |B|).
    """
    smaller = min(size_a, size_b)
    if smaller <= 0:
        return 0.0
    return min(1.0, similarity * (size_a + size_b) / (1.0 + similarity) / smaller)


class Deduplicator:
    """Checks articles against a :class:`StateStore` and remembers the kept ones (pending until their file
    is committed)."""

    def __init__(
        self,
        store: StateStore,
        *,
        threshold: float = DEFAULT_THRESHOLD,
        num_perm: int = DEFAULT_NUM_PERM,
        shingle: int = DEFAULT_SHINGLE,
        containment_threshold: float = DEFAULT_CONTAINMENT,
        containment_floor: float = DEFAULT_CONTAINMENT_FLOOR,
        min_words: int = DEFAULT_MIN_WORDS,
        unchanged_similarity: float = DEFAULT_UNCHANGED,
        update_min_shingles: int = DEFAULT_UPDATE_MIN_SHINGLES,
        bands: tuple[int, int] | None = None,
    ) -> None:
        self.store = store
        self.threshold = threshold
        self.num_perm = num_perm
        self.shingle = shingle
        self.containment_threshold = containment_threshold
        self.containment_floor = containment_floor
        self.min_words = min_words
        self.unchanged_similarity = unchanged_similarity
        self.update_min_shingles = update_min_shingles
        # LSH (bands, rows) minimising the false positive + false negative areas around the threshold, the
        # choice datasketch's MinHashLSH makes: (25, 5) for 0.5 and 128 permutations, which retrieves a pair
        # with probability 0.55 at J=0.5, 0.87 at 0.6, 0.99 at 0.7 (95% of the eval's copies are >= 0.8).
        # ``bands=(32, 4)`` retrieves more of the 0.5-0.6 band at ~30% more index memory.
        self.bands, self.rows = bands or optimal_bands(threshold, num_perm)
        self._cache: tuple[int, str, str, Features] | None = None

    # --- features -------------------------------------------------------------------------------------------
    def features(self, article: Article, precomputed: TextFeatures | None = None) -> Features:
        """Canonical URL, id, hash, signature and band keys of an article (cached for the last article).

        ``precomputed``: the article text's features computed elsewhere (a worker process, see
        :mod:`pipelines.dedupfeatures`); used only when they are of this very text, with this deduplicator's
        MinHash parameters, and (for the id) of the article's canonical URL; otherwise computed here.
        """
        cached = self._cache
        if cached and cached[0] == id(article) and cached[1] == article.text and cached[2] == article.url:
            return cached[3]
        canonical_url = article.canonical_url or canonicalize(article.url)[0]
        if precomputed is not None and precomputed.valid_for(article.text, self.num_perm, self.shingle):
            text = precomputed
        else:
            text = text_features(article.text, num_perm=self.num_perm, shingle=self.shingle)
        if text.canonical_url == canonical_url and text.article_id is not None:
            article_id = text.article_id
        else:
            article_id = article_id_for(canonical_url)
        signature = np.asarray(text.digest, dtype=np.uint32)
        feats = Features(
            canonical_url=canonical_url,
            article_id=article_id,
            content_hash=text.content_hash,
            n_words=text.n_words,
            n_shingles=text.n_shingles,
            signature=signature,
            band_keys=self.band_keys(signature),
        )
        self._cache = (id(article), article.text, article.url, feats)
        return feats

    def band_keys(self, signature: Signature) -> list[bytes]:
        """One 8-byte key per LSH band: the band's index and its ``rows`` minima, hashed."""
        keys = []
        for band in range(self.bands):
            chunk = signature[band * self.rows : (band + 1) * self.rows].tobytes()
            keys.append(hashlib.blake2b(band.to_bytes(2, "big") + chunk, digest_size=8).digest())
        return keys

    # --- decisions ------------------------------------------------------------------------------------------
    def check(self, article: Article) -> Verdict:
        """Classify an article against the store, without writing anything."""
        feats = self.features(article)
        stored = self.store.article_by_id(feats.article_id)
        if stored is not None:
            return self._same_url(feats, stored)
        exact = self.store.article_by_hash(feats.content_hash)
        if exact is not None:
            return _matched("duplicate", "exact", exact, 1.0, 1.0)
        if feats.n_words >= self.min_words:
            near = self._near(feats)
            if near is not None:
                return near
        return Verdict("new", "url", None, feats.article_id, 1)

    def _same_url(self, feats: Features, stored: StoredArticle) -> Verdict:
        if stored.content_hash == feats.content_hash:
            return _matched("duplicate", "url", stored, 1.0, 1.0)
        previous = self.store.signature(stored.article_id)
        similarity = jaccard(feats.signature, previous) if previous is not None else 0.0
        contained = containment(similarity, feats.n_shingles, stored.n_shingles)
        resized = abs(feats.n_shingles - stored.n_shingles) >= self.update_min_shingles
        if similarity >= self.unchanged_similarity and not resized:
            return _matched("duplicate", "url", stored, similarity, contained)
        return _matched("update", "url", stored, similarity, contained, version=stored.version + 1)

    def _near(self, feats: Features) -> Verdict | None:
        best: Verdict | None = None
        for candidate_id in self.store.near_candidates(feats.band_keys):
            candidate_sig = self.store.signature(candidate_id)
            if candidate_sig is None:
                continue
            similarity = jaccard(feats.signature, candidate_sig)
            if similarity < self.containment_floor and similarity < self.threshold:
                continue
            candidate = self.store.article_by_id(candidate_id)
            if candidate is None:
                continue
            contained = containment(similarity, feats.n_shingles, candidate.n_shingles)
            if self._is_copy(similarity, contained) and (best is None or similarity > (best.similarity or 0)):
                best = _matched("duplicate", "near", candidate, similarity, contained)
        return best

    def _is_copy(self, similarity: float, contained: float) -> bool:
        if similarity >= self.threshold:
            return True
        return similarity >= self.containment_floor and contained >= self.containment_threshold

    # --- writes ---------------------------------------------------------------------------------------------
    def remember(
        self,
        article: Article,
        verdict: Verdict,
        *,
        file_id: str,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> None:
        """Record a kept article (``new`` or ``update``) as pending in ``file_id``; duplicates are not written
        to any file, so they are not remembered. ``etag``/``last_modified`` are the page's HTTP validators,
        kept for the next run's conditional re-fetch."""
        if verdict.kind == "duplicate":
            return
        feats = self.features(article)
        stored = StoredArticle(
            article_id=verdict.article_id,
            canonical_url=feats.canonical_url,
            content_hash=feats.content_hash,
            version=verdict.version,
            url=article.url,
            published=article.published,
            fetched_at=article.fetched_at,
            etag=etag,
            last_modified=last_modified,
            n_shingles=feats.n_shingles,
            file_id=file_id,
        )
        self.store.add_article(stored, feats.band_keys, feats.signature, file_id=file_id)
