"""Guarded prune XPaths select exactly what trafilatura's own do, and extraction output does not change."""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lxml_html
from trafilatura import xpaths

from newsharvest.demo.sitegen import generate_site
from pipelines import xpathguard
from pipelines.extract import extract_article
from pipelines.xpathguard import GuardedXPath, guard_literals


@contextmanager
def without_guards() -> Iterator[None]:
    xpathguard.uninstall()
    try:
        yield
    finally:
        xpathguard.install()


def test_trafilatura_comment_and_scroll_xpaths_are_guarded() -> None:
    xpathguard.install()
    guarded = [
        x for name in xpathguard.PRUNE_LISTS for x in getattr(xpaths, name) if isinstance(x, GuardedXPath)
    ]
    assert len(guarded) >= 3  # the infinite-scroll prune and both comment prunes
    assert any("omment" in x.literals for x in guarded)
    links = sum(len(getattr(xpaths, name)) for name in xpathguard.HREF_LISTS)
    assert xpathguard.install() == len(guarded) + links  # idempotent


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (
            ".//*[self::div][re:test(@id, '^comment') or re:test(@class, 'disqus|comol')]",
            {"comment", "disqus", "comol"},
        ),
        (".//*[self::div][contains(@class, 'share') or re:test(@id, 'x-(?:a|b)')]", {"share", "x-"}),
        (".//*[self::div][re:test(@id, 'a?')]", None),  # matches an empty id: cannot be guarded
        (".//*[self::div][re:test(@style, 'hidden') or re:test(@id, 'abc')]", None),  # another attribute
        (".//*[self::div][contains(@id, '')]", None),
        (".//*[re:test(@id, 'abc')]", None),  # no node test before the condition
    ],
)
def test_guard_literals(path: str, expected: set[str] | None) -> None:
    found = guard_literals(path)
    assert (set(found) if found is not None else None) == expected


_TOKENS = [
    "comment", "Comment", "comments", "commentary", "Commentary-box", "comol", "disqus_thread", "dsq-comments",
    "article-comments", "post-comments", "infinite-scroll", "infinitescroll", "mvp-post-add-box", "mvp-post-add-wrap",
    "content", "main", "entry", "nav", "sidebar", "x-comment", "my-comments-list", "",
]  # fmt: skip


def _random_tree(rng: random.Random) -> etree._Element:
    def element(depth: int) -> str:
        tag = rng.choice(["div", "section", "aside", "ul", "ol", "details", "p", "span", "list"])
        attrs = ""
        if rng.random() < 0.5:
            attrs += f' id="{rng.choice(_TOKENS)}"'
        if rng.random() < 0.5:
            attrs += f' class="{" ".join(rng.sample(_TOKENS, rng.randint(1, 2)))}"'
        inner = "".join(element(depth + 1) for _ in range(rng.randint(0, 3))) if depth < 4 else "text"
        if rng.random() < 0.1:
            inner += "<h1>Headline</h1>"
        return f"<{tag}{attrs}>{inner}</{tag}>"

    return lxml_html.fromstring(f"<html><body>{element(0)}{element(0)}</body></html>")


def test_guarded_xpaths_select_the_same_elements_on_random_trees() -> None:
    xpathguard.install()
    guarded = [
        x for name in xpathguard.PRUNE_LISTS for x in getattr(xpaths, name) if isinstance(x, GuardedXPath)
    ]
    rng = random.Random(3)
    hits = skipped = 0
    for _ in range(400):
        tree = _random_tree(rng)
        for xpath in guarded:
            expected = xpath.xpath(tree)
            assert xpath(tree) == expected
            hits += bool(expected)
            skipped += not any(lit in " ".join(tree.xpath(".//@id|.//@class")) for lit in xpath.literals)
    assert hits and skipped  # both matching trees and trees the guard skips were seen


def test_pruning_with_guarded_lists_gives_the_same_trees() -> None:
    """trafilatura deletes each XPath's matches before evaluating the next: the list's shared read of ids and
    classes (taken before the first XPath) must not hide anything from the later ones."""
    from copy import deepcopy

    from trafilatura.htmlprocessing import prune_unwanted_nodes

    xpathguard.install()
    rng = random.Random(5)
    for _ in range(300):
        tree = _random_tree(rng)
        if (
            rng.random() < 0.3
        ):  # a share bar inside an infinite-scroll container: both XPaths of the list match
            tree.find(".//body").append(
                lxml_html.fromstring('<div class="elementor-share-buttons">Share</div>')
            )
        for name in xpathguard.PRUNE_LISTS:
            guarded_list = getattr(xpaths, name)
            plain_list = [x.xpath if isinstance(x, GuardedXPath) else x for x in guarded_list]
            a, b = deepcopy(tree), deepcopy(tree)
            prune_unwanted_nodes(a, guarded_list)
            prune_unwanted_nodes(b, plain_list)
            assert etree.tostring(a) == etree.tostring(b)


def test_extraction_is_the_same_with_and_without_guards(tmp_path: Path) -> None:
    truth = generate_site(tmp_path, hosts=2, articles_per_host=6)
    pages = sorted(tmp_path.rglob("*.html"))
    assert len(pages) > 20
    page = "<html><body><article><h1>T</h1>" + "<p>The council met on Monday to vote. </p>" * 30
    page += "<div id='comments' class='comments-area'><p>Great story, thanks for this piece!</p></div>"
    page += (
        "<div class='infinite-scroll'><h2>Next story</h2><p>Another story that follows.</p></div></article>"
    )
    htmls = [p.read_bytes() for p in pages] + [page.encode()]
    guarded = [extract_article(h, "https://n.example/a/b/") for h in htmls]
    with without_guards():
        plain = [extract_article(h, "https://n.example/a/b/") for h in htmls]
    assert guarded == plain
    assert truth.hosts and any(r is not None and "council met" in r.text for r in guarded)


def test_category_and_tag_xpaths_are_guarded_by_their_href_literal() -> None:
    xpathguard.install()
    for name, literal in xpathguard.HREF_LISTS.items():
        found = getattr(xpaths, name)
        assert found and all(isinstance(x, GuardedXPath) and x.literals == (literal,) for x in found)


def test_guard_links_only_wraps_lists_of_link_xpaths() -> None:
    links = [etree.XPath("//div[@class='tags']//a[@href]"), etree.XPath("//p//a[@href]")]
    assert xpathguard.guard_links(links, "/tag") == 2
    mixed = [etree.XPath("//div[@class='tags']//a[@href]"), etree.XPath("//div[@class='tags']//span")]
    assert xpathguard.guard_links(mixed, "/tag") == 0
    assert all(isinstance(x, etree.XPath) for x in mixed)


@pytest.mark.parametrize(
    "links",
    [
        "",  # no link at all
        "<a href='/news/a'>a</a>",  # links, none to a category or tag page
        "<a href='/tag/budget/'>budget</a>",  # a tag link outside the tag containers
        "<a href='/tags/x'>x</a><a href='/category/politics/'>Politics</a>",
    ],
)
def test_categories_and_tags_are_the_same_with_and_without_guards(links: str) -> None:
    from trafilatura.metadata import extract_catstags

    page = (
        "<html><head><meta property='article:section' content='World'></head><body>"
        f"<div class='post-meta'>{links}<a href='/category/world/'>World</a></div>"
        "<div class='tags'><a href='/tag/rail/'>rail</a><a href='/about/'>About</a></div>"
        f"<footer class='entry-meta'>{links}</footer></body></html>"
    )
    for variant in (page, page.replace("/category/world/", "/world/").replace("/tag/rail/", "/rail/")):
        tree = lxml_html.fromstring(variant)
        xpathguard.install()
        guarded = extract_catstags("category", tree), extract_catstags("tag", tree)
        with without_guards():
            plain = extract_catstags("category", tree), extract_catstags("tag", tree)
        assert guarded == plain


def test_lists_evaluated_one_after_the_other_share_one_read_and_prune_the_same() -> None:
    """trafilatura prunes the raw tree with two lists in a row: the second list's guard uses the read taken
    before the first list deleted anything (a superset of what is left), and the result is the same."""
    from copy import deepcopy

    from trafilatura.htmlprocessing import prune_unwanted_nodes

    xpathguard.install()
    first, second = (getattr(xpaths, name) for name in xpathguard.SHARED_PRUNE_LISTS)
    assert first[0]._scan is second[0]._scan  # one read for both
    rng = random.Random(9)
    for _ in range(300):
        tree = _random_tree(rng)
        guarded, plain = deepcopy(tree), deepcopy(tree)
        for items in (first, second):
            prune_unwanted_nodes(guarded, items)
            prune_unwanted_nodes(plain, [x.xpath if isinstance(x, GuardedXPath) else x for x in items])
        assert etree.tostring(guarded) == etree.tostring(plain)
