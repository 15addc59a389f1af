"""Deduplication decisions on small inline texts: URL, exact, near, update, and what must stay separate."""

from __future__ import annotations

import datetime as dt

import pytest

from pipelines.dedup import Deduplicator, Verdict, containment
from pipelines.records import Article
from pipelines.state.sqlite import SQLiteStore
from pipelines.textnorm import content_hash, normalize_text, shingles
from pipelines.urls import article_id_for, canonicalize

STORY = (
    "The city council voted on Tuesday to approve a new budget that raises spending on public transport by "
    "twelve percent, after a debate that lasted more than six hours and drew hundreds of residents.\n"
    "Supporters said the plan would cut commute times for thousands of workers in the eastern districts, "
    "where bus routes have been reduced twice in the past three years because of staff shortages.\n"
    "Opponents argued that the increase would force the city to delay repairs to several bridges and "
    "schools, and warned that property taxes could rise again next spring if revenues fall short.\n"
    "The mayor, who proposed the budget in March, called the vote a turning point for the region and "
    "promised to publish monthly reports on how the new money is spent by the transit authority.\n"
    "The budget takes effect on the first of July, and the first new bus lines are expected to open in "
    "September, according to a timeline released by the council after the meeting ended late at night."
)
OTHER_STORY_SAME_EVENT = (
    "Residents packed the council chamber until after midnight as members argued over transit funding. "
    "Many speakers described waiting for buses that never came, while shop owners on the east side said "
    "customers had stopped visiting because the last evening bus leaves before eight o'clock.\n"
    "A retired teacher told members she had walked forty minutes in the rain each week to reach her doctor. "
    "Council staff presented maps of proposed routes and estimates of ridership that critics called "
    "optimistic, pointing to a consultant's report from two years ago that was never made public.\n"
    "The vote itself took less than a minute once the debate closed, with nine members in favour and four "
    "against, and the gallery broke into applause as the result was read out by the clerk."
)
UNRELATED = (
    "A rare orchid that botanists believed had disappeared from the island was found growing on a cliff "
    "above the northern harbour by two hikers who photographed it and sent the pictures to the museum.\n"
    "Experts confirmed the identification last week and said the small colony, fewer than twenty plants, "
    "would be protected by a fence while seeds are collected for the national seed bank in the capital."
)


def make(url: str, text: str) -> Article:
    canonical, rule = canonicalize(url)
    return Article(
        url=url,
        canonical_url=canonical,
        canonical_rule=rule,
        title=None,
        text=text,
        language="en",
        published=None,
        authors=[],
        source="test",
        fetched_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
        content_hash=content_hash(text),
    )


@pytest.fixture
def dedup() -> Deduplicator:
    return Deduplicator(SQLiteStore(":memory:"))


def keep(dedup: Deduplicator, article: Article, file_id: str = "f1") -> Verdict:
    verdict = dedup.check(article)
    dedup.remember(article, verdict, file_id=file_id)
    return verdict


def test_normalisation_ignores_case_punctuation_spacing_and_unicode_forms() -> None:
    assert content_hash("Hello,  “World” — it\u2019s ﬁne") == content_hash("hello world - it's fine")
    assert content_hash("Café") == content_hash("Cafe\u0301")
    assert content_hash("Hello world") != content_hash("Hello word")
    assert normalize_text("नमस्ते, दुनिया!") == "नमस्ते दुनिया"  # combining vowel signs are kept
    assert shingles(["a", "b"], 5) == ["a b"]


def test_containment_estimate() -> None:
    assert containment(0.5, 100, 200) == pytest.approx(1.0)
    assert containment(0.0, 100, 200) == 0.0


def test_new_then_url_duplicate(dedup: Deduplicator) -> None:
    first = keep(dedup, make("https://www.news-example.com/city/budget-vote", STORY))
    assert first.kind == "new" and first.version == 1
    assert first.article_id == article_id_for("https://news-example.com/city/budget-vote")
    again = dedup.check(make("https://m.news-example.com/city/budget-vote?utm_source=x", STORY))
    assert (again.kind, again.rule, again.article_id) == ("duplicate", "url", first.article_id)
    assert again.duplicate_of == "https://www.news-example.com/city/budget-vote"


def test_exact_copy_elsewhere(dedup: Deduplicator) -> None:
    keep(dedup, make("https://www.news-example.com/city/budget-vote", STORY))
    verdict = dedup.check(make("https://reprint.example/a/1", STORY.upper().replace(",", "")))
    assert (verdict.kind, verdict.rule) == ("duplicate", "exact")


@pytest.mark.parametrize(
    "variant",
    [
        "CITYVILLE (AP) — " + STORY,
        "By Jane Doe, Associated Press\n" + STORY + "\nCopyright 2025 The Associated Press.",
        "\n".join(STORY.split("\n")[:-1]),  # last paragraph cut
        STORY + "\n" + UNRELATED.split("\n")[0],  # a paragraph added
        STORY.replace("approve", "aprove").replace("thousands", "thousnads"),  # typos
    ],
)
def test_syndicated_copies_are_near_duplicates(dedup: Deduplicator, variant: str) -> None:
    keep(dedup, make("https://www.news-example.com/city/budget-vote", STORY))
    verdict = dedup.check(make("https://www.other-paper.example/wire/budget", variant))
    assert (verdict.kind, verdict.rule) == ("duplicate", "near"), verdict
    assert verdict.similarity is not None and verdict.similarity >= 0.5


def test_different_stories_on_one_event_are_both_kept(dedup: Deduplicator) -> None:
    keep(dedup, make("https://www.news-example.com/city/budget-vote", STORY))
    assert (
        dedup.check(make("https://www.other-paper.example/council-night", OTHER_STORY_SAME_EVENT)).kind
        == "new"
    )


def test_story_quoting_another_is_kept(dedup: Deduplicator) -> None:
    keep(dedup, make("https://www.news-example.com/city/budget-vote", STORY))
    quote = " ".join(STORY.split()[20:70])
    quoting = OTHER_STORY_SAME_EVENT + f'\nAs the council statement put it, "{quote}"'
    assert dedup.check(make("https://www.other-paper.example/council-night", quoting)).kind == "new"


def test_update_at_same_url_is_a_new_version(dedup: Deduplicator) -> None:
    first = keep(dedup, make("https://www.news-example.com/city/budget-vote", STORY), "f1")
    updated = STORY + "\nUPDATE: " + UNRELATED.split("\n")[1]
    verdict = keep(dedup, make("https://www.news-example.com/city/budget-vote", updated), "f2")
    assert (verdict.kind, verdict.article_id, verdict.version) == ("update", first.article_id, 2)
    assert dedup.store.article_by_id(first.article_id).version == 2  # type: ignore[union-attr]
    # a typo fix of the stored version is not a new version
    typo = updated.replace("council", "councll", 1)
    assert dedup.check(make("https://www.news-example.com/city/budget-vote", typo)).kind == "duplicate"


def test_short_texts_are_not_near_matched(dedup: Deduplicator) -> None:
    keep(dedup, make("https://a.example/brief-1", "Markets closed higher on Friday after a quiet session."))
    verdict = dedup.check(
        make("https://a.example/brief-2", "Markets closed lower on Friday after a quiet session.")
    )
    assert verdict.kind == "new"


def test_pending_entries_catch_duplicates_within_a_run_and_vanish_on_recover(dedup: Deduplicator) -> None:
    keep(dedup, make("https://www.news-example.com/city/budget-vote", STORY), "f-crashed")
    assert dedup.check(make("https://reprint.example/a/1", STORY)).kind == "duplicate"
    dedup.store.recover(set())  # the file was never finalised
    assert dedup.check(make("https://reprint.example/a/1", STORY)).kind == "new"


def test_duplicates_are_not_remembered(dedup: Deduplicator) -> None:
    keep(dedup, make("https://www.news-example.com/city/budget-vote", STORY))
    copy = make("https://reprint.example/a/1", STORY)
    dedup.remember(copy, dedup.check(copy), file_id="f1")
    assert dedup.store.article_by_url("https://reprint.example/a/1") is None


def test_remember_keeps_http_validators(dedup: Deduplicator) -> None:
    article = make("https://www.news-example.com/city/budget-vote", STORY)
    dedup.remember(article, dedup.check(article), file_id="f1", etag='"v1"', last_modified="Wed, 01 Jan 2025")
    stored = dedup.store.article_by_url(article.canonical_url)
    assert stored is not None and (stored.etag, stored.last_modified) == ('"v1"', "Wed, 01 Jan 2025")


def test_known_lsh_bands_are_datasketchs_choice() -> None:
    from datasketch.lsh import _optimal_param

    from pipelines.dedup import _KNOWN_BANDS, optimal_bands

    for (threshold, num_perm), bands in _KNOWN_BANDS.items():
        assert bands == _optimal_param(threshold, num_perm, 0.5, 0.5)
    assert optimal_bands(0.55, 128) == _optimal_param(0.55, 128, 0.5, 0.5)
