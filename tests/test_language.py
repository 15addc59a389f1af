"""Language identification: right on ordinary text, deterministic, and honest about too little text."""

from pipelines.language import detect_language, language_allowed, sample_text

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
