"""Phrase lists as regular expressions, searched only where they can match.

The cleaning stage tests every short block of every article against a long alternation of multilingual
phrases ("subscribe to our newsletter", "wir verwenden Cookies", "tous droits réservés"...). Python's regex
engine tries each alternative at each position of the text, so that search was the largest cost of page
cleaning (about 1.7 ms per article of the 2.5 ms). Nearly every alternative needs some literal text to match
("newsletter", "cookies", "réservés"), and a plain substring test (``in``, in C) rules most blocks out for a
fraction of the cost; the alternative's own regex runs only on blocks that contain one of its literals, so
the answer is exactly the full alternation's.

The literals are found from the regex's parse tree, not written by hand, so a literal cannot drift from its
pattern. Case-insensitive patterns compare against the text folded the way the regex engine folds it
(:func:`fold_for_search`); ``tests/test_patterns.py`` checks that folding against the engine for every
character of Unicode and every character of the literals.
"""

from __future__ import annotations

import re

try:  # the regex parser behind re.compile; private, so its absence only disables the shortcut
    from re import _constants as _c
    from re import _parser as _sre_parser
except ImportError:  # pragma: no cover - other Pythons than CPython 3.11+
    _sre_parser = None  # type: ignore[assignment]
    _c = None  # type: ignore[assignment]

#: Characters the regex engine's case-insensitive matching equates with a Latin letter that ``str.lower``
#: does not map to it: dotted capital I (lowercases to two characters), dotless i, long s, long s with dot.
_FOLD_FIXES = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u1e9b": "\u1e61"})

#: Literals are only used when every character is one whose case-insensitive matches are known to be covered
#: by :func:`fold_for_search` (Latin script, digits, punctuation, spaces); other alternatives are always run.
_SAFE_LITERAL = re.compile(r"[\x20-\x7e\u00c0-\u024f]+")


def fold_for_search(text: str) -> str:
    """``text`` as a case-insensitive regex sees it, for substring tests with lower-case literals."""
    if not text.isascii():
        text = text.translate(_FOLD_FIXES)
    return text.lower()


def _required(items: list, ignore_case: bool) -> frozenset[str] | None:
    """A set of literals one of which every match of the parsed sequence ``items`` contains; ``None``: none.

    Runs of consecutive literal characters are candidates; so are groups and alternations whose every branch
    has such a set, and repeats that must occur at least once. The most selective candidate wins (longest
    shortest literal).
    """
    candidates: list[frozenset[str]] = []
    run: list[str] = []

    def close_run() -> None:
        if run:
            candidates.append(frozenset({"".join(run)}))
            run.clear()

    for op, av in items:
        if op is _c.LITERAL:
            char = chr(av)
            run.append(char.lower() if ignore_case else char)
            continue
        close_run()
        found: frozenset[str] | None = None
        if op is _c.SUBPATTERN:
            add_flags, del_flags = av[1], av[2]
            if not (add_flags | del_flags) & re.IGNORECASE:  # an inline (?i) / (?-i) changes the folding
                found = _required(list(av[-1]), ignore_case)
        elif op is _c.BRANCH:
            branches = [_required(list(branch), ignore_case) for branch in av[1]]
            if all(b is not None for b in branches):
                found = frozenset().union(*branches)  # type: ignore[arg-type]
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT) and av[0] >= 1:
            found = _required(list(av[2]), ignore_case)
        elif op is _c.ATOMIC_GROUP:
            found = _required(list(av), ignore_case)
        if found:
            candidates.append(found)
    close_run()
    usable = [c for c in candidates if all(lit.strip() and _SAFE_LITERAL.fullmatch(lit) for lit in c)]
    if not usable:
        return None
    return max(usable, key=lambda c: (min(len(lit) for lit in c), -len(c)))


def required_literals(pattern: str, flags: int = 0) -> frozenset[str] | None:
    """Literals (lower-cased if ``flags`` ignore case) one of which every match of ``pattern`` contains."""
    if _sre_parser is None:
        return None
    try:
        parsed = _sre_parser.parse(pattern, flags)
    except Exception:  # any parser change means: no shortcut, just the regex
        return None
    return _required(list(parsed), bool(flags & re.IGNORECASE))


class PhrasePattern:
    """An alternation of regexes whose :meth:`search` says whether any alternative occurs in a text.

    Same answer as ``re.compile("(?:a|b|...)", flags).search(text) is not None``, found faster: each
    alternative's regex runs only when the text contains one of the literals it requires.
    """

    def __init__(self, *alternatives: str, flags: int = 0) -> None:
        self.alternatives = tuple(alternatives)
        self.flags = flags
        self.pattern = re.compile("(?:" + "|".join(alternatives) + ")", flags)
        self._ignore_case = bool(flags & re.IGNORECASE)
        by_literal: dict[str, list[re.Pattern[str]]] = {}
        unguarded: list[str] = []
        for alternative in alternatives:
            literals = required_literals(alternative, flags)
            if not literals:
                unguarded.append(alternative)
                continue
            compiled = re.compile(alternative, flags)
            for literal in sorted(literals):
                by_literal.setdefault(literal, []).append(compiled)
        #: Literal -> the alternatives that need it; longest literals first (the most selective tests).
        self._guarded = sorted(by_literal.items(), key=lambda kv: -len(kv[0]))
        self._unguarded = re.compile("(?:" + "|".join(unguarded) + ")", flags) if unguarded else None

    def search(self, text: str) -> bool:
        """Whether any alternative matches somewhere in ``text``."""
        if self._unguarded is not None and self._unguarded.search(text):
            return True
        haystack = fold_for_search(text) if self._ignore_case else text
        for literal, regexes in self._guarded:
            if literal in haystack and any(regex.search(text) for regex in regexes):
                return True
        return False
