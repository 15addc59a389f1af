"""The removal of characters XML forbids gives trafilatura's result, and skips the regex when there are none."""

from __future__ import annotations

import random

import pytest
from trafilatura import utils

import pipelines.extract  # noqa: F401  (installs it)
from pipelines import xmlchars
from pipelines.xmlchars import InvalidXmlChars, has_invalid_xml_chars


def real_regex():
    current = utils.INVALID_XML_CHARS
    return current.regex if isinstance(current, InvalidXmlChars) else current


def test_installed_in_trafilatura() -> None:
    assert isinstance(utils.INVALID_XML_CHARS, InvalidXmlChars)
    assert xmlchars.install()  # idempotent
    assert utils.INVALID_XML_CHARS.pattern == xmlchars.EXPECTED  # the pattern's text, as before


@pytest.mark.parametrize(
    "text",
    ["plain", "tab\tline\nreturn\r", "bell\x07", "nul\x00", "\x1f", "\x0b\x0c", "no\ufffe", "\uffff end",
     "é ü “quotes” 漢字 😀", "\ud800 lone surrogate", "\x7f del is allowed", "\x80 C1 is allowed", ""],
)  # fmt: skip
def test_same_as_the_regex(text: str) -> None:
    regex = real_regex()
    assert has_invalid_xml_chars(text) == bool(regex.search(text))
    assert utils.INVALID_XML_CHARS.sub("", text) == regex.sub("", text)


def test_same_as_the_regex_on_random_text() -> None:
    rng = random.Random(5)
    regex = real_regex()
    alphabet = [chr(c) for c in range(0x30)] + [
        "a",
        "é",
        "\u2019",
        "\ufffd",
        "\ufffe",
        "\uffff",
        "\U0001f600",
    ]
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        if rng.random() < 0.5:  # most pages have none
            text = regex.sub("", text)
        assert has_invalid_xml_chars(text) == bool(regex.search(text))
        assert utils.INVALID_XML_CHARS.sub("", text) == regex.sub("", text)


def test_a_page_with_control_characters_still_parses_as_before() -> None:
    page = (
        "<html><body><article><p>Control\x08 characters\x00 are\x1f removed.</p>" + "<p>More text.</p>" * 20
    )
    tree = utils.load_html(page + "</article></body></html>")
    assert tree is not None and "Control characters are removed." in tree.text_content()


def test_other_pattern_is_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    import re

    other = re.compile("[\\x00-\\x08]")
    monkeypatch.setattr(utils, "INVALID_XML_CHARS", other)
    assert xmlchars.install() is False
    assert utils.INVALID_XML_CHARS is other
