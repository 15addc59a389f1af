"""Dedup features computed in a worker (``pipelines.dedupfeatures``) are those the deduplicator computes."""

from __future__ import annotations

import pickle

import numpy as np
from test_dedup import STORY, UNRELATED, make

from pipelines.dedup import Deduplicator
from pipelines.dedupfeatures import text_features
from pipelines.state.sqlite import SQLiteStore

URL = "https://news.example.com/2024/05/budget-vote.html?utm_source=x"


def _article(text: str):
    return make(URL, text)


def _same(a, b) -> None:
    assert (a.canonical_url, a.article_id, a.content_hash) == (b.canonical_url, b.article_id, b.content_hash)
    assert (a.n_words, a.n_shingles, a.band_keys) == (b.n_words, b.n_shingles, b.band_keys)
    assert np.array_equal(a.signature, b.signature) and a.signature.dtype == b.signature.dtype


def test_precomputed_features_equal_computed() -> None:
    store = SQLiteStore(":memory:")
    for text in (STORY, UNRELATED, "short text", ""):
        pre = pickle.loads(pickle.dumps(text_features(text, url=URL)))  # as shipped back by a worker
        _same(Deduplicator(store).features(_article(text), pre), Deduplicator(store).features(_article(text)))


def test_stale_precomputed_features_are_ignored() -> None:
    store = SQLiteStore(":memory:")
    stale = text_features(STORY + " Site boilerplate line.", url=URL)
    _same(Deduplicator(store).features(_article(STORY), stale), Deduplicator(store).features(_article(STORY)))
    other_url = text_features(STORY, url="https://news.example.com/other")
    _same(
        Deduplicator(store).features(_article(STORY), other_url),
        Deduplicator(store).features(_article(STORY)),
    )
    odd = text_features(STORY, num_perm=64)
    _same(Deduplicator(store).features(_article(STORY), odd), Deduplicator(store).features(_article(STORY)))
