"""Meta-refresh redirects: the same decisions as Scrapy's middleware, without decoding pages that have none."""

import pytest
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

from newsharvest.metarefresh import HeadMetaRefreshMiddleware, may_declare_refresh

REFRESH = '<meta http-equiv="Refresh" content="0; url=https://n.example/new-home">'
FILLER = "<p>Städte, Straßen, 東京, 🙂 — " * 60 + "</p>"  # multi-byte characters before the tag


def _bodies() -> list[tuple[str, bytes]]:
    return [
        ("no refresh", f"<html><head><title>x</title></head><body>{FILLER}</body></html>".encode()),
        ("refresh in head", f"<html><head>{REFRESH}</head><body>{FILLER}</body></html>".encode()),
        ("refresh after multi-byte text", f"<html><body>{FILLER[:3000]}{REFRESH}</body></html>".encode()),
        ("refresh beyond what Scrapy reads", f"<html><body>{FILLER * 3}{REFRESH}</body></html>".encode()),
        ("refresh in a script", f"<html><head><script>var s='{REFRESH}';</script></head></html>".encode()),
        ("upper case", f"<HTML><HEAD>{REFRESH.upper()}</HEAD></HTML>".encode()),
        ("utf-16", f"<html><head>{REFRESH}</head><body>x</body></html>".encode("utf-16")),
    ]


@pytest.mark.parametrize(("name", "body"), _bodies())
def test_same_decision_as_scrapys_middleware(name: str, body: bytes) -> None:
    crawler = get_crawler()
    ours = HeadMetaRefreshMiddleware.from_crawler(crawler)
    scrapys = MetaRefreshMiddleware.from_crawler(crawler)
    encoding = "utf-16" if name == "utf-16" else "utf-8"
    request = Request("https://n.example/old")

    def run(middleware: MetaRefreshMiddleware) -> str:
        response = HtmlResponse(request.url, body=body, encoding=encoding, request=request)
        result = middleware.process_response(request, response)
        return result.url if isinstance(result, Request) else "response"

    assert run(ours) == run(scrapys), name


def test_pages_without_refresh_are_not_decoded() -> None:
    body = f"<html><head><title>x</title></head><body>{FILLER}</body></html>".encode()
    assert not may_declare_refresh(body)
    assert may_declare_refresh(f"<head>{REFRESH}</head>".encode())
    assert may_declare_refresh("<head>x</head>".encode("utf-16"))  # not ASCII-compatible: Scrapy decides
