"""Language identification with langdetect: deterministic and on a sample of the text.

langdetect's accuracy saturates after a few hundred characters of running text, and its cost grows with the
length, so we classify a sample taken from the middle of the article body (headlines and datelines at the top
are short and often in capitals, and teasers at the bottom may be in another language).
"""

from __future__ import annotations

import os
from itertools import islice

import langdetect
from langdetect.lang_detect_exception import LangDetectException

from pipelines.langdetect_fast import FastDetector, SparseDetectorFactory

_PROFILES = os.path.join(os.path.dirname(langdetect.__file__), "profiles")
#: Codes langdetect can return. Chinese comes as zh-cn / zh-tw; we also accept plain "zh".
SUPPORTED_LANGUAGES: frozenset[str] = frozenset(os.listdir(_PROFILES)) | {"zh"}

#: Fewer letters than this in the sample: too little text to tell its language.
_MIN_LETTERS = 20

_factory: SparseDetectorFactory | None = None


def _get_factory() -> SparseDetectorFactory:
    global _factory
    if _factory is None:
        factory = SparseDetectorFactory()
        factory.load_profile(_PROFILES)
        _factory = factory
    return _factory


def sample_text(text: str, max_chars: int) -> str:
    """A window of about ``max_chars`` characters from the body, cut at whitespace."""
    if len(text) <= max_chars:
        return text
    start = max(0, (len(text) - max_chars) // 4)  # skip the very top, stay in the body
    start = text.find(" ", start) + 1 if text.find(" ", start) != -1 else start
    end = text.rfind(" ", start, start + max_chars)
    return text[start : end if end > start else start + max_chars]


def normalise_code(code: str) -> str:
    """langdetect says zh-cn / zh-tw; users and ISO 639-1 say zh."""
    return "zh" if code.startswith("zh") else code


def detect_language(text: str, *, max_chars: int = 600, seed: int = 0, trials: int = 3) -> str | None:
    """ISO 639-1 code of ``text``'s language, or ``None`` when there is too little text to tell.

    Deterministic: langdetect draws random trials; a fixed seed makes the same text get the same answer.
    ``trials`` is how many of those random walks are averaged (langdetect's default is 7); on the eval texts
    3 are as accurate as 7 at every sample size and cost about 30% less (``benchmarks/bench_langid.py``).
    """
    sample = sample_text(text, max_chars)
    if len(list(islice(filter(str.isalpha, sample), _MIN_LETTERS))) < _MIN_LETTERS:  # stops at the 20th
        return None
    detector = FastDetector(_get_factory())  # what factory.create() makes, with faster inner loops
    detector.seed = seed  # langdetect reseeds its random trials from this before every detection
    detector.n_trial = max(1, trials)
    detector.append(sample)
    try:
        return normalise_code(detector.detect())
    except LangDetectException:
        return None


def language_allowed(language: str | None, allowed: set[str] | frozenset[str]) -> bool:
    """Whether a page in ``language`` is kept: everything when nothing is configured; unknown is dropped."""
    if not allowed:
        return True
    return language is not None and (language in allowed or normalise_code(language) in allowed)
