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
