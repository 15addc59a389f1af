"""The byline search without the copy and prune of the whole page finds what trafilatura's own finds."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from lxml import html as lxml_html
from trafilatura import metadata as traf_metadata
from trafilatura.utils import load_html

import pipelines.extract  # noqa: F401  (installs the replacement)
from newsharvest.demo.sitegen import generate_site
from pipelines import author_fast


def trafilatura_own(tree):
    assert author_fast._ORIGINAL is not None
    return author_fast._ORIGINAL(tree)


def test_installed_in_trafilatura_metadata() -> None:
    assert traf_metadata.extract_author is author_fast.extract_author
    author_fast.install()  # idempotent: the original is kept, not the replacement
    assert author_fast._ORIGINAL is not author_fast.extract_author


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("<p class='byline'>By Ann Lee</p>", "Ann Lee"),
        # The byline holds a <time> and a <figure>: trafilatura reads it without them (their tails stay).
        ("<p class='byline'>Ann<time>3 May</time> Lee<figure>x</figure>!</p>", "Ann Lee"),
        ("<p class='byline'>Jo<time>1</time>hn Smith</p>", "John Smith"),  # the tail joins the text before
        # A byline inside a discarded section (comments, sidebar) is not the article's.
        (
            "<div class='comments'><span class='author'>Commenter Joe</span></div><span class='author'>Kim Park</span>",
            "Kim Park",
        ),
        ("<aside><div class='sidebar-box'><a rel='author'>Side Writer</a></div></aside>", None),
        ("<figure><figcaption class='author'>Photo Person</figcaption></figure>", None),
        ("<span class='author'>X</span><span class='author'>Long Enough Name</span>", "Long Enough Name"),
    ],
)
def test_same_author_as_trafilatura(body: str, expected: str | None) -> None:
    tree = lxml_html.fromstring(
        f"<html><body><article>{body}<p>Text of the story.</p></article></body></html>"
    )
    assert trafilatura_own(tree) == expected
    assert author_fast.extract_author(tree) == expected


def test_a_rel_element_goes_to_trafilatura(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    monkeypatch.setattr(author_fast, "_ORIGINAL", lambda tree: calls.append(tree) or "from trafilatura")
    tree = lxml_html.fromstring("<html><body><div><rel>me</rel>Ann Lee</div></body></html>")
    assert author_fast.extract_author(tree) == "from trafilatura"
    assert calls == [tree]


_CLASSES = ["author", "byline", "comments", "sidebar", "quote", "title", "date", "writer", "meta-date", "x"]


def _random_page(rng: random.Random) -> str:
    def element(depth: int) -> str:
        tag = rng.choice(["div", "span", "a", "p", "section", "time", "figure", "h3", "strong"])
        attrs = ""
        if rng.random() < 0.6:
            attrs += f' class="{rng.choice(_CLASSES)}{rng.choice(["", "-name", " x"])}"'
        if rng.random() < 0.15:
            attrs += f' id="{rng.choice(["author", "comments", "comment-list", "main"])}"'
        if rng.random() < 0.1:
            attrs += ' rel="author"'
        words = " ".join(rng.choice(["Ann", "Lee", "By", "and", "", "Kim"]) for _ in range(rng.randint(0, 3)))
        inner = "".join(element(depth + 1) for _ in range(rng.randint(0, 3))) if depth < 4 else ""
        tail = rng.choice(["", " Park", "x"])
        return f"<{tag}{attrs}>{words}{inner}</{tag}>{tail}"

    return f"<html><body>{''.join(element(0) for _ in range(4))}</body></html>"


def test_same_author_on_random_pages() -> None:
    rng = random.Random(11)
    found = 0
    for _ in range(500):
        tree = lxml_html.fromstring(_random_page(rng))
        expected = trafilatura_own(tree)
        assert author_fast.extract_author(tree) == expected
        found += expected is not None
    assert found > 100


def test_same_author_on_demo_pages(tmp_path: Path) -> None:
    generate_site(tmp_path, hosts=3, articles_per_host=6)
    trees = [load_html(p.read_bytes()) for p in sorted(tmp_path.rglob("*.html"))]
    trees = [t for t in trees if t is not None]
    assert len(trees) > 30
    assert [author_fast.extract_author(t) for t in trees] == [trafilatura_own(t) for t in trees]
