"""URL canonicalisation: each variant layer, the declared-canonical sanity checks, and url_key."""

from __future__ import annotations

import pytest

from pipelines.urls import article_id_for, canonicalize, declared_problem, url_key

BASE = "https://www.example.com/news/2024/05/big-story"


@pytest.mark.parametrize(
    ("url", "rule"),
    [
        (BASE + "?utm_source=tw&utm_medium=social&utm_campaign=x", "tracking"),
        (BASE + "?fbclid=abc&gclid=def&mc_cid=1&mc_eid=2", "tracking"),
        (BASE + "#comments", "url"),
        ("HTTPS://WWW.EXAMPLE.COM:443/news/2024/05/big-story", "url"),
        (BASE + "/amp", "amp"),
        ("https://www.example.com/amp/news/2024/05/big-story", "amp"),
        (BASE + "?amp=1", "amp"),
        (BASE + "?amp", "amp"),
        (BASE + "?outputType=amp", "amp"),
        ("https://amp.example.com/news/2024/05/big-story", "amp"),
        ("https://www-example-com.cdn.ampproject.org/c/s/www.example.com/news/2024/05/big-story", "amp"),
        ("https://m.example.com/news/2024/05/big-story", "mobile"),
        (BASE + "?print=1", "print"),
        (BASE + "/print", "print"),
        ("https://www.example.com/print/news/2024/05/big-story", "print"),
        (BASE + "?amp=1&utm_source=x", "amp"),
    ],
)
def test_variants_map_to_one_canonical(url: str, rule: str) -> None:
    assert canonicalize(url) == (BASE, rule)


def test_meaningful_query_is_kept_and_sorted() -> None:
    canonical, rule = canonicalize("https://www.example.com/article.php?id=42&cat=7&utm_source=x")
    assert canonical == "https://www.example.com/article.php?cat=7&id=42"
    assert rule == "tracking"


def test_output_rss_is_not_an_amp_variant() -> None:
    assert canonicalize(BASE + "?output=rss")[0] == BASE + "?output=rss"


def test_canonicalize_is_idempotent() -> None:
    for url in (
        BASE + "/amp/?utm_source=x",
        "https://m.example.co.uk/a/b?print=1",
        "http://example.com:80/a/",
    ):
        canonical, _ = canonicalize(url)
        assert canonicalize(canonical)[0] == canonical


def test_declared_same_site_wins() -> None:
    assert canonicalize("https://www.example.com/x/amp/123", declared=BASE) == (BASE, "declared")
    assert canonicalize("https://m.example.com/123", declared="/news/2024/05/big-story") == (BASE, "declared")
    # a declared URL is canonicalised too
    assert canonicalize("https://www.example.com/123", declared=BASE + "?utm_source=x") == (BASE, "declared")


@pytest.mark.parametrize(
    ("declared", "problem"),
    [
        ("https://www.example.com/", "home page"),
        ("https://www.example.com/news/", "section page (a parent of the page's path)"),
        ("https://www.example.com/tag/politics/", "section/tag page"),
        ("https://www.other.org/news/2024/05/big-story", "other site"),
        ("ftp://www.example.com/news/2024/05/big-story", "not http(s)"),
        (BASE + "?page=2", "pagination differs"),
    ],
)
def test_insane_declared_is_ignored(declared: str, problem: str) -> None:
    url = BASE + "?utm_source=x"
    assert canonicalize(url, declared=declared) == (BASE, "tracking")
    assert declared_problem(BASE, canonicalize(declared)[0] if "://" in declared else declared) == problem


def test_page_two_does_not_take_page_one_as_canonical() -> None:
    assert canonicalize(BASE + "?page=2", declared=BASE)[0] == BASE + "?page=2"


def test_subdomain_of_same_registered_domain_is_same_site() -> None:
    declared = "https://news.example.com/2024/05/big-story"
    assert canonicalize(BASE, declared=declared) == (declared, "declared")


def test_url_key_forgets_scheme_www_and_trailing_slash() -> None:
    keys = {
        url_key(u) for u in ("http://www.example.com/a/", "https://example.com/a", "https://EXAMPLE.com/a#x")
    }
    assert keys == {"example.com/a"}
    assert article_id_for("https://example.com/a?utm_source=z") == article_id_for("http://www.example.com/a/")
    assert len(article_id_for(BASE)) == 16
    assert article_id_for(BASE) != article_id_for(BASE + "-2")


def test_non_http_is_left_alone() -> None:
    assert canonicalize("mailto:desk@example.com") == ("mailto:desk@example.com", "url")
