"""Language identification: right on ordinary text, deterministic, and honest about too little text."""

import random

import pytest
from langdetect import DetectorFactory
from langdetect.detector import Detector
from langdetect.lang_detect_exception import LangDetectException

from pipelines.langdetect_fast import DENSE_FROM, FastDetector
from pipelines.language import _PROFILES, _get_factory, detect_language, language_allowed, sample_text

EN = "The city council approved the new budget on Tuesday after a long debate about public transport. " * 5
DE = (
    "Der Stadtrat hat am Dienstag nach einer langen Debatte über den Nahverkehr den neuen Haushalt beschlossen. "
    * 5
)
FR = (
    "Le conseil municipal a adopté mardi le nouveau budget après un long débat sur les transports publics. "
    * 5
)


def test_detects_common_languages() -> None:
    assert detect_language(EN) == "en"
    assert detect_language(DE) == "de"
    assert detect_language(FR) == "fr"


def test_deterministic_on_ambiguous_text() -> None:
    text = "Hotel Restaurant Pizza Taxi Bar Radio Hotel Restaurant Pizza Taxi Bar Radio"
    assert len({detect_language(text) for _ in range(10)}) == 1


def test_too_little_text_is_unknown() -> None:
    assert detect_language("OK 123") is None


def test_sample_is_bounded_and_cut_at_words() -> None:
    sample = sample_text(EN * 10, 300)
    assert len(sample) <= 300
    assert sample == sample.strip() and " " in sample


def test_language_allowed() -> None:
    assert language_allowed("de", frozenset())
    assert language_allowed("en", frozenset({"en"}))
    assert not language_allowed("de", frozenset({"en"}))
    assert not language_allowed(None, frozenset({"en"}))
    assert language_allowed("zh", frozenset({"zh"}))


def test_fewer_random_trials_give_the_same_languages() -> None:
    """The crawl averages 3 of langdetect's random trials instead of 7: the same answers on ordinary text."""
    for text in (EN, DE, FR):
        assert detect_language(text, trials=3) == detect_language(text, trials=7)
    ambiguous = "Hotel Restaurant Pizza Taxi Bar Radio Hotel Restaurant Pizza Taxi Bar Radio"
    assert len({detect_language(ambiguous, trials=3) for _ in range(5)}) == 1


def test_trials_setting_reaches_the_page_options() -> None:
    from scrapy.settings import Settings

    from newsharvest import defaults
    from newsharvest.pipelines import page_options

    settings = Settings({k: v for k, v in vars(defaults).items() if k.startswith("NEWSHARVEST_")})
    assert page_options(settings).langdetect_trials == defaults.NEWSHARVEST_LANGDETECT_TRIALS
    settings.set("NEWSHARVEST_LANGDETECT_TRIALS", 7)
    assert page_options(settings).langdetect_trials == 7


def _texts_in_many_scripts() -> list[str]:
    """Sentences in several scripts and random strings of awkward characters: all-capital words, digits,
    punctuation, runs of spaces, combining marks (Vietnamese), kana, hangul, CJK, Arabic and Farsi yeh."""
    sentences = [
        "The quick brown fox jumps over the lazy dog, said the BBC NEWS desk in LONDON today.",
        "Der schnelle braune Fuchs springt über den faulen Hund. Überall GROSSE Wörter!",
        "Le renard brun rapide saute par-dessus le chien paresseux, à l'été 2024.",
        "Быстрая коричневая лиса прыгает через ленивую собаку. МОСКВА, 12 мая.",  # noqa: RUF001
        "敏捷的棕色狐狸跳过了懒狗。东京とカタカナ、ひらがな。한국어 문장입니다.",
        "الثعلب البني السريع يقفز فوق الكلب الكسول. فارسی یک جمله است.",
        "Con cáo nâu nhanh nhẹn nhảy qua con chó lười. Tiếng Việt có dấu.",
        "Şeful a spus că ţara e mare; România și Țara Românească.",
    ]
    pool = "abcXYZ éÉüÜßçÇ  \u0301\u0300.,;!?-–—“”'0123 AИЖжж中文かカ한 ابی\u06cc\u1ea0\u1ec3 \t\n"  # noqa: RUF001
    rng = random.Random(7)
    noise = ["".join(rng.choice(pool) for _ in range(rng.randint(1, 400))) for _ in range(300)]
    return sentences + [" ".join(rng.sample(sentences, 3)) for _ in range(30)] + noise


@pytest.fixture(scope="module")
def dense_factory() -> DetectorFactory:
    """langdetect's own factory, dense, as langdetect's ``Detector`` reads it."""
    factory = DetectorFactory()
    factory.load_profile(_PROFILES)
    return factory


def test_sparse_profiles_hold_langdetects_probabilities(dense_factory: DetectorFactory) -> None:
    sparse = _get_factory()
    assert sparse.langlist == dense_factory.langlist
    assert sparse.word_lang_prob_map.keys() == dense_factory.word_lang_prob_map.keys()
    kinds = set()
    for ngram, dense in dense_factory.word_lang_prob_map.items():
        entry = sparse.word_lang_prob_map[ngram]
        kinds.add(type(entry))
        if isinstance(entry, tuple):  # (index, probability, ...): the non-zero ones, in order
            rebuilt = [0.0] * len(dense)
            for k in range(0, len(entry), 2):
                rebuilt[entry[k]] = entry[k + 1]
            assert all(entry[k + 1] != 0.0 for k in range(0, len(entry), 2))
            assert len(entry) <= 2 * DENSE_FROM
        else:
            rebuilt = entry
        assert rebuilt == dense, ngram
    assert kinds == {tuple, list}


def test_fast_detector_answers_exactly_as_langdetect(dense_factory: DetectorFactory) -> None:
    for text in _texts_in_many_scripts():
        for trials in (1, 3):
            answers = []
            for cls in (Detector, FastDetector):
                detector = cls(dense_factory if cls is Detector else _get_factory())
                detector.seed, detector.n_trial = 0, trials
                detector.append(text)
                try:
                    answers.append((detector._extract_ngrams(), repr(detector.get_probabilities())))
                except LangDetectException as exc:
                    answers.append(("error", exc.args))
            assert answers[0] == answers[1], text


def test_remembered_word_ngrams_are_bounded() -> None:
    from pipelines import langdetect_fast

    factory = _get_factory()
    total = langdetect_fast._MAX_WORDS + 2000
    sizes = []
    for start in range(0, total, 500):  # langdetect reads at most 10,000 characters of a text
        detector = FastDetector(factory)
        detector.append(" ".join(f"w{i}ord" for i in range(start, start + 500)))
        detector._extract_ngrams()
        sizes.append(len(langdetect_fast._WORDS.inside))
    assert max(sizes) <= langdetect_fast._MAX_WORDS
    assert sizes[-1] < sizes[-2] or sizes[-1] < total - 1000  # it started again on the way


def test_fast_detector_verbose_output_is_langdetects(dense_factory: DetectorFactory, capsys) -> None:
    printed = []
    for cls, factory in ((Detector, dense_factory), (FastDetector, _get_factory())):
        detector = cls(factory)
        detector.seed, detector.n_trial, detector.verbose = 0, 2, True
        detector.append(DE + " the e a " + FR)  # n-grams of both kinds: sparse and dense entries
        answer = detector.detect()
        printed.append((answer, capsys.readouterr().out))
    assert printed[0] == printed[1]
    assert "==>" in printed[0][1]  # it printed its trials
