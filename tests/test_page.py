"""Per-page processing: the Python prune equals trafilatura's ``prune_xpath`` with ``PRUNE_XPATH``, and the
crawl's extraction path (fast pass, full extraction for weak results and small pages) behaves as documented."""

from __future__ import annotations

from copy import deepcopy

from lxml import etree
from trafilatura.core import prune_unwanted_nodes
from trafilatura.utils import load_html

from pipelines.extract import PRUNE_XPATH, SMALL_PAGE_BYTES, extract, extract_article, prune
from pipelines.page import PageOptions, process_page
from pipelines.records import Page

HTML = """<html><body><div class="wrap"><article><h1>Title</h1>
<p>First paragraph of the story, long enough to count.</p>tail one
<div class="sharedaddy sd-sharing">Share this</div>tail two
<div id="respond"><form><textarea></textarea></form></div>
<form class="search"><input name="q"></form>
<span class="name-tooltip"><a class="name-tooltip-link" href="/p">Jane</a> other stories</span>
<div class="hovercard">Read also: something else</div>
<section class="author-box">About the author</section><p>Last paragraph.</p>
<div id="comments">Comments</div></article></div></body></html>"""


def test_python_prune_matches_trafilatura_prune_xpath() -> None:
    tree = load_html(HTML)
    expected = prune_unwanted_nodes(deepcopy(tree), [etree.XPath(x) for x in PRUNE_XPATH])
    prune(tree)
    assert etree.tostring(tree) == etree.tostring(expected)
    assert b"tail two" in etree.tostring(tree) and b"Share this" not in etree.tostring(tree)


def _article(words: int, pad: int = 0) -> str:
    body = " ".join(f"word{i} sentence." for i in range(words))
    return (
        f"<html lang='en'><head><title>A story</title></head><body><article><h1>A story</h1><p>{body}</p>"
        f"</article><div class='pad'>{'x' * pad}</div></body></html>"
    )


def test_extract_article_is_extract_for_small_pages_and_fast_for_large() -> None:
    url = "https://example.org/news/2024/01/02/a-story/"
    small = _article(200)
    assert len(small) < SMALL_PAGE_BYTES
    assert extract_article(small, url) == extract(small, url)
    large = _article(200, pad=SMALL_PAGE_BYTES)
    result = extract_article(large, url)
    assert result is not None and not result.weak
    assert result.text == extract(large, url, fast=True).text


def test_process_page_uses_sampled_language_detection() -> None:
    assert PageOptions().langdetect_chars == 600
    text = "The city council approved the new budget on Tuesday after a long debate about public transport. "
    html = f"<html><body><article><h1>Budget</h1><p>{text * 10}</p></article></body></html>".encode()
    page = Page(url="https://example.org/news/2024/01/02/budget/", body=html, source="s")
    result = process_page(page, PageOptions(min_words=20))
    assert getattr(result, "language", None) == "en"


NESTED = """<html><body><div class="wrap"><article><h1>Title</h1>
<p>First paragraph of the story, long enough to count.</p>
<div class="related-posts">Related<div class="author-box">Box inside related</div>tail in related
<div id="comments">comments inside related</div><form><textarea></textarea></form></div>tail after related
<div id="respond">Respond<div class="comment-form">form inside respond</div></div>tail after respond
<div class="tooltip outer">Outer<span class="tooltip inner">Inner</span>tail inner</div>tail outer
<div class="popover"><a class="popover-link" href="/x">kept: holds its own link</a></div>
<form><div class="share-buttons"><textarea></textarea></div></form>
<p>Last paragraph.</p></article></div></body></html>"""


def test_python_prune_matches_trafilatura_on_nested_matches() -> None:
    """Matches inside matches, a form whose textarea an earlier rule removes, hover cards in hover cards."""
    tree = load_html(NESTED)
    expected = prune_unwanted_nodes(deepcopy(tree), [etree.XPath(x) for x in PRUNE_XPATH])
    prune(tree)
    assert etree.tostring(tree) == etree.tostring(expected)
    text = etree.tostring(tree, method="text", encoding="unicode")
    assert "tail after related" in text and "Box inside related" not in text
    assert "kept: holds its own link" in text


def test_listing_page_is_dropped_without_being_extracted(monkeypatch) -> None:
    import pipelines.page as page_module

    def no_extraction(*args, **kwargs):
        raise AssertionError("a declared listing page was extracted")

    listing = (
        '<html><head><meta property="og:type" content="website"><title>World</title></head><body>'
        + "".join(
            f'<h2><a href="/world/story-{i}">Story {i} headline</a></h2><p>Teaser {i}.</p>' for i in range(40)
        )
        + "</body></html>"
    ).encode()
    monkeypatch.setattr(page_module, "extract_article", no_extraction)
    result = process_page(Page(url="https://n.example/world/", body=listing, source="n"), PageOptions())
    assert result.reason.value == "not_article"
    assert "declares itself a listing" in result.detail
