"""Scrapy's ``<meta http-equiv="refresh">`` redirects, without decoding every page to look for one.

Scrapy's ``MetaRefreshMiddleware`` reads ``response.text[0:4096]``: the whole body is decoded to get its
first 4,096 characters, and the decoded copy stays cached on the response for as long as the response
lives (a queued news page then costs its bytes plus up to four times as much again in text; with the
pages waiting for the extraction workers that was ~40 MB of the crawl process at a time). A refresh
declaration contains the ASCII word "refresh"; when the bytes Scrapy would read do not, the response is
passed on untouched, and otherwise Scrapy's middleware decides, exactly as before.
"""

from __future__ import annotations

from typing import Any

from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware
from scrapy.http import HtmlResponse, Request, Response

#: Scrapy reads the first 4,096 characters; in an ASCII-compatible encoding a character is at most 4 bytes.
HEAD_BYTES = 4096 * 4


def may_declare_refresh(body: bytes) -> bool:
    """False only when the part of ``body`` Scrapy reads certainly has no refresh declaration.

    NUL bytes mean UTF-16/32, where "refresh" is not spelt in ASCII bytes: then Scrapy's check runs."""
    head = body[:HEAD_BYTES]
    return b"\x00" in head or b"refresh" in head.lower()


class HeadMetaRefreshMiddleware(MetaRefreshMiddleware):
    """``MetaRefreshMiddleware`` that skips pages whose first bytes cannot declare a refresh."""

    def process_response(
        self, request: Request, response: Response, spider: Any = None
    ) -> Request | Response:
        if isinstance(response, HtmlResponse) and not may_declare_refresh(response.body):
            return response
        return super().process_response(request, response)
