"""Metadata users can rely on: headline without site suffix, names as authors, the publication date."""

from __future__ import annotations

import datetime as dt

from lxml import html

from pipelines.metadata import choose_published, clean_title, normalise_authors, page_metadata

NOW = dt.datetime(2024, 6, 1, 12, tzinfo=dt.UTC)


def test_title_suffix_stripped() -> None:
    assert clean_title("Council approves budget | The Daily Example", "The Daily Example") == (
        "Council approves budget"
    )
    assert clean_title("Council approves budget - Example News", None, "https://www.examplenews.com/a") == (
        "Council approves budget"
    )
    assert clean_title("Council approves budget | Politics | Example", None) == "Council approves budget"


def test_title_separators_inside_the_headline_kept() -> None:
    assert clean_title("This is a long title with a colon: Hello there") == (
        "This is a long title with a colon: Hello there"
    )
    assert clean_title("Hong Kong - a city on edge", "Example News") == "Hong Kong - a city on edge"


def test_authors_are_names() -> None:
    assert normalise_authors(["By Jane Doe and John Roe"]) == ["Jane Doe", "John Roe"]
    assert normalise_authors(["Staff"]) == []
    assert normalise_authors(["Jane Doe, Staff Writer"]) == ["Jane Doe"]
    assert normalise_authors(["The Daily Example"], site_name="The Daily Example") == []
    assert normalise_authors(["Von Max Mustermann"]) == ["Max Mustermann"]
    assert normalise_authors(["Malcolm Owen Monday", "November"]) == ["Malcolm Owen"]


def _meta(body: str):
    return page_metadata(html.fromstring(f"<html><head>{body}</head><body><p>x</p></body></html>"))


def test_jsonld_date_published_beats_modified() -> None:
    meta = _meta(
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "H",'
        '"datePublished": "2024-01-02T08:00:00Z", "dateModified": "2024-03-04T09:00:00Z"}</script>'
    )
    published = choose_published(meta, "2024-03-04", now=NOW)
    assert published == dt.datetime(2024, 1, 2, 8, tzinfo=dt.UTC)


def test_modified_date_not_taken_as_published() -> None:
    meta = _meta('<meta property="article:modified_time" content="2024-03-04T09:00:00+00:00">')
    # the extractor's only date is the modification date and the page shows no other: no publication date
    assert choose_published(meta, "2024-03-04", "<html><body><p>text</p></body></html>", now=NOW) is None


def test_future_and_placeholder_dates_are_none() -> None:
    meta = _meta('<meta property="article:published_time" content="2030-01-01T00:00:00Z">')
    assert choose_published(meta, None, now=NOW) is None
    meta = _meta('<meta property="article:published_time" content="0001-01-01T00:00:00Z">')
    assert choose_published(meta, None, now=NOW) is None
