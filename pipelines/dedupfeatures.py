"""The per-text part of deduplication, light enough to compute in a worker process.

:class:`~pipelines.dedup.Deduplicator` needs, for every article, its canonical URL and article id, the hash of
its normalised text and its MinHash signature. All of these depend on the page alone, so :mod:`pipelines.page`
computes them next to extraction, on all cores, and the main process only looks them up. This module imports
no numpy, scipy or datasketch (the worker processes stay small); :mod:`pipelines.dedup` uses the same
functions, so precomputed and locally computed features are the same by construction.
"""

from __future__ import annotations

from dataclasses import dataclass

from rensa import RMinHash

from pipelines.textnorm import hash_normalized, normalize_text, shingles
from pipelines.urls import article_id_for, canonicalize, url_key

DEFAULT_NUM_PERM = 128
DEFAULT_SHINGLE = 5
MINHASH_SEED = 20240611  # fixed for ever: signatures in existing stores depend on it


@dataclass(slots=True)
class TextFeatures:
    """What dedup derives from a text (and, when known, its URL), for ``text`` exactly."""

    text: str  # the text these features are of: a later change to the text (site cleaning) voids them
    content_hash: str
    n_words: int
    n_shingles: int
    digest: list[int]  # the MinHash minima (``RMinHash.digest()``)
    num_perm: int
    shingle: int
    url: str | None = None  # the page URL and declared canonical the canonical URL was derived from
    declared: str | None = None
    canonical_url: str | None = None
    canonical_rule: str | None = None
    url_key: str | None = None
    article_id: str | None = None

    def valid_for(self, text: str, num_perm: int, shingle: int) -> bool:
        """Whether these features describe ``text`` with these MinHash parameters."""
        return self.num_perm == num_perm and self.shingle == shingle and self.text == text


def minhash_digest(grams: list[str], num_perm: int) -> list[int]:
    minhash = RMinHash(num_perm=num_perm, seed=MINHASH_SEED)
    minhash.update(grams)
    return minhash.digest()


def text_features(
    text: str,
    *,
    num_perm: int = DEFAULT_NUM_PERM,
    shingle: int = DEFAULT_SHINGLE,
    url: str | None = None,
    declared: str | None = None,
) -> TextFeatures:
    """Features of ``text``; given ``url`` (and the declared canonical), its canonical URL and id too."""
    normalized = normalize_text(text)
    words = normalized.split()
    grams = shingles(words, shingle)
    feats = TextFeatures(
        text=text,
        content_hash=hash_normalized(normalized),
        n_words=len(words),
        n_shingles=len(set(grams)),
        digest=minhash_digest(grams, num_perm),
        num_perm=num_perm,
        shingle=shingle,
    )
    if url is not None:
        canonical, rule = canonicalize(url, declared=declared)
        feats.url, feats.declared = url, declared
        feats.canonical_url, feats.canonical_rule = canonical, rule
        feats.url_key = url_key(canonical)
        feats.article_id = article_id_for(canonical)
    return feats
