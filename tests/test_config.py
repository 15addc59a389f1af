"""The sources file: valid files load, and every kind of mistake names the file, the key and the problem."""

from pathlib import Path

import pytest

from newsharvest.config import ConfigError, load_sources


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_valid_file_loads_every_key(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
languages: [en, DE]
sources:
  - name: example-news
    feeds: [https://example.com/feed.xml]
    sitemaps: [https://example.com/sitemap.xml]
    start_urls: [https://example.com/world/]
  - name: other
    start_urls: https://other.example/
    link_depth: 1
""",
    )
    config = load_sources(path)
    assert config.languages == ("en", "de")
    first, second = config.sources
    assert first.name == "example-news"
    assert first.feeds == ("https://example.com/feed.xml",)
    assert first.urls == (
        "https://example.com/feed.xml",
        "https://example.com/sitemap.xml",
        "https://example.com/world/",
    )
    assert second.start_urls == ("https://other.example/",) and second.link_depth == 1


@pytest.mark.parametrize(
    ("text", "key", "problem"),
    [
        ("sources: [", "line 1", "malformed YAML"),
        ("- a\n- b\n", "(top level)", "mapping"),
        ("sources: []\n", "sources", "non-empty list"),
        ("sourcez: []\n", "sourcez", "unknown key"),
        ("sources:\n  - name: a\n    feedz: [https://a.example/f]\n", "sources[0].feedz", "unknown key"),
        ("sources:\n  - name: a\n", "sources[0]", "has no URL"),
        ("sources:\n  - feeds: [https://a.example/f]\n", "sources[0].name", "missing or invalid name"),
        ("sources:\n  - name: a\n    feeds: [ftp://a.example/f]\n", "sources[0].feeds[0]", "not an http(s) URL"),
        ("sources:\n  - name: a\n    feeds: ['https:///nohost']\n", "sources[0].feeds[0]", "has no host"),
        ("sources:\n  - name: a\n    feeds: ['http://a.example:99999/']\n", "sources[0].feeds[0]", "bad port"),
        ("languages: [en, xx]\nsources:\n  - name: a\n    feeds: [https://a.example/f]\n", "languages[1]", "unknown language"),
        (
            "sources:\n  - name: a\n    feeds: [https://a.example/f]\n  - name: a\n    feeds: [https://b.example/f]\n",
            "sources[1].name",
            "duplicate",
        ),
        ("sources:\n  - name: a\n    start_urls: [https://a.example/]\n    link_depth: -1\n", "sources[0].link_depth", ">= 0"),
    ],
)  # fmt: skip
def test_mistakes_name_file_key_and_problem(tmp_path: Path, text: str, key: str, problem: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_sources(path)
    err = info.value
    assert err.path == str(path)
    assert err.key.startswith(key)
    assert problem in err.problem
    assert str(path) in str(err) and key in str(err)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="file not found"):
        load_sources(tmp_path / "nope.yaml")
