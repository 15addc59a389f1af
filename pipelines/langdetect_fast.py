"""langdetect's ``Detector`` with its inner loops written for CPython: the same answers, in ~60% of the time.

Language identification costs ~1 ms of the ~8 ms an article takes in a worker, and almost all of it is
pure-Python loops of langdetect 1.0.9 (``benchmarks/bench_langid.py`` has the profile):

- ``_extract_ngrams`` builds the 1-3-grams of the sample through an ``NGram`` object, calling
  ``NGram.normalize`` (a chain of Unicode-block tests) and ``add_char`` for every character;
- ``_detect_block`` draws an n-gram, multiplies the ~55 language probabilities by its weights one by one
  (``_update_lang_prob``, indexing two lists) and normalises them every fifth step (``_normalize_prob``),
  a hundred or more steps per trial, each through method calls.

:class:`FastDetector` keeps langdetect's algorithm, random draws and floating-point operations (each
probability is still ``p * (weight + q)``, then divided by the same sum), so it returns exactly what
``Detector`` returns: characters are normalised once per distinct character (a ``str.translate`` table
filled on first use), the n-grams are read word by word and remembered per word, and the steps are one loop
of list comprehensions. ``tests/test_language.py`` compares both on texts in eight scripts (and they agree
on the 37,964 texts of the langid eval data and the bench: n-grams and probabilities). On the bench's
article texts: 0.96 -> 0.76 ms per detection (langdetect's own: ~1.2 ms).
"""

from __future__ import annotations

from langdetect import DetectorFactory
from langdetect.detector import Detector
from langdetect.lang_detect_exception import ErrorCode, LangDetectException
from langdetect.utils.ngram import NGram

#: One n-gram's probabilities, sparse: ``(index, probability, index, probability, ...)`` for the languages
#: where it is not 0.0, indices ascending; ``()`` for an n-gram of a profile that no language gives a weight.
#: N-grams with more than ``DENSE_FROM`` languages keep langdetect's dense list (~4% of them).
SparseProbabilities = tuple
DENSE_FROM = 8


class SparseDetectorFactory(DetectorFactory):
    """langdetect's ``DetectorFactory``, each n-gram's probabilities stored sparse, for :class:`FastDetector`.

    langdetect keeps, for each of its ~87,600 n-grams, a list of ~55 language probabilities, of which about
    two are not 0.0: ~61 MB in every process that detects languages. Sparse, the same numbers take ~26 MB.
    Every extraction worker loads them (``pipelines.workers._init_worker``). The probabilities are the very
    same floats (same profiles, files, order and division); only the zeros are left out, and
    ``p * (weight + 0.0)`` is exactly ``p * weight``, so :class:`FastDetector` gives the same answers as
    langdetect's ``Detector`` on the dense table. langdetect's own ``Detector`` cannot read this table.
    """

    def add_profile(self, profile, index: int, langsize: int) -> None:  # profile: langdetect's LangProfile
        # langdetect's add_profile, building (index, probability) pairs instead of filling dense lists; a
        # tuple grown once per language keeps the building from fragmenting the heap (~26 MB, not ~35 MB).
        if profile.name in self.langlist:
            raise LangDetectException(ErrorCode.DuplicateLangError, "Duplicate the same language profile.")
        self.langlist.append(profile.name)
        table = self.word_lang_prob_map
        freq, n_words = profile.freq, profile.n_words
        for word in freq:
            entry = table.get(word, ())
            length = len(word)
            if 1 <= length <= 3:
                prob = 1.0 * freq[word] / n_words[length - 1]
                if prob != 0.0:
                    entry += (index, prob)
            table[word] = entry

    def load_profile(self, profile_directory: str) -> None:
        super().load_profile(profile_directory)
        # The few n-grams most languages have ("e", "a ", ...) are also the ones drawn most: dense, their
        # update is one list comprehension instead of one more step per language.
        table, size = self.word_lang_prob_map, len(self.langlist)
        for word, entry in table.items():
            if len(entry) > 2 * DENSE_FROM:
                dense = [0.0] * size
                for k in range(0, len(entry), 2):
                    dense[entry[k]] = entry[k + 1]
                table[word] = dense


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


#: Words whose n-grams are remembered (per profile set; ~1 KB each, so at most ~8 MB per worker). Full, it
#: starts again: the frequent words, most of any text, come back at once.
_MAX_WORDS = 1 << 13


class _WordNgrams:
    """The known n-grams of one word of normalised text, remembered: the same words recur in every text."""

    def __init__(self) -> None:
        self.known: object = None
        self.inside: dict[str, list[str]] = {}

    def table_for(self, known: dict) -> dict[str, list[str]]:
        if known is not self.known or len(self.inside) >= _MAX_WORDS:
            self.known, self.inside = known, {}
        return self.inside


_WORDS = _WordNgrams()


def _inside_ngrams(word: str, known: dict) -> list[str]:
    """The 1-, 2- and 3-grams of " word" that end at each of its characters and that ``known`` has (what
    NGram.add_char gives, N_GRAM = 3); an upper-case character right after another (inside an all-capitals
    word) adds none."""
    result: list[str] = []
    append = result.append
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
    return result


def _times(prob: list[float], weight: float, entry: SparseProbabilities | list[float]) -> list[float]:
    """``[p * (weight + q) for p, q in zip(prob, dense)]``, also from a sparse entry: the same products."""
    if entry.__class__ is list:
        return [p * (weight + q) for p, q in zip(prob, entry, strict=False)]
    scaled = [p * weight for p in prob]
    for k in range(0, len(entry), 2):
        i = entry[k]
        scaled[i] = prob[i] * (weight + entry[k + 1])
    return scaled


class FastDetector(Detector):
    """``Detector`` with exact, faster ``_extract_ngrams``, ``_update_lang_prob`` and ``_detect_block``, on
    the sparse table of a :class:`SparseDetectorFactory`."""

    def _extract_ngrams(self) -> list[str]:
        # What NGram.add_char and Detector._extract_ngrams make (N_GRAM = 3), word by word of the normalised
        # text: each word's own n-grams (remembered per word), then, when a space follows, "d " and "rd "
        # (" d " for a one-letter word).
        known = self.word_lang_prob_map
        remembered = _WORDS.table_for(known)
        result: list[str] = []
        extend, append = result.extend, result.append
        text = self.text.translate(_TABLE)
        words = text.split(" ")
        last_word = len(words) - 1
        for number, word in enumerate(words):
            if not word:
                continue
            inside = remembered.get(word)
            if inside is None:
                inside = remembered[word] = _inside_ngrams(word, known)
            extend(inside)
            if number < last_word:  # a space follows
                tail = (" " + word)[-2:] + " "
                if tail[1:] in known:
                    append(tail[1:])
                if tail in known:
                    append(tail)
        return result

    def _update_lang_prob(self, prob: list[float], word: str | None, alpha: float) -> bool:
        lang_prob_map = self.word_lang_prob_map.get(word) if word is not None else None
        if lang_prob_map is None:
            return False
        if self.verbose:  # what langdetect prints
            print(f"{word}({self._unicode_encode(word)}): {self._word_prob_to_string(lang_prob_map)}")
        prob[:] = _times(prob, alpha / self.BASE_FREQ, lang_prob_map)
        return True

    def _word_prob_to_string(self, prob: SparseProbabilities | list[float]) -> str:  # as langdetect's
        if prob.__class__ is list:
            return super()._word_prob_to_string(prob)
        shown = (k for k in range(0, len(prob), 2) if prob[k + 1] >= 0.00001)
        return "".join(f" {self.langlist[prob[k]]}:{prob[k + 1]:.5f}" for k in shown)

    def _detect_block(self) -> None:
        # langdetect's loop with its method calls inlined: the same random draws (a gauss per trial, a
        # choice per step), the same products and the same normalisation every fifth step.
        if self.verbose:
            return super()._detect_block()
        self.cleaning_text()
        ngrams = self._extract_ngrams()
        if not ngrams:
            raise LangDetectException(ErrorCode.CantDetectError, "No features in text.")
        table = self.word_lang_prob_map
        langprob = [0.0] * len(self.langlist)
        rnd = self.random
        rnd.seed(self.seed)
        choice = rnd.choice
        limit, threshold, trials = self.ITERATION_LIMIT, self.CONV_THRESHOLD, self.n_trial
        for _ in range(trials):
            prob = self._init_probability()
            alpha = self.alpha + rnd.gauss(0.0, 1.0) * self.ALPHA_WIDTH
            weight = alpha / self.BASE_FREQ
            i = 0
            while True:
                entry = table.get(choice(ngrams))
                if entry.__class__ is list:  # _times, inlined
                    prob = [p * (weight + x) for p, x in zip(prob, entry, strict=False)]
                elif entry is not None:
                    scaled = [p * weight for p in prob]
                    for k in range(0, len(entry), 2):
                        j = entry[k]
                        scaled[j] = prob[j] * (weight + entry[k + 1])
                    prob = scaled
                if i % 5 == 0:
                    total = sum(prob)  # langdetect's _normalize_prob: divide by the sum, then the largest
                    prob = [p / total for p in prob]
                    if max(prob) > threshold or i >= limit:
                        break
                i += 1
            langprob = [acc + p / trials for acc, p in zip(langprob, prob, strict=False)]
        self.langprob = langprob
        return None
