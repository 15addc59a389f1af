"""Skip trafilatura's regex-based prune XPaths on trees where they cannot match.

trafilatura prunes every page's tree with a few XPaths whose first condition tests ``@id`` and ``@class``
with EXSLT regular expressions (``re:test(@class, '^[Cc]omment(?!ary)|...')``): infinite-scroll containers,
comment sections. libxml2 calls back into Python for every candidate element, so on a 100 KB page each costs
0.25-0.45 ms, about 1 ms of the ~6 ms an article's extraction takes, and on most pages they match nothing.

Every match of such an XPath needs an ``id`` or ``class`` holding one of the literals its regexes require
("omment", "disqus_thread", "infinite"...). :class:`GuardedXPath` reads all ids and classes of the tree in
one C-level XPath (no callbacks) and evaluates the real XPath only when one of those literals is there;
otherwise the answer is the empty node list the XPath would have returned. The literals are derived from
the XPath's own text (:func:`guard_literals`); an XPath whose first condition is not a plain ``or`` of such
tests is left as it is.

The same guard serves trafilatura's category and tag XPaths (:func:`guard_links`): ten full-page walks per
article (0.5 ms), whose links are kept only when their ``href`` has "/categor" or "/tag" in it. One read of
the page's hrefs tells when none can be (every bench page for categories, four real pages out of five for
both): 1.08 -> 0.55 ms per page on 951 eval and bench pages, with the same categories and tags.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Sequence
from typing import Any

from lxml import etree

from pipelines.patterns import required_literals

_ATTRIBUTES = etree.XPath(".//@id|.//@class", smart_strings=False)
#: One test of the first condition: re:test(@id|@class, 'regex'), or contains() / starts-with() of a text
#: (what pipelines.xpathregex rewrites short regex tests into).
_TEST = re.compile(r"""(re:test|contains|starts-with)\(\s*@(?:id|class)\s*,\s*'([^']*)'\s*\)""")
_OR = re.compile(r"\s+or\s+")
#: Parentheses around a group of tests; only ``or`` can join the tests a guard accepts, so they can go.
_GROUP_OPEN = re.compile(r"\(\s*(?=(?:re:test|contains|starts-with)\()")
_GROUP_CLOSE = re.compile(r"(?<=')(\s*\))\s*\)+")


def _first_condition(path: str) -> str | None:
    """The text of the first ``[...]`` predicate after the node test of a ``.//*[...]`` XPath."""
    start = path.find("][")
    if start == -1:
        return None
    depth, i = 0, start + 1
    for j in range(i, len(path)):
        if path[j] == "[":
            depth += 1
        elif path[j] == "]":
            depth -= 1
            if depth == 0:
                return path[i + 1 : j]
    return None


def guard_literals(path: str) -> frozenset[str] | None:
    """Literals one of which is in an ``id`` or ``class`` of every element the XPath ``path`` selects.

    ``None`` when that cannot be told from the text: the first condition must be an ``or`` of
    ``re:test(@id|@class, '...')`` / ``contains(@id|@class, '...')`` tests (regexes without flags, so matched
    case-sensitively), each with a required literal.
    """
    condition = _first_condition(path)
    if condition is None:
        return None
    literals: set[str] = set()
    condition = _GROUP_CLOSE.sub(r"\1", _GROUP_OPEN.sub("", condition))
    for term in _OR.split(condition.strip()):
        test = _TEST.fullmatch(term.strip())
        if test is None:
            return None
        kind, argument = test.groups()
        if kind != "re:test":
            if not argument:
                return None
            literals.add(argument)
            continue
        required = required_literals(argument)
        if not required:
            return None
        literals.update(required)
    return frozenset(literals) if literals else None


class _ListScan:
    """The ids and classes of the tree last read by the guards of one prune list, shared along the list.

    trafilatura's ``prune_unwanted_nodes`` evaluates a list's XPaths in order on one tree and only deletes
    elements in between, so what was read before the list's first XPath still holds every id and class the
    later ones can see (and maybe more, which only costs an evaluation): one read serves the whole list.
    Any other order of calls, another tree or another thread reads the tree again.
    """

    def __init__(self, length: int, reader: Callable[[Any], list[str]] = _ATTRIBUTES) -> None:
        self.length = length
        self.reader = reader
        self._local = threading.local()

    def attributes(self, tree: Any, position: int) -> str:
        state = self._local
        if position == 0 or getattr(state, "tree", None) is not tree or state.next != position:
            state.tree, state.text = tree, "\n".join(self.reader(tree))
        state.next = position + 1
        text = state.text
        if state.next >= self.length:  # the list is done: do not keep the page's tree alive
            state.tree, state.text = None, ""
        return text


class GuardedXPath:
    """Callable like the ``XPath`` it wraps; returns ``[]`` at once when no id or class has a literal."""

    def __init__(
        self, xpath: etree.XPath, literals: frozenset[str], scan: _ListScan | None = None, position: int = 0
    ) -> None:
        self.xpath = xpath
        self.literals = tuple(sorted(literals, key=len, reverse=True))
        self.path = xpath.path
        self._scan = scan or _ListScan(1)
        self._position = position if scan is not None else 0

    def __call__(self, tree: Any, **variables: Any) -> Any:
        attributes = self._scan.attributes(tree, self._position)
        if not any(literal in attributes for literal in self.literals):
            return []
        return self.xpath(tree, **variables)

    def __repr__(self) -> str:
        return f"GuardedXPath({self.path.strip()[:60]!r}..., literals={self.literals})"


def guard(xpaths: list[Callable[..., Any]], scan: _ListScan | None = None, offset: int = 0) -> int:
    """Wrap, in place, the XPaths of ``xpaths`` that can be guarded; return how many are.

    The list's guards share one read of the tree's ids and classes (``scan``, where this list's XPaths are
    ``offset``, ``offset + 1``... in the order of evaluation, when it is shared with the list evaluated just
    before on the same tree). The XPaths may already have had their short regex tests rewritten as
    ``contains()`` / ``starts-with()`` (:mod:`pipelines.xpathregex`): the guard reads those the same way, so
    the two can be installed in either order."""
    if any(isinstance(x, GuardedXPath) for x in xpaths):
        return sum(isinstance(x, GuardedXPath) for x in xpaths)
    scan = scan or _ListScan(len(xpaths))
    count = 0
    for i, xpath in enumerate(xpaths):
        literals = guard_literals(xpath.path) if isinstance(xpath, etree.XPath) else None
        if literals:
            xpaths[i] = GuardedXPath(xpath, literals, scan, offset + i)
            count += 1
    return count


#: trafilatura's prune lists with regex tests on ids and classes (module trafilatura.xpaths; trafilatura.core
#: imports the same list objects, so wrapping their items in place reaches every use).
PRUNE_LISTS: Sequence[str] = (
    "RAW_TREE_PRUNE_XPATH",
    "REMOVE_COMMENTS_AND_LISTS_XPATH",
    "REMOVE_COMMENTS_XPATH",
)
#: Prune lists trafilatura evaluates one right after the other on the same tree (``trafilatura_sequence``).
SHARED_PRUNE_LISTS: Sequence[str] = ("RAW_TREE_PRUNE_XPATH", "REMOVE_COMMENTS_AND_LISTS_XPATH")


#: trafilatura's category and tag XPaths, and what every link they return needs in its ``href`` to be kept.
#: ``extract_catstags(metatype, tree)`` keeps only the links whose ``href`` matches
#: ``"/" + metatype.rstrip("y") + "(?:y|ies|s)?/"``: "/categor" and "/tag" are in every such ``href``.
HREF_LISTS: dict[str, str] = {"CATEGORIES_XPATHS": "/categor", "TAGS_XPATHS": "/tag"}
_HREFS = etree.XPath("//a/@href", smart_strings=False)
_LINKS = re.compile(r"//a\[@href\]\s*$")


def guard_links(
    xpaths: list[Callable[..., Any]], literal: str, scan: _ListScan | None = None, offset: int = 0
) -> int:
    """Wrap, in place, a list of XPaths that all select links (``...//a[@href]``): each returns ``[]`` at once
    when no link of the page has ``literal`` in its ``href`` (one read of all hrefs serves the list).

    Nothing is wrapped unless every XPath of the list has that shape."""
    if any(isinstance(x, GuardedXPath) for x in xpaths):
        return sum(isinstance(x, GuardedXPath) for x in xpaths)
    if not xpaths or not all(isinstance(x, etree.XPath) and _LINKS.search(x.path) for x in xpaths):
        return 0
    scan = scan or _ListScan(len(xpaths), _HREFS)
    for i, xpath in enumerate(xpaths):
        xpaths[i] = GuardedXPath(xpath, frozenset({literal}), scan, offset + i)
    return len(xpaths)


def _guard_chain(named: list[tuple[str, list[Any]]], reader: Callable[[Any], list[str]], wrap) -> int:
    """Guard lists that are evaluated one right after the other on the same tree with one shared read."""
    if any(isinstance(x, GuardedXPath) for _, items in named for x in items):
        return sum(isinstance(x, GuardedXPath) for _, items in named for x in items)
    scan = _ListScan(sum(len(items) for _, items in named), reader)
    total = offset = 0
    for name, items in named:
        total += wrap(name, items, scan, offset)
        offset += len(items)
    return total


def install() -> int:
    """Guard trafilatura's regex-based prune XPaths and its category and tag XPaths (idempotent); return how
    many are guarded.

    Lists evaluated one after the other on the same tree share one read: the first two prune lists (the
    later one only sees what the earlier left, so the read is a superset of what it can match), and the
    category and tag lists (the metadata reads the page without changing it)."""
    from trafilatura import xpaths

    def named(names: Sequence[str]) -> list[tuple[str, list[Any]]]:
        return [(n, getattr(xpaths, n)) for n in names if isinstance(getattr(xpaths, n, None), list)]

    total = _guard_chain(
        named(SHARED_PRUNE_LISTS), _ATTRIBUTES, lambda _, items, scan, at: guard(items, scan, at)
    )
    for _, items in named([n for n in PRUNE_LISTS if n not in SHARED_PRUNE_LISTS]):
        total += guard(items)
    total += _guard_chain(
        named(list(HREF_LISTS)),
        _HREFS,
        lambda name, items, scan, at: guard_links(items, HREF_LISTS[name], scan, at),
    )
    return total


def uninstall() -> None:
    """Put trafilatura's own XPaths back (to compare with and without the guards)."""
    from trafilatura import xpaths

    for name in (*PRUNE_LISTS, *HREF_LISTS):
        found = getattr(xpaths, name, None)
        if isinstance(found, list):
            found[:] = [x.xpath if isinstance(x, GuardedXPath) else x for x in found]
