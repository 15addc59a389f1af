"""langdetect's ``Detector`` with its two inner loops written for CPython: the same answers, in half the time.

Language identification costs ~1.1 ms of the ~8 ms an article takes in a worker, and almost all of it is
two pure-Python loops of langdetect 1.0.9 (``benchmarks/bench_langid.py`` has the profile):

- ``_extract_ngrams`` builds the 1-3-grams of the sample through an ``NGram`` object, calling
  ``NGram.normalize`` (a chain of Unicode-block tests) and ``add_char`` for every character;
- ``_update_lang_prob`` multiplies the ~55 language probabilities one by one, indexing two lists.

:class:`FastDetector` keeps langdetect's algorithm, random draws and floating-point operations (each
probability is still ``p * (weight + q)``), so it returns exactly what ``Detector`` returns: characters are
normalised once per distinct character (a ``str.translate`` table filled on first use), the n-grams are read
word by word, and the product is a list comprehension. ``tests/test_language.py`` compares both.
"""

from __future__ import annotations

from langdetect.detector import Detector
from langdetect.utils.ngram import NGram

#: Characters whose normalisation is remembered; text uses few distinct characters, so this bounds the
#: memory if a crawl ever meets a large part of Unicode.
_MAX_REMEMBERED = 1 << 16


class _Normalisation(dict):
    """``str.translate`` table: code point -> ``NGram.normalize`` of the character, computed on first use."""

    def __missing__(self, code: int) -> str:
        found = NGram.normalize(chr(code))
        if len(self) < _MAX_REMEMBERED:
            self[code] = found
        return found


_TABLE = _Normalisation()


class FastDetector(Detector):
    """``Detector`` with exact, faster ``_extract_ngrams`` and ``_update_lang_prob``."""

    def _extract_ngrams(self) -> list[str]:
        # What NGram.add_char and Detector._extract_ngrams make (N_GRAM = 3), word by word of the normalised
        # text: the 1-, 2- and 3-grams of " word" that end at each of its characters, then, when a space
        # follows, "d " and "rd " (" d " for a one-letter word). An upper-case character right after another
        # (inside an all-capitals word) adds none.
        known = self.word_lang_prob_map
        result: list[str] = []
        append = result.append
        text = self.text.translate(_TABLE)
        words = text.split(" ")
        last_word = len(words) - 1
        for number, word in enumerate(words):
            if not word:
                continue
            padded = " " + word
            previous_upper = False
            for end in range(1, len(padded)):
                ch = padded[end]
                upper = ch.isupper()
                if upper and previous_upper:
                    continue  # capital word
                previous_upper = upper
                if ch in known:
                    append(ch)
                w = padded[end - 1 : end + 1]
                if w in known:
                    append(w)
                if end >= 2:
                    w = padded[end - 2 : end + 1]
                    if w in known:
                        append(w)
            if number < last_word:  # a space follows
                tail = padded[-2:] + " "
                if tail[1:] in known:
                    append(tail[1:])
                if tail in known:
                    append(tail)
        return result

    def _update_lang_prob(self, prob: list[float], word: str | None, alpha: float) -> bool:
        lang_prob_map = self.word_lang_prob_map.get(word) if word is not None else None
        if lang_prob_map is None:
            return False
        weight = alpha / self.BASE_FREQ
        prob[:] = [p * (weight + q) for p, q in zip(prob, lang_prob_map, strict=False)]  # same operations
        return True
