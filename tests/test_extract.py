"""Extraction: generic boilerplate containers pruned, a second chance when trafilatura finds nothing."""

from __future__ import annotations

import datetime as dt
import json

import trafilatura

from pipelines.extract import extract

PARAS = "".join(
    f"<p>Paragraph {i}: the council decided on Tuesday to rebuild the harbour wall, officials said in a "
    "statement to residents of the old town.</p>"
    for i in range(6)
)
URL = "https://www.example.com/news/2024/01/02/harbour/"


def _page(body: str, head: str = "") -> str:
    return f"<html><head>{head}</head><body>{body}</body></html>"


def test_second_chance_when_trafilatura_default_returns_none() -> None:
    html = _page(f"<aside>{PARAS}</aside>")  # a CMS that puts the story in <aside>
    assert trafilatura.extract(html) is None
    extracted = extract(html, URL)
    assert extracted is not None
    assert extracted.strategy != "precision"
    assert "rebuild the harbour wall" in extracted.text


def test_fast_mode_does_not_retry_and_flags_weak_results() -> None:
    assert extract(_page(f"<aside>{PARAS}</aside>"), URL, fast=True) is None
    short = extract(_page("<article><p>The council met on Tuesday and decided to rebuild the wall.</p></article>"),
                    URL, fast=True)  # fmt: skip
    assert short is None or short.weak


def test_comment_form_and_author_box_inside_article_pruned() -> None:
    html = _page(
        f"<article><h1>Harbour wall to be rebuilt</h1>{PARAS}"
        '<div class="author-box"><p>Jane Doe has covered the harbour for the paper since 2009 and loves it.</p></div>'
        '<div id="respond"><h3>Leave a Reply</h3><form><textarea></textarea></form></div></article>'
    )
    extracted = extract(html, URL)
    assert extracted is not None
    assert "Paragraph 5" in extracted.text
    assert "Jane Doe has covered" not in extracted.text
    assert "Leave a Reply" not in extracted.text


def test_metadata_title_suffix_authors_and_published_date() -> None:
    ld = {
        "@type": "NewsArticle",
        "headline": "Harbour wall to be rebuilt",
        "datePublished": "2024-01-02T08:00:00Z",
        "dateModified": "2024-03-04T09:00:00Z",
        "author": [
            {"@type": "Person", "name": "By Jane Doe"},
            {"@type": "Organization", "name": "Example News"},
        ],
        "publisher": {"@type": "Organization", "name": "Example News"},
    }
    head = (
        "<title>Harbour wall to be rebuilt | Example News</title>"
        '<meta property="og:site_name" content="Example News">'
        '<meta property="article:modified_time" content="2024-03-04T09:00:00Z">'
        f'<script type="application/ld+json">{json.dumps(ld)}</script>'
    )
    extracted = extract(_page(f"<article>{PARAS}</article>", head), URL)
    assert extracted is not None
    assert extracted.title == "Harbour wall to be rebuilt"
    assert extracted.published == dt.datetime(2024, 1, 2, 8, tzinfo=dt.UTC)
    assert "Example News" not in extracted.authors
    assert all(not a.lower().startswith("by ") for a in extracted.authors)


def _sections(heading: str) -> str:
    return "".join(f"<h2>{heading.format(i=i)}</h2>{PARAS}" for i in range(3))


def test_section_headings_with_in_page_anchors_kept() -> None:
    # permalinks, table-of-contents back-references and empty anchors point inside the page
    for heading in (
        '<a class="toc-backref" href="#s{i}">Section number {i} of the report</a>',
        'Section number {i} of the report<a class="headerlink" href="#s{i}">\u00b6</a>',
        '<a class="anchor" id="s{i}"></a>Section number {i} of the report',
    ):
        for url in (URL, None):
            result = extract(_page(f"<article>{_sections(heading)}</article>"), url)
            assert result is not None
            for i in range(3):
                assert f"Section number {i} of the report" in result.text, (heading, url)


def test_heading_linking_elsewhere_left_to_trafilatura() -> None:
    from lxml import html as lxml_html

    from pipelines.extract import prune

    tree = lxml_html.fromstring(
        '<div><h2><a href="https://other.example.com/story">Another story</a></h2>'
        '<h2><a href="#here">Here</a> and <a id="x"></a>there</h2></div>'
    )
    prune(tree)
    assert tree.xpath("//h2[1]/a/@href") == ["https://other.example.com/story"]
    second = tree.xpath("//h2")[1]
    assert second.findall("a") == [] and second.text_content() == "Here and there"
