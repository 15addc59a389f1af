"""Page links: the same URLs, in the same order, as Scrapy's LinkExtractor(unique=True)."""

from pathlib import Path

import pytest
from scrapy.http import HtmlResponse
from scrapy.linkextractors import LinkExtractor

from newsharvest.demo.sitegen import generate_site, loopback_base_urls
from newsharvest.links import LinkFinder

TRICKY = """<html><head><title>t</title>{base}</head><body>
<a href="/world/story-1">root-relative</a> <a href="story-2.html">relative</a> <a href="../up/story-3">up</a>
<a href="  /world/story-1  ">same with spaces</a> <a href="/world/story-1#comments">fragment</a>
<a href="https://n.example/x?b=2&a=1">query</a> <a href="https://n.example/x?a=1&b=2">same query, other order</a>
<a href="//cdn.n.example/lib">protocol-relative</a> <a href="http://other.example/é mot">non-ASCII, space</a>
<a href="mailto:desk@n.example">mail</a> <a href="javascript:void(0)">js</a> <a href="/files/report.PDF">pdf</a>
<a href="/img/photo.jpg">image</a> <a href="?page=2">query only</a> <a href="#top">anchor</a> <a>no href</a>
<a href="http://[bad">bogus</a> <area href="/map/area-1"> <a href="/world/../world/story-4">dots</a>
<a href="HTTPS://N.EXAMPLE/Caps">caps</a> <a href="ftp://files.n.example/x">ftp</a>
<a href="notes/a://b">relative path that contains "://"</a>
</body></html>"""


def _response(url: str, body: str, encoding: str = "utf-8") -> HtmlResponse:
    return HtmlResponse(url=url, body=body.encode(encoding), encoding=encoding)


def _scrapy(response: HtmlResponse) -> list[str]:
    return [link.url for link in LinkExtractor(unique=True).extract_links(response)]


@pytest.mark.parametrize("base", ["", '<base href="https://mirror.n.example/sub/dir/">'])
@pytest.mark.parametrize("page", ["https://n.example/world/index.html", "http://n.example:8080/a/b/"])
def test_same_links_as_scrapy_for_tricky_hrefs(page: str, base: str) -> None:
    finder = LinkFinder()
    response = _response(page, TRICKY.format(base=base))
    assert finder.links(response) == _scrapy(response)
    assert finder.links(response) == _scrapy(response)  # second time from the cache


def test_cache_keeps_pages_of_different_hosts_and_schemes_apart() -> None:
    finder = LinkFinder()
    body = TRICKY.format(base="")
    for page in (
        "https://a.example/x/",
        "https://b.example/x/",
        "http://a.example/y/z",
        "https://a.example/x/",
    ):
        response = _response(page, body)
        assert finder.links(response) == _scrapy(response), page


def test_same_links_as_scrapy_on_a_generated_news_site(tmp_path: Path) -> None:
    truth = generate_site(
        tmp_path, hosts=2, articles_per_host=12, min_page_kb=20, max_page_kb=30,
        base_urls=loopback_base_urls(2, 8099), seed=3,
    )  # fmt: skip
    finder = LinkFinder(cache_size=50)  # small: the cache is also cleared along the way
    pages = 0
    for host in truth.hosts:
        for path in sorted((tmp_path / host.dir).rglob("*.html"))[:40]:
            url = host.base_url + "/" + path.relative_to(tmp_path / host.dir).as_posix()
            response = _response(url, path.read_text(encoding="utf-8"))
            assert finder.links(response) == _scrapy(response), url
            pages += 1
    assert pages >= 60


def test_links_leave_no_reference_cycle_behind() -> None:
    """The parsed tree and decoded text go as soon as the links are read: a cycle (a response and its cached
    selector) would keep them, several times the page's size, until the garbage collector runs."""
    import gc

    from scrapy.http import HtmlResponse

    from newsharvest.links import LinkFinder

    body = "<html><body>" + "".join(f"<p><a href='/story/{i}'>Story {i}</a></p>" for i in range(200))
    response = HtmlResponse("https://news.example/section/", body=body.encode(), encoding="utf-8")
    finder = LinkFinder()
    finder.links(response)  # first use: caches and imports
    while gc.collect():  # what earlier tests left, and what their weakref callbacks leave in turn
        pass
    gc.set_debug(gc.DEBUG_SAVEALL)  # what the collector finds is kept in gc.garbage instead of freed
    try:
        found = finder.links(response)
        gc.collect()
        left = {type(o).__name__ for o in gc.garbage}
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    assert len(found) == 200
    assert not left & {"HtmlResponse", "Selector", "_Document", "HtmlElement"}, left
    assert getattr(response, "_cached_ubody", None) is None  # the response itself was not decoded
