"""trafilatura's removal of the characters XML forbids, skipped on a page that has none: the same text.

Before parsing, trafilatura's ``load_html`` removes C0 control characters (other than tab, newline and
carriage return) and U+FFFE / U+FFFF from the whole page with one regex substitution. Python's regex engine
tests the character class at each of the ~100,000 characters of a page: 0.25 ms, on every article, for pages
that almost never have such a character.

:class:`InvalidXmlChars` stands in for that compiled pattern (``trafilatura.utils.INVALID_XML_CHARS``, used
only there): its ``sub("", text)`` first looks for the characters in C (``str.__contains__`` for the two
non-characters, and ``bytes.translate`` on the UTF-8 form, where C0 controls are single bytes that never
occur inside a multi-byte sequence), 0.1 ms, and only runs the regex when one is there.
"""

from __future__ import annotations

import re
from typing import Any

#: The C0 controls XML 1.0 forbids (all but tab, line feed and carriage return), as bytes.
_C0_FORBIDDEN = bytes(c for c in range(0x20) if c not in (0x09, 0x0A, 0x0D))


def has_invalid_xml_chars(text: str) -> bool:
    """Whether ``text`` has a character of ``[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\ufffe\\uffff]``."""
    if "\ufffe" in text or "\uffff" in text:
        return True
    raw = text.encode("utf-8", "surrogatepass")
    return len(raw.translate(None, _C0_FORBIDDEN)) != len(raw)


class InvalidXmlChars:
    """A compiled pattern whose ``sub("", text)`` skips the regex when ``text`` has nothing to remove."""

    def __init__(self, regex: re.Pattern[str]) -> None:
        self.regex = regex

    def sub(self, repl: Any, string: str, count: int = 0) -> str:
        if repl == "" and isinstance(string, str) and not has_invalid_xml_chars(string):
            return string
        return self.regex.sub(repl, string, count)

    def __getattr__(self, name: str) -> Any:  # search, match, the pattern's text...: the real regex's
        return getattr(self.regex, name)


#: The character class this stands in for; install() does nothing if trafilatura's differs.
EXPECTED = "[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\ufffe\\uffff]"


def install() -> bool:
    """Put :class:`InvalidXmlChars` in trafilatura (idempotent); ``False`` when its pattern is not the one
    this module checks for (a trafilatura upgrade), which is then left as it is."""
    from trafilatura import utils

    current = utils.INVALID_XML_CHARS
    if isinstance(current, InvalidXmlChars):
        return True
    if getattr(current, "pattern", None) != EXPECTED:
        return False
    utils.INVALID_XML_CHARS = InvalidXmlChars(current)
    return True


def uninstall() -> None:
    from trafilatura import utils

    if isinstance(utils.INVALID_XML_CHARS, InvalidXmlChars):
        utils.INVALID_XML_CHARS = utils.INVALID_XML_CHARS.regex
