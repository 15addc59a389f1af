"""trafilatura's short EXSLT regex tests rewritten as XPath string functions: the same nodes, no callbacks.

trafilatura selects authors, titles, categories, tags and boilerplate with XPaths such as
``//div[re:test(@class, '^(?:post-?info|post-?meta|meta)')]``. libxml2 evaluates ``re:test`` by calling back
into lxml's EXSLT module, which runs :func:`re.search`, for every candidate element.

Most of these regexes are a short alternation of literals: ``^`` + ``post-?info`` is "starts with postinfo
or post-info". :func:`xpath_test` turns such a test into ``starts-with()`` / ``contains()`` calls, which
libxml2 evaluates in C. The rewrite is exact:

- ``re:test(S, R)`` is ``re.search(R, string(S))``, where ``string()`` of a node set is the string value of
  its first node in document order, the same conversion ``starts-with`` and ``contains`` apply;
- R is expanded into every string it can match, each anchored at the start (``^``) or not; only literals,
  one-of-a-few-literal classes (``[s-]``), optional literals (``-?``), groups and alternations are
  expanded. Anything else (``\\s``, ``$``, repetitions, flags such as ``'i'``) leaves the test as it is.

It is not always faster: libxml2 copies the attribute value for every string function call, so past about
eight strings per XPath the callback is cheaper, and such XPaths are left alone (:data:`MAX_ALTERNATIVES`).
Timed on the parsed trees of 200 bench pages, per page: the second overall-discard prune (every article
runs it, on its cleaned tree) 2.31 -> 1.77 ms; the last author XPath 1.33 -> 1.14 ms; the author-discard
prune, whose 18 strings would stay, 0.89 -> 1.29 ms if rewritten whole.

:func:`install` rewrites trafilatura's XPath lists in place (:mod:`trafilatura.xpaths`; the modules that use
them import the same list objects), after :mod:`pipelines.xpathguard` has wrapped the prune lists: a
guarded XPath keeps its guard and gets the rewritten XPath inside. ``tests/test_xpathregex.py`` compares the
selected nodes with trafilatura's own XPaths.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from lxml import etree

try:  # the regex parser of the standard library (``sre_parse`` before Python 3.11)
    from re import _constants as _c
    from re import _parser as _sre_parser
except ImportError:  # pragma: no cover - a Python without it keeps trafilatura's XPaths
    _sre_parser = None  # type: ignore[assignment]

#: Longer expansions stay regexes. Each string costs libxml2 one string function call (with copies of the
#: attribute value) per element, and past about eight of them that costs more than lxml's callback does
#: (timings of every trafilatura XPath on 200 bench pages, in docs/BENCHMARKS.md). Counted per XPath.
MAX_ALTERNATIVES = 8
#: ``re:test(<attribute node set>, '<regex>')`` without a flags argument.
_RE_TEST = re.compile(r"re:test\(\s*(@[\w-]+(?:\s*\|\s*@[\w-]+)*)\s*,\s*'([^']*)'\s*\)")

# An alternative: (anchored at the start, text).
_Alternative = tuple[bool, str]


class _CannotExpand(Exception):
    pass


def _expand(items: Any) -> list[_Alternative]:
    """Every (anchored, text) a parsed regex sequence matches; raises :class:`_CannotExpand` otherwise."""
    alternatives: list[_Alternative] = [(False, "")]
    for op, arg in items:
        if op is _c.AT and arg is _c.AT_BEGINNING:
            if any(text or anchored for anchored, text in alternatives):
                raise _CannotExpand
            alternatives = [(True, "")]
            continue
        if op is _c.LITERAL:
            options = [(False, chr(arg))]
        elif op is _c.IN and all(kind is _c.LITERAL for kind, _ in arg):
            options = [(False, chr(code)) for _, code in arg]
        elif op is _c.MAX_REPEAT and arg[0] == 0 and arg[1] == 1:
            options = [(False, ""), *_expand(arg[2])]
        elif op is _c.BRANCH:
            options = [alt for branch in arg[1] for alt in _expand(branch)]
        elif op is _c.SUBPATTERN and not arg[1] and not arg[2]:  # a group without inline flags
            options = _expand(arg[3])
        else:
            raise _CannotExpand
        combined = []
        for anchored, text in alternatives:
            for option_anchored, option_text in options:
                if option_anchored and text:  # "^" after some text never matches: keep the regex
                    raise _CannotExpand
                combined.append((anchored or option_anchored, text + option_text))
        alternatives = list(dict.fromkeys(combined))
        if len(alternatives) > MAX_ALTERNATIVES:
            raise _CannotExpand
    return alternatives


def expand_regex(pattern: str) -> list[_Alternative] | None:
    """The (anchored at start, literal) strings ``re.search(pattern, s)`` looks for, or ``None``."""
    if _sre_parser is None:
        return None
    try:
        alternatives = _expand(_sre_parser.parse(pattern))
    except (_CannotExpand, re.error, TypeError, ValueError):
        return None
    if not alternatives or any(not text or "'" in text for _, text in alternatives):
        return None  # an empty alternative matches every string; a quote cannot go into the XPath literal
    return alternatives


def xpath_test(nodes: str, pattern: str) -> str | None:
    """An XPath 1.0 expression true exactly when ``re:test(nodes, 'pattern')`` is, or ``None``."""
    alternatives = expand_regex(pattern)
    return _expression(nodes, alternatives) if alternatives is not None else None


def _expression(nodes: str, alternatives: list[_Alternative]) -> str:
    # A text that contains another unanchored one adds nothing; keep the expression short.
    loose = {text for anchored, text in alternatives if not anchored}
    terms = []
    for anchored, text in alternatives:
        if any(other != text and other in text for other in loose):
            continue
        if anchored and any(other in text for other in loose):
            continue
        terms.append(f"{'starts-with' if anchored else 'contains'}({nodes}, '{text}')")
    return "(" + " or ".join(dict.fromkeys(terms)) + ")"


def rewrite_path(path: str) -> str | None:
    """``path`` with every expandable ``re:test`` replaced, or ``None`` when none is.

    An XPath whose tests expand to more than :data:`MAX_ALTERNATIVES` strings in all is left as it is."""
    tests = [(match, expand_regex(match.group(2))) for match in _RE_TEST.finditer(path)]
    expandable = [(match, found) for match, found in tests if found is not None]
    if not expandable or sum(len(found) for _, found in expandable) > MAX_ALTERNATIVES:
        return None
    pieces, end = [], 0
    for match, found in expandable:
        pieces += [path[end : match.start()], _expression(re.sub(r"\s+", "", match.group(1)), found)]
        end = match.end()
    return "".join(pieces) + path[end:]


def rewrite(xpath: etree.XPath) -> etree.XPath:
    """``xpath`` compiled again with its expandable regex tests rewritten (itself when there are none)."""
    path = rewrite_path(xpath.path)
    if path is None:
        return xpath
    namespaces = {"re": "http://exslt.org/regular-expressions"} if "re:test" in path else None
    try:
        return etree.XPath(path, namespaces=namespaces)
    except etree.XPathSyntaxError:  # e.g. a namespace prefix of the original we do not know
        return xpath


def _rewrite_list(xpaths: list[Callable[..., Any]]) -> int:
    count = 0
    for i, item in enumerate(xpaths):
        inner = getattr(item, "xpath", None)  # a pipelines.xpathguard.GuardedXPath
        target = inner if isinstance(inner, etree.XPath) else item
        if not isinstance(target, etree.XPath):
            continue
        new = rewrite(target)
        if new is target:
            continue
        if target is inner:
            item.xpath = new
        else:
            xpaths[i] = new
        count += 1
    return count


_ORIGINALS: dict[str, list[Any]] = {}


def install() -> int:
    """Rewrite the XPath lists of :mod:`trafilatura.xpaths` in place (idempotent); how many XPaths changed."""
    from trafilatura import xpaths

    total = 0
    for name in dir(xpaths):
        found = getattr(xpaths, name)
        if name in _ORIGINALS or not isinstance(found, list):
            continue
        if not any(isinstance(getattr(x, "xpath", x), etree.XPath) for x in found):
            continue
        before = [getattr(x, "xpath", x) for x in found]
        changed = _rewrite_list(found)
        if changed:
            _ORIGINALS[name] = before
            total += changed
    return total


def uninstall() -> None:
    """Put trafilatura's own XPaths back (to compare with and without the rewrite)."""
    from trafilatura import xpaths

    for name, originals in _ORIGINALS.items():
        found = getattr(xpaths, name)
        for i, original in enumerate(originals):
            item = found[i]
            if isinstance(getattr(item, "xpath", None), etree.XPath) and not isinstance(item, etree.XPath):
                item.xpath = original
            else:
                found[i] = original
    _ORIGINALS.clear()
