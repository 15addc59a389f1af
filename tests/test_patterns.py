"""PhrasePattern gives exactly the answer of the plain alternation, and its literals are really required."""

from __future__ import annotations

import random
import re

import pytest

from pipelines import clean
from pipelines.patterns import PhrasePattern, fold_for_search, required_literals

FLAGS = re.IGNORECASE | re.UNICODE


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"\bsuscr[ií]bete\b", {"suscr"}),  # the longer of the two runs around the class
        (r"\b(?:we|this (?:site|website)) uses? cookies\b", {" cookies"}),
        (r"(?:tweet|pin it|email)", {"tweet", "pin it", "email"}),  # one of the branches
        (r"(?:ab)+c?", {"ab"}),  # a repeat that must occur once
        (r"\bNewsletter\b", {"newsletter"}),  # lower-cased under IGNORECASE
        (r"[\w ]{1,30} (?:off|on), selected", {", selected"}),
        (r"(?:x)?\d+", None),  # nothing literal is required
        (r"(?:foo|\d+)", None),  # one branch needs no literal
        (r"(?-i:Foo)bar", {"bar"}),  # a group that changes case folding is not used
    ],
)
def test_required_literals(pattern: str, expected: set[str] | None) -> None:
    found = required_literals(pattern, FLAGS)
    assert (set(found) if found is not None else None) == expected


def test_a_literal_required_by_the_parse_is_in_every_match() -> None:
    """For each phrase of the cleaning list, every match in a sample of texts contains one of its literals."""
    texts = _fuzz_texts(random.Random(1), 3000)
    for alternative in clean._PROMPT_CONTAINS.alternatives:
        literals = required_literals(alternative, FLAGS)
        if not literals:
            continue
        regex = re.compile(alternative, FLAGS)
        for text in texts:
            match = regex.search(text)
            if match:
                assert any(lit in fold_for_search(match.group(0)) for lit in literals), (alternative, text)


def _literal_words() -> list[str]:
    """Words of the cleaning phrases, to build texts that come close to matching them."""
    words: set[str] = set()
    for alternative in clean._PROMPT_CONTAINS.alternatives:
        words.update(re.findall(r"[^\W\d_]{2,}", re.sub(r"\\[a-zA-Z]", " ", alternative)))
    return sorted(words)


def _fuzz_texts(rng: random.Random, n: int) -> list[str]:
    words = [*_literal_words(), "the", "a", "our", "on", "to", "Twitter", "2024", "©", "(c)", "5 min", "-"]
    tricky = {"i": "\u0130\u0131", "s": "\u017f", "k": "\u212a", "a": "\u00e5"}
    texts = []
    for _ in range(n):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(1, 12)))
        if rng.random() < 0.3:
            text = text.upper()
        if rng.random() < 0.2:  # characters the regex engine folds like Latin letters
            text = "".join(rng.choice(tricky[c]) if c in tricky and rng.random() < 0.3 else c for c in text)
        if rng.random() < 0.2:
            text = text.replace(" ", rng.choice(["  ", ": ", ", "]))
        texts.append(text)
    return texts


def test_same_answers_as_the_alternation_on_near_miss_texts() -> None:
    phrases = clean._PROMPT_CONTAINS
    texts = _fuzz_texts(random.Random(0), 20000)
    texts += [
        "Subscribe to our NEWSLETTER for updates",
        "\u0130nscrivez-vous \u00e0 notre newsletter",  # dotted capital I: the regex folds it to i
        "Wir verwenden Cookies.",
        "\u00a9 2024 Example Media",
        "Tous droits r\u00e9serv\u00e9s",
        "Follow us on X",
        "A story about the newsletter business, with no prompt in it at all.",
    ]
    expected = [phrases.pattern.search(t) is not None for t in texts]
    assert [phrases.search(t) for t in texts] == expected
    assert 0 < sum(expected) < len(texts)  # the sample holds both matches and near misses


def test_folding_matches_the_regex_engine_for_every_character() -> None:
    """Any character a case-insensitive regex equates with a literal's character folds to that character."""
    literal_chars: set[str] = set("abcdefghijklmnopqrstuvwxyz")
    for alternative in clean._PROMPT_CONTAINS.alternatives:
        literal_chars.update("".join(required_literals(alternative, FLAGS) or ()))
    everything = "".join(chr(i) for i in range(0x110000) if not 0xD800 <= i < 0xE000)
    for char in sorted(literal_chars):
        for equal in set(re.findall(re.escape(char), everything, FLAGS)):
            assert fold_for_search(equal) == char, (char, equal)


def test_alternatives_without_a_literal_are_still_searched() -> None:
    phrases = PhrasePattern(r"\d{4}-\d\d", r"\bnewsletter\b", flags=FLAGS)
    assert phrases.search("on 2024-05 we wrote")
    assert phrases.search("the NEWSLETTER")
    assert not phrases.search("news letter of 24-05")
