"""Tests of the demo site generator and its loopback server (newsharvest.demo), not of the crawler."""

from __future__ import annotations

import html
import json
import re
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

import pytest

from newsharvest.demo import DemoServer, SiteTruth, demo_site, generate_site, serve
from newsharvest.demo.sitegen import LONG_QUOTE

OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, SiteTruth, DemoServer]]:
    root = tmp_path_factory.mktemp("demo")
    with demo_site(root, slow_seconds=0.2) as (truth, server):
        yield root, truth, server


def local_file(root: Path, truth: SiteTruth, url: str) -> Path:
    """The generated file behind a URL (query strings of URL variants are ignored here)."""
    for host in truth.hosts:
        if url.startswith(host.base_url):
            path = url[len(host.base_url) :].split("?")[0]
            return root / host.dir / (path.lstrip("/") + ("index.html" if path.endswith("/") else ""))
    raise AssertionError(url)


def visible(page: str) -> str:
    """Page text as a reader sees it: tags and scripts dropped, entities decoded, whitespace collapsed."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def fetch(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with OPENER.open(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def tree(root: Path) -> dict[str, tuple[bytes, int]]:
    return {
        str(p.relative_to(root)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != "truth.json"
    }


# ------------------------------------------------------------------------------------------ generation
def test_same_seed_gives_byte_identical_site(tmp_path: Path) -> None:
    first = generate_site(tmp_path / "a", port=8123)
    second = generate_site(tmp_path / "b", port=8123)
    assert tree(tmp_path / "a") == tree(tmp_path / "b")
    assert (tmp_path / "a" / "truth.json").read_bytes() == (tmp_path / "b" / "truth.json").read_bytes()
    assert first == second
    other = generate_site(tmp_path / "c", port=8123, seed=8)
    assert other.articles()[0].text != first.articles()[0].text


def test_truth_round_trips_through_json(site: tuple[Path, SiteTruth, DemoServer]) -> None:
    root, truth, _ = site
    assert SiteTruth.load(root) == truth
    assert json.loads((root / "truth.json").read_text())["hosts"][0]["name"] == "The Daily Meridian"


def test_small_site_size_and_languages(site: tuple[Path, SiteTruth, DemoServer]) -> None:
    _, truth, _ = site
    articles = truth.articles()
    assert 30 <= len(articles) <= 60
    assert len({a.host for a in articles if a.expected == "written"}) == 3
    assert {a.language for a in articles} >= {"en", "de", "fr"}
    assert len({a.authors[0] for a in articles}) >= 8
    for article in articles:
        assert len(article.text.split()) >= 250, article.url
        assert article.published < article.modified


def test_article_text_and_boilerplate_are_in_the_page(site: tuple[Path, SiteTruth, DemoServer]) -> None:
    root, truth, _ = site
    for page in [p for p in truth.pages if p.kind in ("article", "article_variant")]:
        source = local_file(root, truth, page.url)
        if "print=1" in page.url:
            source = source.with_name("index.print.html")
        text = visible(source.read_text(encoding="utf-8"))
        for paragraph in page.text.split("\n\n"):
            assert " ".join(paragraph.split()) in text, (page.url, paragraph)
        assert page.boilerplate, page.url
        for snippet in page.boilerplate:
            assert " ".join(snippet.split()) in text, (page.url, snippet)
            assert snippet not in page.text


def test_article_metadata(site: tuple[Path, SiteTruth, DemoServer]) -> None:
    root, truth, _ = site
    host_names = {h.slug: h.name for h in truth.hosts}
    for article in truth.articles():
        page = local_file(root, truth, article.url).read_text(encoding="utf-8")
        assert (
            f"<title>{html.escape(article.title, quote=False)} | {host_names[article.host]}</title>" in page
        )
        assert f'<link rel="canonical" href="{article.url}">' in page
        assert '<meta property="og:type" content="article">' in page
        ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page).group(1))
        assert ld["@type"] == "NewsArticle" and ld["headline"] == article.title
        assert [a["name"] for a in ld["author"]] == article.authors
        assert ld["datePublished"] == article.published < ld["dateModified"] == article.modified
        assert f'content="{article.published}"' in page


def test_paragraphs_are_unique_except_planned_overlaps(site: tuple[Path, SiteTruth, DemoServer]) -> None:
    _, truth, _ = site
    owners: dict[str, list[str]] = {}
    for article in truth.articles():
        if article.duplicate_of:
            continue
        for paragraph in article.text.split("\n\n")[1:]:
            if len(paragraph.split()) > 8:
                owners.setdefault(paragraph, []).append(article.url)
    shared = {p: urls for p, urls in owners.items() if len(urls) > 1}
    assert set(shared) == {LONG_QUOTE}
    assert len({a.title for a in truth.articles()}) == len(truth.articles())


def test_planned_special_cases(site: tuple[Path, SiteTruth, DemoServer]) -> None:
    _, truth, _ = site
    roles = Counter(p.role for p in truth.articles())
    for role in ("wire", "wire_copy", "variants", "event_a", "event_b", "quote_a", "quote_b", "foreign_de"):
        assert roles[role] >= 1, role
    for copy in [a for a in truth.articles() if a.role == "wire_copy"]:
        original = truth.page(copy.duplicate_of)
        assert copy.host != original.host and copy.title != original.title and copy.expected == "duplicate"
        assert abs(len(copy.text.split("\n\n")) - len(original.text.split("\n\n"))) == 1
    event_a, event_b = (next(a for a in truth.articles() if a.role == r) for r in ("event_a", "event_b"))
    assert event_a.host != event_b.host and event_a.tags[-1] == event_b.tags[-1]
    assert {event_a.expected, event_b.expected} == {"written"}
    variants = [p for p in truth.pages if p.kind == "article_variant"]
    shapes = {"utm" if "utm_source=" in v.url else "print" if "print=1" in v.url else "amp" for v in variants}
    assert shapes == {"utm", "print", "amp"}
    assert all(v.url.endswith("/amp/") for v in variants if "?" not in v.url)
    assert all(v.duplicate_of and v.expected == "duplicate" for v in variants)
    assert next(a for a in truth.articles() if a.role == "foreign_de").expected == "language"
    kinds = Counter(p.kind for p in truth.pages)
    for kind in (
        "section",
        "tag",
        "author",
        "about",
        "contact",
        "search",
        "feed",
        "sitemap",
        "robots",
        "file",
    ):
        assert kinds[kind] >= 1, kind
    assert kinds["broken"] == kinds["empty"] == 1
    assert truth.broken_feeds and truth.broken_sitemaps
    assert any(u.startswith("https://example.org/") for u in truth.never_fetch)
    assert any(u.endswith("/private/staff-directory/") for u in truth.never_fetch)


def _links(page: str) -> set[str]:
    return {html.unescape(u) for u in re.findall(r'<a [^>]*href="([^"]+)"', page)}


def test_every_article_is_reachable_by_its_planned_routes(site: tuple[Path, SiteTruth, DemoServer]) -> None:
    root, truth, _ = site
    html_links: set[str] = set()
    for page in truth.pages:
        if page.kind in ("home", "section", "tag", "author", "search", "article"):
            html_links |= _links(local_file(root, truth, page.url).read_text(encoding="utf-8"))
    feed_links: set[str] = set()
    sitemap_links: set[str] = set()
    for host in truth.hosts:
        base = root / host.dir
        feed_links |= {e.text for e in ElementTree.parse(base / "feed.xml").iter("link")}
        atom = {
            e.get("href")
            for e in ElementTree.parse(base / "atom.xml").iter("{http://www.w3.org/2005/Atom}link")
        }
        feed_links |= atom
        for name in ("sitemap-articles.xml", "sitemap-news.xml"):
            sitemap_links |= {e.text for e in ElementTree.parse(base / name).iter(f"{SM}loc")}
        index = ElementTree.parse(base / "sitemap.xml").getroot()
        assert index.tag == f"{SM}sitemapindex"
        assert "Sitemap: " + host.sitemap in (base / "robots.txt").read_text()
    routes = {"html": html_links, "feed": feed_links, "sitemap": sitemap_links}
    for article in truth.articles():
        found = {name for name, links in routes.items() if article.url in links}
        assert found == set(article.discovery), (article.url, article.role, found)
    for only in ("feed_only", "sitemap_only", "section_only"):
        assert any(a.role == only and len(a.discovery) == 1 for a in truth.articles()), only


# ---------------------------------------------------------------------------------------------- server
def test_hosts_are_served_on_distinct_loopback_addresses(site: tuple[Path, SiteTruth, DemoServer]) -> None:
    _, truth, _ = site
    addresses = {h.base_url.split("//")[1].split(":")[0] for h in truth.hosts}
    assert addresses == {"127.0.0.1", "127.0.0.2", "127.0.0.3"}
    assert len({h.base_url.rsplit(":", 1)[1] for h in truth.hosts}) == 1
    for host in truth.hosts:
        status, headers, body = fetch(host.base_url + "/")
        assert status == 200 and headers["Content-Type"].startswith("text/html")
        assert host.name.encode() in body
    status, headers, _ = fetch(truth.hosts[0].feeds[0])
    assert status == 200 and headers["Content-Type"].startswith("application/rss+xml")
    status, headers, _ = fetch(truth.hosts[0].robots)
    assert status == 200 and headers["Content-Type"].startswith("text/plain")


def test_conditional_requests_get_304(site: tuple[Path, SiteTruth, DemoServer]) -> None:
    _, truth, _ = site
    url = truth.articles()[0].url
    status, headers, body = fetch(url)
    assert status == 200 and body and headers["ETag"] and headers["Last-Modified"]
    assert fetch(url, **{"If-None-Match": headers["ETag"]})[0] == 304
    assert fetch(url, **{"If-None-Match": '"stale"'})[0] == 200
    assert fetch(url, **{"If-Modified-Since": headers["Last-Modified"]})[0] == 304
    assert fetch(url, **{"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"})[0] == 200


def test_url_variants_are_served(site: tuple[Path, SiteTruth, DemoServer]) -> None:
    _, truth, _ = site
    variants = {v.url: v for v in truth.pages if v.kind == "article_variant"}
    for url, variant in variants.items():
        status, _, body = fetch(url)
        assert status == 200
        assert f'<link rel="canonical" href="{variant.duplicate_of}">'.encode() in body
    printed = next(u for u in variants if u.endswith("?print=1"))
    assert fetch(printed)[2] != fetch(printed.split("?")[0])[2]


def test_error_routes(site: tuple[Path, SiteTruth, DemoServer]) -> None:
    _, truth, _ = site
    base = truth.hosts[1].base_url
    assert fetch(base + "/_err/404")[0] == 404
    assert fetch(base + "/no/such/page/")[0] == 404
    assert fetch(base + "/_err/500")[0] == 500
    with pytest.raises(urllib.error.HTTPError, match="redirect"):
        OPENER.open(base + "/_err/loop", timeout=5)
    status, headers, body = fetch(base + "/_err/binary")
    assert status == 200 and headers["Content-Type"].startswith("text/html") and len(body) == 65536
    assert fetch(base + "/_err/empty")[2] == b""
    status, _, body = fetch(base + "/_err/wrong-charset")
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    status, headers, body = fetch(base + "/_err/huge?mb=1")
    assert len(body) == int(headers["Content-Length"]) == 1024 * 1024
    assert fetch(base + "/_err/slow?s=0.1")[0] == 200
    status, headers, _ = fetch(base + "/about")
    assert status == 200  # urllib followed the 301 to /about/


def test_request_log_records_what_was_fetched(tmp_path: Path) -> None:
    with demo_site(tmp_path, hosts=1, articles_per_host=15) as (truth, server):
        fetch(truth.hosts[0].robots)
        fetch(truth.hosts[0].base_url + "/_err/500")
        assert [(r.target, r.status) for r in server.requests] == [("/robots.txt", 200), ("/_err/500", 500)]
    generate_site(tmp_path / "again", port=8124, hosts=1)
    with serve(tmp_path / "again") as server:
        assert server.base_urls == ["http://127.0.0.1:8124"]


def test_pages_are_padded_to_the_requested_size(tmp_path: Path) -> None:
    generate_site(tmp_path, hosts=1, articles_per_host=15, min_page_kb=50, max_page_kb=60)
    sizes = [
        p.stat().st_size
        for p in tmp_path.rglob("*.html")
        if "council-meeting" not in str(p) and p.stat().st_size
    ]
    assert sizes and all(50 * 1024 <= s <= 60 * 1024 for s in sizes), (min(sizes), max(sizes))


def test_second_edition_adds_and_changes_articles_only(tmp_path: Path) -> None:
    one = generate_site(tmp_path / "e1", port=8125)
    two = generate_site(tmp_path / "e2", port=8125, edition=2)
    old, new = tree(tmp_path / "e1"), tree(tmp_path / "e2")
    assert set(old) <= set(new)
    added = [a for a in two.articles() if a.added_in_edition == 2]
    assert 1 <= len(added) <= 5 and not {a.url for a in added} & {a.url for a in one.articles()}
    changed = [a for a in two.articles() if a.modified_in_edition == 2]
    assert len(changed) == 1
    before = one.page(changed[0].url)
    assert len(changed[0].text.split("\n\n")) == len(before.text.split("\n\n")) + 1
    assert changed[0].modified > before.modified and changed[0].published == before.published
    differing = {rel for rel in old if old[rel] != new[rel]}
    article_files = {
        str(local_file(tmp_path / "e1", one, a.url).relative_to(tmp_path / "e1")) for a in one.articles()
    }
    assert differing & article_files == {
        str(local_file(tmp_path / "e1", one, changed[0].url).relative_to(tmp_path / "e1"))
    }
    assert not any(rel.startswith(truth_host.dir + "/") for rel in differing for truth_host in one.hosts[2:])
