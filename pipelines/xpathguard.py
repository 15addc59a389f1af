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
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from lxml import etree

from pipelines.patterns import required_literals

_ATTRIBUTES = etree.XPath(".//@id|.//@class", smart_strings=False)
#: One test of the first condition: re:test(@id|@class, 'regex') or contains(@id|@class, 'text').
_TEST = re.compile(r"""(re:test|contains)\(\s*@(?:id|class)\s*,\s*'([^']*)'\s*\)""")
_OR = re.compile(r"\s+or\s+")


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
    for term in _OR.split(condition.strip()):
        test = _TEST.fullmatch(term.strip())
        if test is None:
            return None
        kind, argument = test.groups()
        if kind == "contains":
            if not argument:
                return None
            literals.add(argument)
            continue
        required = required_literals(argument)
        if not required:
            return None
        literals.update(required)
    return frozenset(literals) if literals else None


class GuardedXPath:
    """Callable like the ``XPath`` it wraps; returns ``[]`` at once when no id or class has a literal."""

    def __init__(self, xpath: etree.XPath, literals: frozenset[str]) -> None:
        self.xpath = xpath
        self.literals = tuple(sorted(literals, key=len, reverse=True))
        self.path = xpath.path

    def __call__(self, tree: Any, **variables: Any) -> Any:
        attributes = "\n".join(_ATTRIBUTES(tree))
        if not any(literal in attributes for literal in self.literals):
            return []
        return self.xpath(tree, **variables)

    def __repr__(self) -> str:
        return f"GuardedXPath({self.path.strip()[:60]!r}..., literals={self.literals})"


def guard(xpaths: list[Callable[..., Any]]) -> int:
    """Wrap, in place, the XPaths of ``xpaths`` that can be guarded; return how many were."""
    count = 0
    for i, xpath in enumerate(xpaths):
        if isinstance(xpath, GuardedXPath) or not isinstance(xpath, etree.XPath):
            continue
        if "re:test" not in xpath.path:  # no Python callbacks: evaluating it costs less than the guard
            continue
        literals = guard_literals(xpath.path)
        if literals:
            xpaths[i] = GuardedXPath(xpath, literals)
            count += 1
    return count


#: trafilatura's prune lists with regex tests on ids and classes (module trafilatura.xpaths; trafilatura.core
#: imports the same list objects, so wrapping their items in place reaches every use).
PRUNE_LISTS: Sequence[str] = (
    "RAW_TREE_PRUNE_XPATH",
    "REMOVE_COMMENTS_AND_LISTS_XPATH",
    "REMOVE_COMMENTS_XPATH",
)


def install() -> int:
    """Guard trafilatura's regex-based prune XPaths (idempotent); return how many are guarded."""
    from trafilatura import xpaths

    total = 0
    for name in PRUNE_LISTS:
        found = getattr(xpaths, name, None)
        if isinstance(found, list):
            guard(found)
            total += sum(isinstance(x, GuardedXPath) for x in found)
    return total


def uninstall() -> None:
    """Put trafilatura's own XPaths back (to compare with and without the guards)."""
    from trafilatura import xpaths

    for name in PRUNE_LISTS:
        found = getattr(xpaths, name, None)
        if isinstance(found, list):
            found[:] = [x.xpath if isinstance(x, GuardedXPath) else x for x in found]
