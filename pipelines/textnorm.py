"""Text normalisation for deduplication: one definition of "the same text", used for hashes and shingles.

Two copies of a story differ in ways a reader does not see as a change: Unicode forms (NFC/NFD, full-width
digits, ligatures), case, curly vs straight quotes, dashes, doubled spaces, line breaks. All of these are
erased here, so that the exact hash catches them and the MinHash shingles do not count them as edits.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import cache

# Candidate separators: anything that is neither a word character nor whitespace, plus "_" (a \w in Python).
# Combining marks (Mn/Mc) also fall in ``[^\w\s]`` but must stay: they are parts of words in Devanagari, Thai,
# Arabic... so each candidate is checked against its Unicode category (cached, since texts reuse few symbols).
_CANDIDATES = re.compile(r"[^\w\s]|_")


@cache
def _replacement(char: str) -> str:
    """A space for punctuation and symbols, the character itself for combining marks and the rest."""
    return char if unicodedata.category(char)[0] == "M" else " "


def _separator(match: re.Match[str]) -> str:
    return _replacement(match.group())


def normalize_text(text: str) -> str:
    """NFKC, casefold, punctuation and symbols to spaces, whitespace collapsed to single spaces.

    Punctuation becomes a space (not nothing) so that "word—word" and "word - word" normalise alike.
    """
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(_CANDIDATES.sub(_separator, folded).split())


def tokens(text: str) -> list[str]:
    """The words of the normalised text."""
    return normalize_text(text).split()


def shingles(words: list[str], size: int) -> list[str]:
    """Overlapping ``size``-word shingles; a text shorter than ``size`` words is one shingle."""
    if len(words) <= size:
        return [" ".join(words)] if words else []
    return [" ".join(gram) for gram in zip(*(words[i:] for i in range(size)), strict=False)]


def hash_normalized(normalized: str) -> str:
    """Hex digest of an already normalised text (128-bit BLAKE2b: collision-free at any realistic scale)."""
    return hashlib.blake2b(normalized.encode("utf-8"), digest_size=16).hexdigest()


def content_hash(text: str) -> str:
    """Hex hash of the normalised text: equal for texts that differ only in case, punctuation or spacing."""
    return hash_normalized(normalize_text(text))
