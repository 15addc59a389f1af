"""Metadata users can rely on: headline without site suffix, names as authors, the publication date."""

from __future__ import annotations

import datetime as dt

from lxml import html

from pipelines.metadata import choose_published, choose_title, clean_title, normalise_authors, page_metadata

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


def test_later_than_modified_is_not_published() -> None:
    meta = _meta('<meta property="article:modified_time" content="2024-03-04T09:00:00+00:00">')
    # a date after the declared modification cannot be the publication date
    assert choose_published(meta, "2024-03-20", "<html><body><p>text</p></body></html>", now=NOW) is None


def test_crawl_day_header_date_is_not_published() -> None:
    page = "<html><body><header>Saturday, June 1, 2024</header><p>Story text.</p></body></html>"
    assert choose_published(_meta(""), "2024-06-01", page, now=NOW) is None
    # ... unless the URL carries that day
    url = "https://news.example.com/2024/06/01/story"
    assert choose_published(_meta(""), "2024-06-01", page, now=NOW, url=url) == dt.datetime(
        2024, 6, 1, tzinfo=dt.UTC
    )
    # a declared publication date on the crawl day is the page's own word
    meta = _meta('<meta property="article:published_time" content="2024-06-01T08:00:00Z">')
    assert choose_published(meta, None, page, now=NOW) == dt.datetime(2024, 6, 1, 8, tzinfo=dt.UTC)


def test_future_declared_date_falls_back_but_never_to_the_future() -> None:
    meta = _meta('<meta property="article:published_time" content="2030-01-01T00:00:00Z">')
    assert choose_published(meta, "2024-02-03", now=NOW) == dt.datetime(2024, 2, 3, tzinfo=dt.UTC)
    assert choose_published(meta, "2029-02-03", now=NOW) is None


def test_authors_not_prefixes_bios_or_the_site() -> None:
    assert normalise_authors(["By"]) == []
    assert normalise_authors(["By:", "Jane Doe"]) == ["Jane Doe"]
    assert normalise_authors(["Jane Doe is a reporter"]) == []
    assert normalise_authors(["Jane Doe writes about tech"]) == []
    assert normalise_authors(["The Daily Example Staff"], site_name="The Daily Example") == []
    assert normalise_authors(["Daily Example"], site_name="The Daily Example") == []
    assert normalise_authors(["Jane Doe and John Roe, Daily Example"], site_name="Daily Example") == [
        "Jane Doe",
        "John Roe",
    ]
    assert normalise_authors(["Ludwig van Beethoven", "Maria da Silva"]) == [
        "Ludwig van Beethoven",
        "Maria da Silva",
    ]


def test_authors_dates_and_joiners_split() -> None:
    assert normalise_authors(["Jane Doe | March 3, 2024"]) == ["Jane Doe"]
    assert normalise_authors(["Jane Doe 3 hours ago"]) == ["Jane Doe"]
    assert normalise_authors(["Jane Doe, John Roe, and Ann Lee"]) == ["Jane Doe", "John Roe", "Ann Lee"]
    assert normalise_authors(["Jane Doe with John Roe"]) == ["Jane Doe", "John Roe"]
    assert normalise_authors(["Jane Doe & John Roe"]) == ["Jane Doe", "John Roe"]


def test_title_site_suffix_from_og_site_name_only() -> None:
    from pipelines.extract import extract

    body = "<p>" + "The council met on Tuesday and approved the budget after a long debate. " * 10 + "</p>"
    for head in (
        "<title>Council approves budget - Acme Gazette</title>",
        "<title>Council approves budget | Acme Gazette</title>",
        "<title>Council approves budget \u2013 The Acme Gazette</title>",
        '<title>Council approves budget - Acme Gazette</title><script type="application/ld+json">'
        '{"@type": "NewsArticle", "publisher": {"name": "Acme Media Group"}}</script>',
    ):
        page = (
            f'<html><head>{head}<meta property="og:site_name" content="Acme Gazette"></head>'
            f"<body><article>{body}{body}</article></body></html>"
        )
        extracted = extract(page, "https://news.example.com/a/1")
        assert extracted is not None
        assert extracted.title == "Council approves budget", head
    assert clean_title("Council approves budget - Acme Gazette", "Acme Gazette") == "Council approves budget"


def test_placeholder_modified_date_ignored() -> None:
    meta = _meta('<meta property="article:modified_time" content="0001-01-01T00:00:00Z">')
    assert choose_published(meta, "2024-02-03", now=NOW) == dt.datetime(2024, 2, 3, tzinfo=dt.UTC)


_STORY = "<p>" + "The council met on Tuesday and approved the budget after a long debate. " * 10 + "</p>"


def _page(head: str, header: str) -> str:
    return f"<html><head>{head}</head><body>{header}<article>{_STORY}{_STORY}</article></body></html>"


def test_a_section_name_in_the_only_h1_is_not_the_headline() -> None:
    from pipelines.extract import extract

    header = "<h1>Allergies Health Center</h1><h2>Council approves the budget for next year</h2>"
    page = _page("<title>Council approves the budget for next year</title>", header)
    extracted = extract(page, "https://news.example.com/a/1")
    assert extracted is not None
    assert extracted.title == "Council approves the budget for next year"


def test_the_title_element_picks_among_headings_by_its_first_segment() -> None:
    tree = html.fromstring(
        "<html><head><title>Conversations with a Cryptid - Chapter 1 - Author | Fandom | Other Fandom"
        "</title></head><body><h1>Story Archive beta</h1><h2>Conversations with a Cryptid</h2></body></html>"
    )
    assert (
        choose_title("Story Archive beta", page_metadata(tree), tree=tree) == "Conversations with a Cryptid"
    )


def test_a_headline_the_page_declares_or_its_title_shares_is_kept() -> None:
    def choose(candidate: str, head: str, body: str) -> str | None:
        tree = html.fromstring(f"<html><head>{head}</head><body>{body}</body></html>")
        return choose_title(candidate, page_metadata(tree), tree=tree)

    headings = "<h1>Mayor resigns after audit</h1><h2>Council approves the budget for next year</h2>"
    title = "<title>Council approves the budget for next year</title>"
    mayor = "Mayor resigns after audit"
    assert choose(mayor, title, headings) == "Council approves the budget for next year"  # the rule applies
    # unless the page declares the candidate: og:title, twitter:title or JSON-LD headline
    for meta_tag in ("og:title", "twitter:title"):
        declared = (
            f'{title}<meta property="{meta_tag}" content="{mayor}"><meta name="{meta_tag}" content="{mayor}">'
        )
        assert choose(mayor, declared, headings) == mayor
    jsonld = f'<script type="application/ld+json">{{"@type": "NewsArticle", "headline": "{mayor}"}}</script>'
    assert choose(mayor, title + jsonld, headings) == mayor
    # reworded, but the same story: "Mayor quits" against "Mayor resigns after damning audit"
    assert choose(mayor, "<title>Mayor quits after damning audit | Acme</title>", headings) == mayor
    # no heading the <title> names: the candidate stays (a generic <title> never replaces a headline)
    assert choose(mayor, "<title>Acme Gazette online edition home</title>", headings) == mayor
    # too little <title> to judge by
    assert choose(mayor, "<title>Home</title>", headings) == mayor


def test_the_title_element_is_the_first_non_empty_one_outside_svg() -> None:
    meta = page_metadata(
        html.fromstring(
            "<html><head><title></title></head><body><svg><title>Close icon</title></svg>"
            "<title>Council approves the budget - Acme</title></body></html>"
        )
    )
    assert meta.document_title == "Council approves the budget - Acme"


def test_a_headline_the_body_shows_replaces_a_logo_h1() -> None:
    # the only <h1> is the site's logo; the headline is a <dt> of the article's header, as in <title>
    header = '<h1>엔터 미디어</h1><dl class="newsTitle"><dt>악녀의 덫에 걸린 이유리, 막장극 어울리는 남상미</dt></dl>'
    title = "<title>악녀의 덫에 걸린 이유리, 막장극 어울리는 남상미 - Entermedia</title>"
    tree = html.fromstring(_page(title, header))
    got = choose_title(
        "엔터 미디어", page_metadata(tree), url="http://www.entermedia.co.kr/news/1", tree=tree
    )
    assert got == "악녀의 덫에 걸린 이유리, 막장극 어울리는 남상미"
    # the same text only in a link (a teaser) or in the page header is not shown as this page's headline
    for wrapped in (
        '<a href="/news/1">악녀의 덫에 걸린 이유리, 막장극 어울리는 남상미</a>',
        "<header><p>악녀의 덫에 걸린 이유리, 막장극 어울리는 남상미</p></header>",
    ):
        tree = html.fromstring(_page(title, f"<h1>엔터 미디어</h1>{wrapped}"))
        got = choose_title(
            "엔터 미디어", page_metadata(tree), url="http://www.entermedia.co.kr/news/1", tree=tree
        )
        assert got == "엔터 미디어", wrapped


def test_site_suffix_recognised_under_a_country_second_level_domain() -> None:
    for host in ("www.entermedia.co.kr", "entermedia.com.au", "www.entermedia.de"):
        assert clean_title("Story of the day - Entermedia", url=f"https://{host}/a") == "Story of the day", (
            host
        )
    # a hyphenated headline part that is not the site stays
    assert (
        clean_title("Story - the day after", url="https://www.entermedia.co.kr/a") == "Story - the day after"
    )


def test_authors_without_jobs_letters_agencies_or_sites() -> None:
    assert normalise_authors(["Greg Beacham", "Ap Sports Writer"]) == ["Greg Beacham"]
    assert normalise_authors(["CNN Editor-at-large"]) == []
    assert normalise_authors(["News Nation Bureau"]) == []
    assert normalise_authors(["Rachael Link, MS, RD"]) == ["Rachael Link"]
    assert normalise_authors(["Brenda Goodman, MA", "Jane Roe, Ph.D."]) == ["Brenda Goodman", "Jane Roe"]
    assert normalise_authors(["JILL LAWLESS Associated Press"]) == ["Jill Lawless"]
    assert normalise_authors(["Jane Doe AP", "John Okon Efe"]) == ["Jane Doe", "John Okon Efe"]  # Efe: a name
    assert normalise_authors(["Associated Press"]) == ["Associated Press"]  # an agency's own credit stays
    assert normalise_authors(["The Associated Press"]) == ["The Associated Press"]
    assert normalise_authors(
        ["Finian Cunningham Sputnik International"], site_name="Sputnik International"
    ) == ["Finian Cunningham"]
    assert normalise_authors(["Associated Press"], publisher="Associated Press") == []  # the site itself
    assert normalise_authors(["Username", "Cleveland.com", "The Russian"]) == []
    assert normalise_authors(["Sandee LaMotte", "CNN"], url="https://edition.cnn.com/2019/x") == [
        "Sandee LaMotte"
    ]


def test_authors_middle_initials_and_capitals() -> None:
    assert normalise_authors(["Bruce Y Lee"]) == ["Bruce Y Lee"]  # "y" joins names only in lower case
    assert normalise_authors(["Juan Pérez y María López"]) == ["Juan Pérez", "María López"]
    assert normalise_authors(["Troy Smith", "Troy L. Smith"]) == ["Troy Smith"]
    assert normalise_authors(["GREG BEACHAM"]) == ["Greg Beacham"]
    assert normalise_authors(["J.R.R. Tolkien", "AFP"]) == ["J.R.R. Tolkien", "AFP"]


def test_json_ld_authors_come_before_the_byline_search() -> None:
    from pipelines.extract import extract

    def authors(jsonld_author: str, meta_author: str) -> list[str]:
        jsonld = (
            '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Council approves budget",'
            f' "author": [{{"@type": "Person", "name": "{jsonld_author}"}}], "publisher": {{"name": "Acme"}}}}'
            "</script>"
        )
        head = f'<title>Council approves budget</title><meta name="author" content="{meta_author}">{jsonld}'
        extracted = extract(_page(head, "<h1>Council approves budget</h1>"), "https://acme.example.com/a/1")
        assert extracted is not None
        return extracted.authors

    # the page's <meta name="author"> names the group that owns the site as well
    assert authors("Molly Wood", "Condé Nast; Molly Wood") == ["Molly Wood"]
    # JSON-LD naming only the site: the byline search finds the writer
    assert authors("Acme", "Molly Wood") == ["Molly Wood"]
