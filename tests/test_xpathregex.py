"""trafilatura's short regex tests rewritten as string functions select exactly what the regexes select."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lxml_html
from trafilatura import xpaths

from newsharvest.demo.sitegen import generate_site
from pipelines import xpathregex
from pipelines.extract import extract_article
from pipelines.xpathregex import expand_regex, rewrite, rewrite_path, xpath_test


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("^(?:post-?info|meta)", {(True, "postinfo"), (True, "post-info"), (True, "meta")}),
        ("^comment[s-]", {(True, "comments"), (True, "comment-")}),
        ("^Comments|article-comments", {(True, "Comments"), (False, "article-comments")}),
        ("[Aa]uthor|writer", {(False, "Author"), (False, "author"), (False, "writer")}),
        ("(?:post-|entry-)title", {(False, "post-title"), (False, "entry-title")}),
        ("(^|\\s)bottom", None),  # a character category
        ("bottom(\\s|$)", None),  # an end anchor
        ("^[Cc]omment(?!ary)", None),  # a lookahead
        ("a?", None),  # matches the empty string, so every attribute
        ("x^y", None),  # "^" after text
        ("a+b", None),  # a repetition
        ("(?i:abc)", None),  # inline flags
        ("it's", None),  # a quote cannot go into an XPath literal
        ("[a-z]x", None),  # a range
    ],
)
def test_expand_regex(pattern: str, expected: set[tuple[bool, str]] | None) -> None:
    found = expand_regex(pattern)
    assert (set(found) if found is not None else None) == expected


def test_long_alternations_stay_regexes() -> None:
    words = "|".join(f"word{i}" for i in range(xpathregex.MAX_ALTERNATIVES + 1))
    assert expand_regex(words) is None
    assert xpath_test("@class", "a?b?c?d?e?") is None  # 32 strings


def test_rewrite_path_keeps_flagged_and_unexpandable_tests() -> None:
    path = "//div[re:test(@class, 'fulltext', 'i') or re:test(@id, '(^|\\s)x') or re:test(@class, '^meta')]"
    rewritten = rewrite_path(path)
    assert rewritten is not None
    assert "re:test(@class, 'fulltext', 'i')" in rewritten
    assert "re:test(@id, '(^|\\s)x')" in rewritten
    assert "starts-with(@class, 'meta')" in rewritten
    assert rewrite_path("//div[re:test(@id, '(^|\\s)x')]") is None


def test_redundant_strings_are_left_out() -> None:
    # "comments" contains "comment": contains(., 'comments') adds nothing to contains(., 'comment').
    assert xpath_test("@id", "comment|comments|^comments-box") == "(contains(@id, 'comment'))"


def _trafilatura_pairs() -> list[tuple[str, etree.XPath, etree.XPath]]:
    xpathregex.uninstall()
    try:
        pairs = []
        for name in dir(xpaths):
            found = getattr(xpaths, name)
            if not isinstance(found, list):
                continue
            for item in found:
                original = getattr(item, "xpath", item)
                if isinstance(original, etree.XPath):
                    new = rewrite(original)
                    if new is not original:
                        pairs.append((name, original, new))
        return pairs
    finally:
        xpathregex.install()


def _literals(pairs: list[tuple[str, etree.XPath, etree.XPath]]) -> list[str]:
    found = set()
    for _, original, _ in pairs:
        for match in re.finditer(r"'([^']*)'", original.path):
            found.update(t for t in re.split(r"[^\w-]+", match.group(1)) if t)
    return sorted(found)


def _random_tree(rng: random.Random, tokens: list[str]) -> etree._Element:
    def value() -> str:
        # Tokens glued, spaced, cut, cased and prefixed, so starts-with / contains edges are all exercised.
        parts = []
        for _ in range(rng.randint(1, 3)):
            token = rng.choice(tokens)
            token = rng.choice([token, token.upper(), token.capitalize(), token[1:], token[:-1], "x" + token])
            parts.append(token)
        return rng.choice([" ", "", "-", "_"]).join(parts)

    def element(depth: int) -> str:
        tag = rng.choice(["div", "section", "p", "span", "li", "ul", "ol", "footer", "a", "h2", "article"])
        attrs = ""
        for name in rng.sample(["id", "class", "style", "href"], rng.randint(0, 4)):  # random attribute order
            attrs += f' {name}="{value()}"'
        inner = "".join(element(depth + 1) for _ in range(rng.randint(0, 3))) if depth < 4 else "text"
        return f"<{tag}{attrs}>{inner}</{tag}>"

    return lxml_html.fromstring(f"<html><body>{element(0)}{element(0)}{element(0)}</body></html>")


def test_rewritten_trafilatura_xpaths_select_the_same_nodes_on_random_trees() -> None:
    pairs = _trafilatura_pairs()
    names = {name for name, _, _ in pairs}
    assert len(pairs) >= 10 and {"AUTHOR_XPATHS", "CATEGORIES_XPATHS", "TAGS_XPATHS"} <= names
    tokens = _literals(pairs)
    rng = random.Random(7)
    matched = 0
    for _ in range(300):
        tree = _random_tree(rng, tokens)
        for _, original, new in pairs:
            expected = original(tree)
            assert new(tree) == expected, (original.path, new.path)
            matched += len(expected)
    assert matched > 1000  # the trees do hit the selectors


def test_install_is_idempotent_and_keeps_guards() -> None:
    from pipelines.xpathguard import GuardedXPath

    xpathregex.install()
    assert xpathregex.install() == 0  # already rewritten
    guarded = [x for x in xpaths.RAW_TREE_PRUNE_XPATH if isinstance(x, GuardedXPath)]
    xpathregex.uninstall()
    xpathregex.install()
    assert guarded and all(isinstance(x, GuardedXPath) for x in xpaths.RAW_TREE_PRUNE_XPATH)


def test_a_guarded_xpath_keeps_its_guard_with_the_rewrite_inside() -> None:
    from pipelines.xpathguard import GuardedXPath, guard, guard_literals

    path = ".//*[self::div or self::section][re:test(@id, '^comment[s-]') or re:test(@class, 'infinite-?scroll')]"
    original = etree.XPath(path, namespaces={"re": "http://exslt.org/regular-expressions"})
    rewritten = rewrite(original)
    assert "re:test" not in rewritten.path
    # The guard reads the rewritten tests too: their strings are longer forms of the regexes' literals.
    assert guard_literals(path) == {"comment", "infinite"}
    assert guard_literals(rewritten.path) == {"comments", "comment-", "infinitescroll", "infinite-scroll"}
    for order in ("guard first", "rewrite first"):
        items = [original] if order == "guard first" else [rewritten]
        guard(items)
        if order == "guard first":
            items[0].xpath = rewrite(items[0].xpath)
        assert isinstance(items[0], GuardedXPath) and "re:test" not in items[0].xpath.path
        tree = lxml_html.fromstring(
            "<html><body><div id='comments-1'>a</div><section class='x infinitescroll'>b</section>"
            "<div id='commentary'>c</div></body></html>"
        )
        assert [e.text for e in items[0](tree)] == [e.text for e in original(tree)] == ["a", "b"]


def test_extraction_is_the_same_with_and_without_the_rewrite(tmp_path: Path) -> None:
    generate_site(tmp_path, hosts=2, articles_per_host=6)
    pages = [p.read_bytes() for p in sorted(tmp_path.rglob("*.html"))]
    page = (
        "<html><body><article><h1>T</h1><div class='post-meta'>By <a href='/author/ann' class='author-name'>"
        "Ann Lee</a> in <a href='/category/politics/'>Politics</a></div>"
        + "<p>The council met on Monday to vote. </p>"
        * 30
        + "<div class='tags'><a href='/tag/budget/'>budget</a></div>"
        "<div id='comments' class='comments-area'><p>Great story, thanks for this piece!</p></div></article>"
    )
    pages.append(page.encode())
    assert len(pages) > 20
    rewritten = [extract_article(h, "https://n.example/a/b/") for h in pages]
    xpathregex.uninstall()
    try:
        plain = [extract_article(h, "https://n.example/a/b/") for h in pages]
    finally:
        xpathregex.install()
    assert rewritten == plain
    assert rewritten[-1] is not None and "budget" in rewritten[-1].tags
