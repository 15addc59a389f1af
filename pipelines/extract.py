"""Article extraction: trafilatura's text and metadata from one HTML page, with a second chance.

This stage only extracts; cleaning what trafilatura leaves behind is :mod:`pipelines.clean`'s job, and the
choice among candidate metadata values (title suffix, authors, publication date) is
:mod:`pipelines.metadata`'s.

Strategy, measured on the dev sets (see ``docs/BENCHMARKS.md``):

1. trafilatura with ``favor_precision`` and a few generic ``prune_xpath`` selectors (comment forms, author
   boxes, related-post widgets, share bars, hover cards). This is the cheap path (``fast=True`` stops here).
2. When that result is weak (nothing, or much shorter than a recall-oriented extraction of the same page),
   trafilatura with ``favor_recall``, then trafilatura's ``baseline`` (JSON-LD ``articleBody`` / ``<article>``
   / all paragraphs), then ``html2txt`` reduced to its prose-like lines. No article is dropped as empty
   while one of these still finds article-like text.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from dataclasses import dataclass, field

import trafilatura
from lxml import etree as lxml_etree
from lxml import html as lxml_html
from trafilatura.metadata import extract_metadata
from trafilatura.settings import Extractor, use_config
from trafilatura.utils import HTML_PARSER, decode_file, load_html
from trafilatura.xml import delete_element

from pipelines import author_fast, metadata, xmlchars, xpathguard, xpathregex

# lxml.html's parser picks each element's Python class with a Python callback (``HtmlElementClassLookup``),
# run every time an element is touched from Python: ~10% of the extraction's CPU on a 100 KB page. The same
# HtmlElement class chosen in C; only lxml.html's form-field subclasses (``FormElement.fields`` and the like),
# which trafilatura never uses, are lost. trafilatura parses every page with this parser, so it is set there.
HTML_PARSER.set_element_class_lookup(
    lxml_etree.ElementDefaultClassLookup(
        element=lxml_html.HtmlElement, comment=lxml_html.HtmlComment, pi=lxml_html.HtmlProcessingInstruction,
        entity=lxml_html.HtmlEntity,
    )
)  # fmt: skip

# trafilatura's regex-based prune XPaths are evaluated only on trees where they can match (same results).
xpathguard.install()
# Their short regex tests (authors, titles, categories, comment sections...) become XPath string functions,
# evaluated in C instead of by a Python callback per element (the same nodes).
xpathregex.install()
# Its byline search reads the page's own tree instead of a pruned deep copy of it (the same author).
author_fast.install()
# Its removal of the characters XML forbids runs only on pages that have one (the same text).
xmlchars.install()

_CONFIG = use_config()
# Extraction must never depend on wall-clock limits or network: we pass bytes, and no timeout.
_CONFIG.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")

# Generic boilerplate containers that trafilatura's own discard lists miss when they sit inside the article
# container. Class/id *fragments* common to CMS themes (WordPress, Drupal, Ghost...), never one site's names.
_TOKENS_ANY = (
    "comment-respond",
    "comment-form",
    "comments-area",
    "author-bio",
    "author-box",
    "authorbox",
    "about-author",
    "author-info",
    "author-description",
    "related-post",
    "related-article",
    "related-content",
    "relatedposts",
    "yarpp",
    "sharedaddy",
    "share-buttons",
    "social-share",
    "sharing-buttons",
    "newsletter-signup",
    "newsletter-form",
    "subscribe-form",
    "cookie-notice",
    "cookie-banner",
    "post-navigation",
    "nav-links",
    "nav-previous",
    "nav-next",
)
_IDS_EXACT = ("respond", "comments", "disqus_thread", "jp-relatedposts")
PRUNE_XPATH: list[str] = [
    "//*[" + " or ".join(f'contains(@class, "{t}") or contains(@id, "{t}")' for t in _TOKENS_ANY) + "]",
    "//*[" + " or ".join(f'@id="{i}"' for i in _IDS_EXACT) + "]",
    "//form[.//textarea]",
    # hover cards / tooltips repeat other stories next to a linked name; the wrapper holding the link stays
    *(
        f'//*[not(self::a)][contains(@class, "{t}")][not(.//a[contains(@class, "{t}")])]'
        for t in ("rollover", "tooltip", "popover", "hovercard")
    ),
]

_ANY_RE = re.compile("|".join(re.escape(t) for t in _TOKENS_ANY))
_HOVER_TOKENS = ("rollover", "tooltip", "popover", "hovercard")


_SCAN_RE = re.compile("|".join(re.escape(t) for t in (*_TOKENS_ANY, *_HOVER_TOKENS)))


def prune(tree) -> None:
    """``PRUNE_XPATH`` applied in place, rule after rule, as trafilatura's ``prune_xpath`` does, but matched
    in Python in one walk of the tree: libxml2 evaluates the 54 ``contains()`` of the first rule on every
    element, which cost more than the rest of the precision pass on a 100 KB page, and one walk per rule
    cost ~2 ms more. Same matches, same order, same deletions (tails kept): an element a rule would no
    longer see because an earlier rule removed an ancestor is removed from that detached subtree, which
    leaves the page unchanged; the conditions that read an element's descendants are evaluated when their
    rule runs, as before."""
    any_hits, id_hits, hover_hits, tables = [], [], [], []
    for element in tree.iter(lxml_etree.Element):
        if element.tag == "table":
            tables.append(element)
        cls, ident = element.get("class"), element.get("id")
        if ident is not None and ident in _IDS_EXACT:
            id_hits.append(element)
        if not (cls and _SCAN_RE.search(cls)) and not (ident and _SCAN_RE.search(ident)):
            continue
        if _ANY_RE.search(cls or "") or _ANY_RE.search(ident or ""):
            any_hits.append(element)
        if cls and element.tag != "a" and any(token in cls for token in _HOVER_TOKENS):
            hover_hits.append(element)
    for element in any_hits:
        delete_element(element)
    for element in id_hits:
        delete_element(element)
    for element in [e for e in tree.iter("form") if next(e.iter("textarea"), None) is not None]:
        delete_element(element)
    for token in _HOVER_TOKENS:
        matches = [
            e
            for e in hover_hits
            if token in e.get("class") and not any(token in (a.get("class") or "") for a in e.iter("a"))
        ]
        for element in matches:
            delete_element(element)
    _unlink_headings(tree)
    _read_tables(tables)


def _read_tables(tables) -> None:
    """Tables as trafilatura should read them, judged each on its own (a table nested in a cell too):

    - A layout table (the page, or its article, laid out in table cells, as older sites do) becomes
      ``div``: trafilatura otherwise renders the whole article as one table row ("| ... |") and drops the
      data tables nested in it. Layout: one of its own cells holds a long text (``_LAYOUT_CELL_WORDS``) in
      several paragraphs or headings; a data table's cells hold values or a sentence or two. Only the
      table's own rows and cells change.
    - In a data table, links are unwrapped (text kept): a column of linked names ("Gmail", "Netflix" in a
      table of app sizes) is content, but trafilatura takes a cell that is all link for a link list and
      empties it, leaving the row without its label. A data table here: no nested table, paragraph, list or
      heading, no cell over 20 words, and under half of its text in links (a menu laid out as a table stays
      a link list)."""
    for table in tables:
        rows = [
            r
            for part in (table, *table.iterchildren("tbody", "thead", "tfoot"))
            for r in part.iterchildren("tr")
        ]
        cells = [c for r in rows for c in r.iterchildren("td", "th")]
        if any(_is_layout_cell(cell) for cell in cells):
            for element in [table, *table.iterchildren("tbody", "thead", "tfoot"), *rows, *cells]:
                element.tag = "div"
            continue
        links = list(table.iter("a"))
        if not links or next(table.iterdescendants("table", "p", "ul", "ol", *_HEADINGS), None) is not None:
            continue
        if any(_words(cell.text_content()) > 20 for cell in cells):  # no nested table here: all its cells
            continue
        text = len(" ".join(table.text_content().split()))
        linked = sum(len(" ".join(a.text_content().split())) for a in links)
        if linked * 2 < text:
            for link in links:
                _unwrap(link)


def _is_layout_cell(cell) -> bool:
    for blocks, _ in enumerate(cell.iterdescendants("p", *_HEADINGS), 1):
        if blocks >= _LAYOUT_CELL_BLOCKS:
            return _words(cell.text_content()) >= _LAYOUT_CELL_WORDS
    return False


_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_LAYOUT_CELL_BLOCKS = 3
_LAYOUT_CELL_WORDS = 150


def _unlink_headings(tree) -> None:
    """Section headings whose only link is an in-page anchor are headings, not links to other stories.

    trafilatura's precision pass deletes a heading that is all link, or whose link has no text: a permalink
    ("¶", ``href="#section"``), a table-of-contents back-reference, an empty ``<a id>`` anchor. Such links
    point inside the page, so they are unwrapped (text kept) or, when empty, removed (tail kept)."""
    for heading in tree.iter(*_HEADINGS):
        for link in list(heading.iter("a")):
            href = (link.get("href") or "").strip()
            if href and not href.startswith("#"):
                continue
            if len(link) == 0 and not (link.text or "").strip():
                delete_element(link)  # keeps the tail: "<a id=x></a>Part One"
            else:
                _unwrap(link)


def _unwrap(element) -> None:
    """Replace ``element`` by its text and children (lxml.html's ``drop_tag`` for any element)."""
    parent = element.getparent()
    if parent is None:
        return
    index = parent.index(element)
    text = element.text or ""
    tail = element.tail or ""
    children = list(element)
    if index == 0:
        parent.text = (parent.text or "") + text
    else:
        previous = parent[index - 1]
        previous.tail = (previous.tail or "") + text
    if children:
        children[-1].tail = (children[-1].tail or "") + tail
    elif index == 0:
        parent.text = (parent.text or "") + tail
    else:
        previous = parent[index - 1]
        previous.tail = (previous.tail or "") + tail
    parent.remove(element)
    for offset, child in enumerate(children):
        parent.insert(index + offset, child)


# A result is "weak" below this many words, or when a recall-oriented extraction finds this many times more.
WEAK_WORDS = 60
_RECALL_RATIO = 2.0
#: Below this size (characters or bytes of HTML) :func:`extract_article` does not take the fast path.
SMALL_PAGE_BYTES = 16 * 1024
_WORD_RE = re.compile(r"\w+")


@dataclass(slots=True)
class Extracted:
    """What the extractor found on a page, before cleaning."""

    text: str = field(repr=False)  # keep log lines short
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published: dt.datetime | None = None
    site_name: str | None = None
    canonical_url: str | None = None
    description: str | None = None
    tags: list[str] = field(default_factory=list)
    language_hint: str | None = None  # <html lang>, when declared
    strategy: str = "precision"  # which extraction produced ``text``: precision, recall, baseline, html2txt
    weak: bool = False  # True when the text looks incomplete; a cheap (fast) caller may retry without fast
    updated: dt.datetime | None = None  # dateModified, when the page declares one


def _split_list(value: str | list[str] | None, sep: str = ",") -> list[str]:
    """trafilatura gives some fields as a joined string and others as lists; we always want a list."""
    if not value:
        return []
    parts = value if isinstance(value, list) else value.split(sep)
    return [part.strip() for part in parts if part and part.strip()]


def _words(text: str | None) -> int:
    return len(_WORD_RE.findall(text or ""))


def _trafilatura(html: str, url: str | None, *, fast: bool, precision: bool):
    """One trafilatura run; both modes share the same generic prune list."""
    return trafilatura.bare_extraction(
        html,
        url=url,
        fast=fast,
        favor_precision=precision,
        favor_recall=not precision,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        prune_xpath=PRUNE_XPATH,
        config=_CONFIG,
    )


def _precision_on_tree(tree, url: str, *, fast: bool):
    """The precision pass of :func:`_trafilatura` on a parsed page, with our prune done in Python.

    What ``bare_extraction(html, url, with_metadata=True, prune_xpath=PRUNE_XPATH)`` does, in its order:
    metadata from the whole page, then the prune, then trafilatura's extraction (which works on its own
    copy of the pruned tree). The page's tree is pruned in place."""
    options = Extractor(
        config=_CONFIG, output_format="python", fast=fast, precision=True, recall=False, comments=False,
        tables=True, url=url, with_metadata=True,
    )  # fmt: skip
    try:
        document = extract_metadata(
            tree, options.url, options.date_params, options.fast, options.author_blacklist
        )
    except (TypeError, ValueError):  # bare_extraction's own handling: no result
        return None
    prune(tree)
    options.with_metadata = False
    body = trafilatura.bare_extraction(tree, url=url, options=options)
    if body is None:
        return None
    document.text, document.body = body.text, body.body
    return document


def _prose_lines(text: str) -> str:
    """Keep html2txt's sentence-like lines: menus, buttons and link lists are short and unpunctuated."""
    keep = [
        line.strip() for line in text.splitlines() if _words(line) >= 12 and re.search(r"[.!?:;…。]", line)
    ]
    return "\n".join(keep)


_SECTION_HEADINGS = ("h2", "h3", "h4", "h5", "h6")
# "21) <a>Star Wars: The Last Jedi</a>": an entry of a ranked list ("the 21 best films"), its number outside
# the link, which names the thing ranked; a teaser title is the link alone
_LIST_NUMBER = re.compile(r"\s*(?:#|no\.\s*)?\d{1,3}\s*[.):\-\u2013]?\s*", re.IGNORECASE)
_HEADING_MAX_WORDS = 20
_KEY_WORDS = 8
_KEY_CHARS = 200
# elements whose tail may carry a run of article text (text written straight into the container)
_TAIL_HOSTS = ("div", "figure", "table", "ul", "ol", "section", "aside", "blockquote", *_SECTION_HEADINGS)
_INLINE = frozenset(
    ("a", "abbr", "b", "bdi", "cite", "code", "em", "font", "i", "mark", "q", "s", "small", "span", "strong",
     "sub", "sup", "time", "u")
)  # fmt: skip
_TAIL_MIN_WORDS = 12
_LIST_MAX_ITEMS = 30
_TAIL_MIN_CHARS = 20
_SANDWICH_MIN_WORDS = 20
_NOT_IN_STANDFIRST = ("a", "nav", "ul", "ol", "form", "img", "time", "h1", *_SECTION_HEADINGS)
# headings written as styled text ("<span class="headline">Step 1</span>"): a class token naming a heading
_HEADING_CANDIDATES = (*_SECTION_HEADINGS, "span", "div", "p", "strong", "b")
_HEADING_CLASS = re.compile(r"(?:^|[\s_-])(?:sub)?head(?:ing|line)?\d*(?:$|[\s_-])", re.IGNORECASE)


def _key(text: str) -> str:
    """The first words of a block, case-folded: enough to find a paragraph among the extracted lines."""
    return " ".join(_WORD_RE.findall(text[:_KEY_CHARS].casefold())[:_KEY_WORDS])


def _lead(element) -> str:
    """The beginning of an element's text (what :func:`_key` reads), without building all of it."""
    parts, size = [], 0
    for piece in element.itertext():
        parts.append(piece)
        size += len(piece)
        if size >= _KEY_CHARS:
            break
    return "".join(parts)


def _next_block(element):
    """The next sibling that is a block with text (inline siblings belong to the element's tail run)."""
    for sibling in element.itersiblings():
        if isinstance(sibling.tag, str) and sibling.tag not in _INLINE and _lead(sibling).strip():
            return sibling
    return None


def _tail_run(element) -> str:
    """The text written after ``element`` in its container, up to the next block: its tail and the inline
    elements (links, emphasis) that continue it."""
    parts = [element.tail or ""]
    for sibling in element.itersiblings():
        if sibling.tag not in _INLINE:
            break
        parts += [sibling.text_content(), sibling.tail or ""]
    return " ".join("".join(parts).split())


_LIST_ITEM_MAX_WORDS = 40


def _announces(element) -> bool:
    """A paragraph that ends with a colon: it announces what follows."""
    return element.tag == "p" and " ".join(element.text_content().split()).endswith(":")


def _list_start(listing, keys: list[str]) -> int | None:
    """The line where a list's run of items starts (every item a line of its own, in order), if found once."""
    items = [_key(li.text_content()) for li in listing.iterchildren("li")]
    if len(items) < 2 or not all(items):
        return None
    found = [i for i in range(len(keys) - len(items) + 1) if keys[i : i + len(items)] == items]
    return found[0] if len(found) == 1 else None


def _restore_blocks(tree, text: str) -> str:
    """Blocks of the page that trafilatura left out between blocks it kept, put back in place.

    - Section headings (``h2``-``h6``, or text styled as one with a heading class): trafilatura drops them
      when it recovers a page's paragraphs without a recognised article container, and in precision mode.
    - Lists of short items (not of links) between two kept blocks, lost the same way; after a kept paragraph
      that announces it with a colon, a list of longer items too, restored right after that paragraph.
    - Prose written straight into a container after a block (a paragraph without ``<p>``, after a figure;
      plain text or inline elements such as an ``<em>`` note): a dozen words or more with a sentence end,
      which precision mode drops.
    - A standfirst: prose alone in a ``<header>`` (no title, byline or links), which precision mode drops
      with every header; restored above the first kept block after it.
    - A prose paragraph (twenty words or more, a sentence end, little link text) whose neighbours before
      and after were kept: trafilatura now and then drops one paragraph in the middle of a story.
    - A paragraph the page prints twice in a row: trafilatura keeps one copy (it takes the second for an
      artifact of its own).

    Each block is restored right above the kept block that follows it in the page (when several lines
    start alike, the first one after the block that precedes it); a block whose neighbour
    was left out stays out (with it, most likely, as boilerplate). Headings that link to another page are
    teaser titles and stay out too, unless their number stands outside the link: the entries of a ranked list
    ("21) <a>Star Wars: The Last Jedi</a>"), which precision mode drops for their link density."""
    lines = text.splitlines()
    keys = [_key(line) for line in lines]
    starts: dict[str, int] = {}
    repeated: dict[str, list[int]] = {}  # keys that start several lines: every line they start
    for index, key in enumerate(keys):
        if key.count(" ") >= 3:  # four words or more: specific enough to find a block by
            if key in starts:
                repeated.setdefault(key, [starts[key]]).append(index)
            starts.setdefault(key, index)
    if not starts:
        return text
    folded = " ".join(_WORD_RE.findall(text.casefold()))
    present = set(keys)
    # a heading broken over two lines by a <br> ("Designed to" / "be redesigned") is present too
    present.update(
        " ".join(f"{a} {b}".split()[:_KEY_WORDS])
        for a, b in itertools.pairwise(keys)
        if a.count(" ") < _KEY_WORDS - 1
    )
    inserts: dict[int, list[str]] = {}
    appends: dict[int, list[str]] = {}  # blocks that go after a line

    def restore(block: str, anchor, *, check: bool = True, after=None) -> None:
        key = _key(_lead(anchor)) if anchor is not None else ""
        index = starts.get(key)
        if index is None and anchor is not None and anchor.tag in ("ul", "ol"):
            index = _list_start(anchor, keys)  # a list of short items: found by the run of its items
        if key in repeated and after is not None and _key(_lead(after)) in starts:
            # several lines start alike (a template repeating its paragraphs): the one after the block
            # that precedes this one in the page
            floor = starts[_key(_lead(after))]
            index = next((i for i in repeated[key] if i > floor), index)
        # a heading is present as a line of its own; a prose run anywhere (it may have been merged)
        missing = not check or _key(block) not in (present if _words(block) < _KEY_WORDS else folded)
        if index is not None and missing:
            inserts.setdefault(index, []).append(block)

    for heading in tree.iter(_HEADING_CANDIDATES):
        if heading.tag not in _SECTION_HEADINGS:
            cls = heading.get("class")
            if not cls or "head" not in cls or not _HEADING_CLASS.search(cls):
                continue
        linked = any((a.get("href") or "").strip() and a.text_content().strip() for a in heading.iter("a"))
        if linked and not _LIST_NUMBER.fullmatch(heading.text or ""):
            continue  # a teaser title linking to another story (a linked picture in a heading is not one)
        label = " ".join(heading.text_content().split())
        if 0 < _words(label) <= _HEADING_MAX_WORDS:
            following = _next_block(heading)
            if following is not None and following.tag not in _HEADINGS:
                restore(label, following)
    for listing in tree.iter("ul", "ol"):
        if not 0 < len(listing) <= _LIST_MAX_ITEMS or sum(1 for _ in listing.iter("a")) * 2 >= len(listing):
            continue  # empty, long, or a list of links (menus, teasers)
        items = [" ".join(li.text_content().split()) for li in listing.iterchildren("li")]
        previous = next((e for e in listing.itersiblings(preceding=True) if _lead(e).strip()), None)
        # a paragraph announcing the list ("A couple of reasons for this:") lets its items be sentences
        longest = _LIST_ITEM_MAX_WORDS * (3 if previous is not None and _announces(previous) else 1)
        if (
            not items
            or not all(0 < _words(i) <= longest for i in items)
            or any(_key(i) in present for i in items)
        ):
            continue  # not short items, or a list the extraction kept
        if previous is None or _key(_lead(previous)) not in folded:
            continue
        following = _next_block(listing)
        if following is not None and (
            _key(_lead(following)) in starts or _list_start(following, keys) is not None
        ):
            for item in items:  # between two kept blocks
                restore("- " + item, following, check=False, after=previous)
        elif _announces(previous) and _key(_lead(previous)) in starts:  # right after the kept paragraph
            appends.setdefault(starts[_key(_lead(previous))], []).extend("- " + item for item in items)
    for host in tree.iter(_TAIL_HOSTS):
        follower = host.getnext()
        if (host.tail and len(host.tail.strip()) >= _TAIL_MIN_CHARS) or (
            follower is not None and follower.tag in _INLINE and not (host.tail or "").strip()
        ):
            run = _tail_run(host)
            if _words(run) >= _TAIL_MIN_WORDS and re.search(r"[.!?…]", run):
                restore(run, _next_block(host))
    for header in tree.iter("header"):
        if any(True for _ in header.iter(_NOT_IN_STANDFIRST)):
            continue  # a page or article header: title, byline, navigation
        standfirst = " ".join(header.text_content().split())
        if _words(standfirst) >= _TAIL_MIN_WORDS and re.search(r"[.!?…]$", standfirst):
            following = (e for e in header.itersiblings() if _key(_lead(e)) in starts)
            restore(standfirst, next(following, None))
    for paragraph in tree.iter("p"):
        lead = _key(_lead(paragraph))
        if not lead or lead in present or lead in folded:
            continue  # empty, or kept (as a line of its own, or merged into one)
        previous = next((e for e in paragraph.itersiblings(preceding=True) if _lead(e).strip()), None)
        if previous is None or _key(_lead(previous)) not in folded:
            continue
        following = _next_block(paragraph)
        if following is None:
            continue
        prose = " ".join(paragraph.text_content().split())
        if _words(prose) < _SANDWICH_MIN_WORDS or not re.search(r"[.!?…][\"\u201d\u2019»)]*$", prose):
            continue
        if sum(len(a.text_content()) for a in paragraph.iter("a")) * 5 > len(prose):
            continue  # link-heavy: a teaser
        restore(prose, following, after=previous)
    repeats = _repeated_paragraphs(tree, lines)
    if not inserts and not repeats and not appends:
        return text
    after = {i: lines[repeats[i] : i + 1] if i in repeats else [] for i in {*repeats, *appends}}
    for index, blocks in appends.items():
        after[index] += blocks
    return _splice(lines, inserts, after)


def _splice(lines: list[str], before: dict[int, list[str]], after: dict[int, list[str]]) -> str:
    """The text of ``lines`` with the blocks of ``before[i]`` / ``after[i]`` put before / after line ``i``."""
    out = []
    for index, line in enumerate(lines):
        out += before.get(index, [])
        out.append(line)
        out += after.get(index, [])
    return "\n".join(out)


_BODY_PARTS = ("div", "section", "article")
_BODY_MIN_PARAGRAPHS = 3
_BODY_KEPT_SHARE = 0.8
_BODY_DEPTH = 3  # a body container holds its paragraphs, or wraps them in a div or two


def _signature(element) -> tuple:
    """An element's tag and class, and its parent's and grandparent's: two containers with the same
    signature are two copies of one template slot."""
    parent = element.getparent()
    if parent is None:
        return (element.tag, element.get("class"))
    grand = parent.getparent()
    if grand is None:
        return (element.tag, element.get("class"), parent.tag, parent.get("class"))
    return (element.tag, element.get("class"), parent.tag, parent.get("class"), grand.tag, grand.get("class"))


def _continued_body(tree, text: str) -> str:
    """An article body the page splits into several containers of the same template (an advertisement or
    an aside between two runs of paragraphs): trafilatura keeps the first run and drops the next ones.

    When one container's prose paragraphs were kept (``_BODY_KEPT_SHARE`` of them, at least
    ``_BODY_MIN_PARAGRAPHS``), a later container with the same signature (tag and class, its parent's and
    grandparent's) whose paragraphs were nearly all left out is read too: its paragraphs are put back after
    the last kept paragraph of the container before it."""
    # the classed containers up to _BODY_DEPTH levels above a paragraph, in page order (a container is met at
    # its first paragraph; of two that do not nest, the first in the page has the first paragraph)
    candidates: dict = {}
    for paragraph in tree.iter("p"):
        element = paragraph.getparent()
        for _ in range(_BODY_DEPTH):
            if element is None:
                break
            if element.tag in _BODY_PARTS and element.get("class") and element not in candidates:
                candidates[element] = None
            element = element.getparent()
    groups: dict[tuple, list] = {}
    for element in candidates:
        groups.setdefault(_signature(element), []).append(element)
    folded = ""
    line_keys: list[str] = []  # both computed once a group may need them
    after: dict[int, list[str]] = {}
    restored: set[str] = set()
    for members in groups.values():
        if len(members) < 2:
            continue
        outer = set(members)
        members = [m for m in members if not any(a in outer for a in m.iterancestors())]
        counts = [sum(1 for _ in m.iter("p")) for m in members]
        if len(members) < 2 or max(counts) < _BODY_MIN_PARAGRAPHS or sum(c > 0 for c in counts) < 2:
            continue  # no copy of the slot holds a run of paragraphs, or only one holds any
        if not folded:
            folded = " ".join(_WORD_RE.findall(text.casefold()))
            line_keys = [_key(line) for line in text.splitlines()]
        last_kept = None
        for member, count in zip(members, counts, strict=True):
            if not count:
                continue
            paragraphs = [
                " ".join(p.text_content().split())
                for p in member.iter("p")
                if _words(p.text_content()) >= _TAIL_MIN_WORDS
            ]
            if not paragraphs:
                continue
            kept = [p for p in paragraphs if _key(p) in folded]
            if len(paragraphs) >= _BODY_MIN_PARAGRAPHS and len(kept) >= _BODY_KEPT_SHARE * len(paragraphs):
                last_kept = _key(kept[-1])  # a run the extraction kept
                continue
            if last_kept is None or len(kept) * 5 > len(paragraphs) or len(paragraphs) - len(kept) < 2:
                continue  # no kept run before it, or not a run left out (a fifth kept at most; two or more)
            index = max((i for i, k in enumerate(line_keys) if k == last_kept), default=None)
            if index is None:
                continue
            # every paragraph and heading of the run (a short paragraph too), each once
            blocks = (" ".join(b.text_content().split()) for b in member.iter("p", *_SECTION_HEADINGS))
            missing = [b for b in blocks if _key(b) and _key(b) not in folded and _key(b) not in restored]
            after.setdefault(index, []).extend(missing)
            restored.update(_key(b) for b in missing)
    if not after:
        return text
    return _splice(text.splitlines(), {}, after)


def _panel_blocks(panel) -> list[tuple[str, bool]]:
    """(text, is content) of a tab panel's blocks in page order: its headings, paragraphs and list items, and
    its links ("Learn more", "Try it now"), which are not content but show where the panel's text ends."""
    out = []
    for block in panel.iter("p", "li", "a", *_HEADINGS):
        if any(a.tag in _PANEL_BLOCKS for a in _ancestors_within(block, panel)):
            continue  # read with the block that holds it
        label = " ".join(block.text_content().split())
        if label:
            linked = sum(len(" ".join(a.text_content().split())) for a in block.iter("a"))
            out.append((label, block.tag != "a" and linked * 2 < len(label)))
    return out


_PANEL_BLOCKS = frozenset(("p", "li", *_HEADINGS))


def _ancestors_within(element, top):
    for ancestor in element.iterancestors():
        if ancestor is top:
            return
        yield ancestor


def _tab_panels(tree, text: str) -> str:
    """The panels of a tab widget (``role="tabpanel"``) are one text shown a tab at a time: when the
    extraction kept one panel, the panels it left out are put back in place (their headings, paragraphs
    and list items; not their links). trafilatura judges each panel alone, and drops a short one whose few
    words sit next to a "Learn more" link."""
    groups: dict[object, list] = {}
    for panel in tree.xpath('//*[@role="tabpanel"]'):
        groups.setdefault(panel.getparent(), []).append(panel)
    if not any(len(panels) >= 2 for panels in groups.values()):
        return text
    lines = text.splitlines()
    line_keys = [_key(line) for line in lines]
    folded = " ".join(_WORD_RE.findall(text.casefold()))
    before: dict[int, list[str]] = {}
    after: dict[int, list[str]] = {}
    for panels in groups.values():
        if len(panels) < 2:
            continue
        blocks = [_panel_blocks(panel) for panel in panels]
        kept = [
            any(ok and _words(label) >= _KEY_WORDS // 2 and _key(label) in folded for label, ok in b)
            for b in blocks
        ]
        if not any(kept) or all(kept):
            continue
        for i, panel_blocks in enumerate(blocks):
            if kept[i]:
                continue
            restore = [label for label, ok in panel_blocks if ok and _key(label) not in folded]
            if not restore:
                continue
            later = next((j for j in range(i + 1, len(blocks)) if kept[j]), None)
            if later is not None:
                keys = {_key(label) for label, _ in blocks[later]}
                index = next((n for n, k in enumerate(line_keys) if k in keys), None)
                if index is not None:
                    before.setdefault(index, []).extend(restore)
                continue
            earlier = max((j for j in range(i) if kept[j]), default=None)
            if earlier is not None:
                keys = {_key(label) for label, _ in blocks[earlier]}
                index = max((n for n, k in enumerate(line_keys) if k in keys), default=None)
                if index is not None:
                    after.setdefault(index, []).extend(restore)
    if not before and not after:
        return text
    return _splice(lines, before, after)


def _repeated_paragraphs(tree, lines: list[str]) -> dict[int, int]:
    """Line spans to print twice, as {last line: first line}: the page has two adjacent paragraphs with the
    same text, and trafilatura kept one copy (it takes the second for an artifact of its own)."""
    repeats: dict[int, int] = {}
    line_words: list[list[str]] | None = None
    for element in tree.iter("p", "div"):
        lead = (element.text or "").strip()
        twin = element.getnext() if lead else None
        if twin is None or twin.tag != element.tag or (twin.text or "").strip() != lead:
            continue
        paragraph = element.text_content().split()
        if _words(" ".join(paragraph)) < _TAIL_MIN_WORDS or twin.text_content().split() != paragraph:
            continue
        if line_words is None:
            line_words = [_WORD_RE.findall(line.casefold()) for line in lines]
        span = _span_of(_WORD_RE.findall(" ".join(paragraph).casefold()), line_words)
        if span is not None:
            repeats[span[1]] = span[0]
    return repeats


def _span_of(words: list[str], line_words: list[list[str]]) -> tuple[int, int] | None:
    """The lines (first, last) whose words are exactly ``words``, when they occur once."""
    found = None
    for first, start in enumerate(line_words):
        if not start or words[: len(start)] != start:
            continue
        covered, last = list(start), first
        while len(covered) < len(words) and last + 1 < len(line_words):
            last += 1
            covered += line_words[last]
        if covered == words:
            if found is not None:
                return None  # already printed twice
            found = (first, last)
    return found


def _second_chance(html: str, url: str | None, first_words: int) -> tuple[str, str, object | None]:
    """Try broader strategies in order; return (text, strategy, trafilatura document or None)."""
    doc = _trafilatura(html, url, fast=False, precision=False)
    recall_text = (doc.text or "").strip() if doc is not None else ""
    if _words(recall_text) >= max(WEAK_WORDS, first_words * _RECALL_RATIO) or (
        first_words == 0 and recall_text
    ):
        return recall_text, "recall", doc
    if first_words:
        return "", "", None
    try:
        _, base_text, _ = trafilatura.baseline(html)
    except Exception:  # baseline is a best-effort fallback; a parse failure just means "no text"
        base_text = ""
    if _words(base_text) >= 25:
        return base_text.strip(), "baseline", None
    prose = _prose_lines(trafilatura.html2txt(html))
    if _words(prose) >= 25:
        return prose, "html2txt", None
    return "", "", None


def _to_text(html: str | bytes) -> str:
    """Decode once (meta charset / detection) so every strategy sees the same characters."""
    return decode_file(html) if isinstance(html, bytes) else html


def extract(html: str | bytes, url: str | None = None, *, fast: bool = False) -> Extracted | None:
    """Extract the main text and metadata of ``html``; ``None`` when no strategy finds article text.

    ``fast=True`` runs only the precision pass (trafilatura's own fallbacks off) and marks a short result
    ``weak`` instead of retrying, so a caller can process most pages cheaply and re-run only the weak ones.
    """
    source = _to_text(html)
    # One parse serves trafilatura, the prune and our own metadata (read before the prune changes the tree).
    tree = load_html(source)
    meta = metadata.page_metadata(tree, source, url) if tree is not None else None
    if tree is not None:
        doc = _precision_on_tree(tree, url, fast=fast)
    else:
        doc = _trafilatura(source, url, fast=fast, precision=True)
    text = (doc.text or "").strip() if doc is not None else ""
    if tree is not None and text:
        text = _restore_blocks(tree, text)
        text = _continued_body(tree, text)
        if "tabpanel" in source:  # a plain substring test spares the tree walk on pages without tabs
            text = _tab_panels(tree, text)
    strategy = "precision"
    n_words = _words(text)
    weak = n_words < WEAK_WORDS
    if weak and not fast:
        other_text, other_strategy, other_doc = _second_chance(source, url, n_words)
        if other_text:
            text, strategy, weak = other_text, other_strategy, _words(other_text) < WEAK_WORDS
            doc = doc if doc is not None else other_doc
    if not text:
        return None
    return _build(source, url, text, strategy, weak, doc, meta, tree)


def extract_article(html: str | bytes, url: str | None = None) -> Extracted | None:
    """What the crawl (and ``make eval``) calls: the fast precision pass, and the full :func:`extract` (with
    trafilatura's external comparison and our second chance) only when that result looks weak.

    Pages under ``SMALL_PAGE_BYTES`` always get the full extraction: it costs little there, and there the
    external comparison (readability) can find paragraphs the precision pass left out of a short page."""
    if len(html) < SMALL_PAGE_BYTES:
        return extract(html, url)
    result = extract(html, url, fast=True)
    if result is None or result.weak:
        return extract(html, url)
    return result


def _build(
    source: str,
    url: str | None,
    text: str,
    strategy: str,
    weak: bool,
    doc,
    meta: metadata.PageMeta | None,
    tree=None,
) -> Extracted:
    """Assemble the record; metadata choices are delegated to :mod:`pipelines.metadata`."""
    if meta is None:
        tree = _parse(source)
        meta = metadata.page_metadata(tree, source, url)
    title = doc.title if doc is not None else None
    site_name = (doc.sitename if doc is not None else None) or meta.site_name
    published = metadata.choose_published(meta, doc.date if doc is not None else None, source, url=url)
    title = metadata.choose_title(title or meta.headline, meta, site_name, url, tree)
    if meta.site_name and meta.site_name != site_name:  # og:site_name and the JSON-LD publisher may differ
        title = metadata.clean_title(title, meta.site_name, url)
    return Extracted(
        text=text,
        title=title,
        authors=_authors(doc, meta, site_name, url),
        published=published,
        site_name=site_name,
        canonical_url=doc.url if doc is not None else url,
        description=doc.description if doc is not None else None,
        tags=(_split_list(doc.tags) + _split_list(doc.categories)) if doc is not None else [],
        language_hint=(doc.language if doc is not None else None) or meta.language,
        strategy=strategy,
        weak=weak,
        updated=meta.modified,
    )


def _authors(doc, meta: metadata.PageMeta, site_name: str | None, url: str | None) -> list[str]:
    """The article's JSON-LD ``author`` when it names anyone, else trafilatura's byline search.

    The structured field is what the site's CMS records for this story; the byline search reads the page
    and picks up the publisher from a ``<meta name="author">`` ("Condé Nast; Molly Wood") or splits a
    credit line the JSON-LD gives whole ("Amy Kuperinsky | NJ Advance Media for NJ.com")."""
    declared = metadata.normalise_authors(meta.authors, site_name, url, publisher=meta.site_name)
    if declared:
        return declared
    found = _split_list(doc.author, ";") if doc is not None and doc.author else []
    return metadata.normalise_authors(found, site_name, url, publisher=meta.site_name)


def _parse(source: str):
    try:
        return lxml_html.fromstring(source.encode("utf-8", "replace"))
    except Exception:  # an unparsable page still gets text from trafilatura; metadata then stays empty
        return None
