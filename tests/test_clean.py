"""Page-level cleaning: generic, multilingual boilerplate goes; story text stays."""

from __future__ import annotations

import datetime as dt

import pytest

from pipelines.clean import clean, clean_text, is_boilerplate_block
from pipelines.extract import Extracted

STORY = [
    "The city council approved the new budget on Tuesday after a long debate about school funding.",
    "Mayor Jane Porter said the plan would protect teachers' jobs while keeping taxes flat next year.",
    "Opponents argued that the reserve fund was being drained too quickly and asked for an audit.",
]


@pytest.mark.parametrize(
    "prompt",
    [
        "Please enter your comment!",
        "Please enter your name here",
        "Leave a Reply",
        "Sign up for our newsletter to get the latest news in your inbox.",
        "Advertisement",
        "Anzeige",
        "Publicité",
        "Google Ads | Google Ads | Google Ads",
        "We use cookies to improve your experience on our website.",
        "Wir verwenden Cookies, um unsere Website zu verbessern.",
        "Nous utilisons des cookies pour améliorer votre expérience.",
        "Share this article",
        "© 2024 Example Media. All rights reserved.",
        "Alle Rechte vorbehalten.",
        "Photo: Reuters/John Smith",
        "Foto: dpa",
        "Last updated on October 9th, 2022 at 12:05 pm",
        "Zuletzt aktualisiert am 3. März 2023 um 14:05 Uhr",
        "Mis à jour le 12 mars 2023 à 10h15",
        "By Jane Doe",
        "Tue, 21-Oct-2025",
        "Previous article",
        "Nächster Artikel",
        "Lascia un commento",
        "Deixe um comentário",
        "Laat een reactie achter",
        "Originally published at www.example.com on November 18, 2011.",
        "This article originally appeared in The Atlantic.",
    ],
)
def test_generic_prompts_are_boilerplate(prompt: str) -> None:
    assert is_boilerplate_block(prompt)


@pytest.mark.parametrize(
    "sentence",
    [
        "By Tuesday evening, the council had approved the budget.",
        "Von Montag an gilt die neue Regel.",
        "Share prices fell sharply after the announcement.",
        "The photo agency said the image had been altered.",
        "Published in 2019, the report found that rents rose by a third.",
        "Tag der Deutschen Einheit wird in Berlin gefeiert.",
        "HTTP/1.1 200 OK",
        "McLintock, Alexander, ed. (April 2009) [originally published in 1966]. Maori Music. An Encyclopaedia.",
    ],
)
def test_story_sentences_are_not_boilerplate(sentence: str) -> None:
    assert not is_boilerplate_block(sentence)


@pytest.mark.parametrize(
    "heading",
    [
        "Related articles",
        "Lesen Sie auch",
        "À lire aussi",
        "Lee también",
        "Leggi anche",
        "Leia também",
        "Lees ook",
    ],
)
def test_related_sections_and_their_teasers_are_removed(heading: str) -> None:
    text = "\n".join([*STORY, heading, "Budget row splits the council", "Schools brace for cuts..."])
    assert clean_text(text) == "\n".join(STORY)


def test_inline_read_more_link_removed() -> None:
    text = "\n".join([STORY[0], "Read more: Council delays vote on transit plan", *STORY[1:]])
    assert clean_text(text) == "\n".join(STORY)


def test_comment_section_cut_at_the_end() -> None:
    text = "\n".join([*STORY, "3 comments", "Great article, thanks!", "I disagree with the mayor."])
    assert clean_text(text) == "\n".join(STORY)


def test_repeated_headline_removed_and_title_suffix_stripped() -> None:
    extracted = Extracted(
        text="\n".join(["Council approves budget", *STORY, "Council approves budget"]),
        title="Council approves budget | The Daily Example",
        site_name="The Daily Example",
    )
    cleaned = clean(extracted)
    assert cleaned.title == "Council approves budget"
    assert cleaned.text == "\n".join(STORY)


def test_author_name_and_bio_at_the_end_removed() -> None:
    bio = "Gerald Omondi is a writer who covers politics and city hall for the paper."
    extracted = Extracted(text="\n".join([*STORY, "Gerald Omondi", bio]), authors=["By Gerald Omondi"])
    cleaned = clean(extracted)
    assert cleaned.authors == ["Gerald Omondi"]
    assert cleaned.text == "\n".join(STORY)


def test_future_date_cleared_and_never_empty() -> None:
    future = dt.datetime.now(dt.UTC) + dt.timedelta(days=30)
    cleaned = clean(Extracted(text="Advertisement", published=future))
    assert cleaned.published is None
    assert cleaned.text == "Advertisement"  # an over-eager rule must not empty an article


def test_slideshow_captions_removed() -> None:
    story = "The council approved the budget on Tuesday after a long debate about the harbour wall."
    gallery = [
        f"- {i}/50 Another story caption number {i} about something else entirely." for i in range(1, 6)
    ]
    text = "\n".join([story, *gallery, story.replace("Tuesday", "Wednesday")])
    assert clean_text(text).splitlines() == [story, story.replace("Tuesday", "Wednesday")]
    # two numbered blocks, or fractions in prose, are not a gallery
    kept = "\n".join([story, "1/3 of the budget goes to schools.", "2/3 goes to roads and the harbour."])
    assert clean_text(kept) == kept


@pytest.mark.parametrize(
    "label",
    [
        "This is a modal window.",
        "This is a modal window. This modal can be closed by pressing the Escape key or activating the close button.",
        "descriptions off, selected",
        "subtitles off, selected",
        "default, selected",
        "Beginning of dialog window. Escape will cancel and close the window.",
    ],
)
def test_video_player_labels_are_boilerplate(label: str) -> None:
    assert is_boilerplate_block(label)


@pytest.mark.parametrize(
    "heading",
    [
        "Other Opinion Columns",
        "Other stories",
        "Weitere Meldungen",
        "Autres articles",
        "Otras noticias",
        "Altri articoli",
        "Outras notícias",
        "Andere artikelen",
    ],
)
def test_related_section_of_title_and_summary_pairs_removed(heading: str) -> None:
    teasers = [
        "Fraser's lasting legacy",
        "An effective prime minister controversially installed, soundly elected and re-elected, a reformer.",
        "Wave of stupidity",
        "How is it that ideas and philosophies that are patently absurd capture people's imagination?",
        "Own backyard",
    ]
    assert clean_text("\n".join([*STORY, heading, *teasers])) == "\n".join(STORY)


def test_section_heading_after_a_related_label_kept() -> None:
    # a "Read more" box whose links were pruned leaves its label; the next section of the story stays
    section = (
        "It contains the most germs of anything in the room. Other studies have said the TV remote and the "
        "bedside lamp switches are the most unhygienic, because they are easy for the housekeepers to forget "
        "when they clean the room between two guests in a hurry, Forrest Jones said."
    )
    text = "\n".join([*STORY, "Read more", "5. Beware the wall-mounted hairdryer", section])
    assert clean_text(text) == "\n".join([*STORY, "5. Beware the wall-mounted hairdryer", section])


def test_summary_sentence_after_a_related_heading_is_a_teaser_only_between_titles() -> None:
    # a short paragraph right after the heading (no teaser title before it) is the story going on
    text = "\n".join([STORY[0], "Related articles", STORY[1], STORY[2]])
    assert clean_text(text) == "\n".join(STORY)


@pytest.mark.parametrize(
    "line",
    [
        "Reviewed by Hansa D. Bhargava, MD",
        "Medically reviewed by Jane Roe, PhD",
        "Fact-checked by John Doe",
        "Geprüft von Anna Schmidt",
        "This website and all documents on it are licensed under a Creative Commons Attribution-Share Alike 3.0 License.",
        "Ce site est publié sous licence Creative Commons BY-SA.",
        "Submit comments on this post to <jane@example.org>.",
    ],
)
def test_reviewer_lines_site_licences_and_comment_addresses_are_boilerplate(line: str) -> None:
    assert is_boilerplate_block(line)


@pytest.mark.parametrize(
    "sentence",
    [
        "The photos were reviewed by the agency before the court accepted them as evidence.",
        "The textbook, licensed under Creative Commons, is now used by schools across the state because it is free.",
    ],
)
def test_sentences_about_reviews_and_licences_stay(sentence: str) -> None:
    assert not is_boilerplate_block(sentence)


def test_indented_lines_of_preformatted_text_are_not_link_lines() -> None:
    """A protocol exchange in a <pre> block: header lines look like "Label: https://..." link lines."""
    exchange = [
        "    GET /storage/ HTTP/1.1",
        "    Origin: https://app.example.org",
        "    Referer: https://app.example.org/",
    ]
    text = clean_text("\n".join([*STORY, *exchange]))
    assert "Origin: https://app.example.org" in text
    assert "Referer: https://app.example.org/" in text
    assert is_boilerplate_block("More coverage: https://example.org/a and https://example.org/b")
