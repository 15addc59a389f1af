"""Reading WARC files into Pages: ours and foreign ones, and every kind of bad input without a crash."""

from __future__ import annotations

import datetime as dt
import gzip
import io
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsharvest.warc import HINTED_PUBLISHED_HEADER, SOURCE_HEADER, VIA_HEADER, Exchange, RotatingWarcWriter
from pipelines.records import Dropped, Page, Reason
from pipelines.warc_input import NotAWarcError, WarcPageReader, expand_inputs, page_encoding

HTML = "<html><head><title>Grüße</title></head><body><p>" + "Wort " * 100 + "</p></body></html>"


def response(
    writer: WARCWriter, url: str, body: bytes, *, status: str = "200 OK", headers: list | None = None,
    record_type: str = "response", date: str = "2026-03-04T05:06:07Z",
) -> None:  # fmt: skip
    http = StatusAndHeaders(status, headers or [("Content-Type", "text/html")], protocol="HTTP/1.1")
    record = writer.create_warc_record(
        url, record_type, payload=io.BytesIO(body), length=len(body), http_headers=http,
        warc_headers_dict={"WARC-Date": date},
    )  # fmt: skip
    writer.write_record(record)


def foreign_warc(path: Path, *, gzipped: bool = True, n_pages: int = 3) -> Path:
    """A CC-NEWS-like WARC with every kind of record the reader must cope with."""
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=gzipped)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "test"}))
        feed = (
            b'<?xml version="1.0"?><rss version="2.0"><channel><title>F</title><item><title>Hinted</title>'
            b"<link>https://news.example/a/0</link><pubDate>Mon, 02 Mar 2026 10:00:00 GMT</pubDate></item>"
            b"</channel></rss>"
        )
        response(
            writer, "https://news.example/feed.xml", feed, headers=[("Content-Type", "application/rss+xml")]
        )
        for i in range(n_pages):
            request = writer.create_warc_record(
                f"https://news.example/a/{i}", "request",
                http_headers=StatusAndHeaders(f"GET /a/{i} HTTP/1.1", [("Host", "news.example")], is_http_request=True),
            )  # fmt: skip
            writer.write_record(request)
            response(
                writer, f"https://news.example/a/{i}", HTML.encode("iso-8859-1"),
                headers=[("Content-Type", "text/html; charset=ISO-8859-1")],
            )  # fmt: skip
        response(writer, "https://news.example/logo.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 100,
                 headers=[("Content-Type", "image/png")])  # fmt: skip
        response(writer, "https://news.example/gone", b"<html>404</html>", status="404 Not Found")
        response(writer, "https://news.example/old", b"", status="301 Moved",
                 headers=[("Location", "/a/1")])  # fmt: skip
        response(writer, "https://news.example/gz", gzip.compress(HTML.encode()),
                 headers=[("Content-Type", "text/html; charset=utf-8"), ("Content-Encoding", "gzip")])  # fmt: skip
        revisit = writer.create_revisit_record(
            "https://news.example/a/0", "sha1:AAAA", "https://news.example/a/0", "2026-03-01T00:00:00Z"
        )
        writer.write_record(revisit)
        writer.write_record(
            writer.create_warc_record("https://news.example/a/0", "metadata", payload=io.BytesIO(b"x: y\r\n"),
                                      length=6, warc_content_type="application/warc-fields")
        )  # fmt: skip
    return path


def read(path: Path, **kw: object) -> tuple[list, WarcPageReader]:
    reader = WarcPageReader(**kw)  # type: ignore[arg-type]
    return list(reader.read([path])), reader


def test_foreign_warc_pages_and_skip_counts(tmp_path: Path) -> None:
    items, reader = read(foreign_warc(tmp_path / "cc.warc.gz"))
    pages = [i for i in items if isinstance(i, Page)]
    assert [p.url for p in pages] == [f"https://news.example/a/{i}" for i in range(3)] + [
        "https://news.example/gz"
    ]
    first = pages[0]
    assert first.source == "news.example" and first.encoding == "cp1252" and first.status == 200
    assert first.body.decode(first.encoding) == HTML
    assert first.fetched_at == dt.datetime(2026, 3, 4, 5, 6, 7, tzinfo=dt.UTC)
    assert first.hinted_published == dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC)  # learnt from the feed
    assert first.hinted_title == "Hinted" and pages[1].hinted_published is None
    assert pages[-1].body == HTML.encode()  # Content-Encoding decoded
    (dropped,) = [i for i in items if isinstance(i, Dropped)]
    assert dropped.reason == Reason.HTTP_ERROR and dropped.status == 404
    skipped = reader.stats.skipped
    assert skipped["revisit"] == 1 and skipped["redirect"] == 1 and skipped["not_html"] == 2  # feed, png
    assert skipped["not_response"] == 5  # warcinfo, 3 requests, metadata
    assert not reader.stats.bad_files


def test_uncompressed_and_whole_file_gzip_warcs(tmp_path: Path) -> None:
    plain = foreign_warc(tmp_path / "cc.warc", gzipped=False)
    whole = tmp_path / "whole.warc.gz"
    whole.write_bytes(gzip.compress(plain.read_bytes()))
    for path in (plain, whole):
        items, reader = read(path, source="cc")
        assert len([i for i in items if isinstance(i, Page)]) == 4, path
        assert {i.source for i in items} == {"cc"}
        assert not reader.stats.skipped["corrupt"] and reader.stats.skipped["revisit"] == 1


def test_truncated_corrupt_and_garbage_are_skipped_and_counted(tmp_path: Path) -> None:
    good = foreign_warc(tmp_path / "good.warc.gz", n_pages=12).read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(good[: len(good) // 2])
    items, reader = read(cut)
    assert 0 < len(items) < 13 and reader.stats.skipped["truncated"] + reader.stats.skipped["corrupt"] >= 1

    garbage = tmp_path / "garbage.warc.gz"
    garbage.write_bytes(good + b"this is not a warc record\r\n" * 50 + bytes(range(256)) * 20)
    items, reader = read(garbage)
    assert len([i for i in items if isinstance(i, Page)]) == 13 and reader.stats.skipped["corrupt"] == 1

    # Damage one gzip member in the middle: the records after it are still read.
    middle = len(good) // 2
    damaged = tmp_path / "damaged.warc.gz"
    damaged.write_bytes(good[:middle] + b"\xff" * 200 + good[middle + 200 :])
    items, reader = read(damaged)
    urls = {i.url for i in items}
    assert "https://news.example/gz" in urls and len(urls) >= 10
    assert reader.stats.skipped["corrupt"] + reader.stats.skipped["truncated"] >= 1


def test_not_a_warc_is_reported_and_the_other_inputs_continue(tmp_path: Path) -> None:
    text = tmp_path / "notes.warc.gz"
    text.write_text("hello, I am not a WARC\n" * 10)
    empty_gz = tmp_path / "random.warc"
    empty_gz.write_bytes(gzip.compress(b"\x00\x01 random"))
    good = foreign_warc(tmp_path / "good.warc.gz")
    reader = WarcPageReader()
    with pytest.raises(NotAWarcError):
        list(reader.read_file(text))
    items = list(reader.read([text, empty_gz, tmp_path / "missing.warc", good]))
    assert len([i for i in items if isinstance(i, Page)]) == 4
    assert [Path(p).name for p, _ in reader.stats.bad_files] == [
        "notes.warc.gz",
        "random.warc",
        "missing.warc",
    ]


def test_huge_payloads_are_dropped_as_too_large_without_reading_them_whole(tmp_path: Path) -> None:
    path = tmp_path / "big.warc.gz"
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        response(writer, "https://news.example/big", b"<html>" + b"x" * 50_000 + b"</html>")
        response(writer, "https://news.example/small", HTML.encode())
    items, reader = read(path, max_page_bytes=10_000)
    assert [type(i).__name__ for i in items] == ["Dropped", "Page"]
    assert items[0].reason == Reason.TOO_LARGE and reader.stats.skipped["too_large"] == 1


def test_our_warc_headers_give_source_and_crawl_hints(tmp_path: Path) -> None:
    published = dt.datetime(2026, 5, 6, 7, 8, tzinfo=dt.UTC)
    writer = RotatingWarcWriter(tmp_path / "warc", run_id="r")
    writer.write(Exchange(
        url="http://127.0.0.1:9/a", status=200, response_headers=[("Content-Type", "text/html")], body=HTML.encode(),
        extra={SOURCE_HEADER: "demo-en", VIA_HEADER: "sitemap", HINTED_PUBLISHED_HEADER: published.isoformat()},
    ))  # fmt: skip
    writer.close()
    (tmp_path / "warc" / ".newsharvest-unfinished.warc.gz.tmp").write_bytes(b"partial")
    paths = expand_inputs([tmp_path / "warc"])
    assert paths == writer.files_written
    items, reader = read(paths[0])
    (page,) = items
    assert (page.source, page.discovered_via, page.hinted_published) == ("demo-en", "sitemap", published)
    assert page.encoding == "utf-8"  # undeclared: inferred as Scrapy does
    assert reader.stats.skipped["not_response"] == 2  # warcinfo, request


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("text/html; charset=latin-1", b"x"),
        ("text/html", b'<meta charset="koi8-r"><p>x'),
        ("text/html", b"\xef\xbb\xbfabc"),
        ("text/html", b"plain ascii"),
        ("text/html", "Grüße aus Köln".encode()),
        ("", "Grüße aus Köln, schöne Straße".encode("cp1252")),
    ],
)
def test_page_encoding_is_the_one_scrapy_gives(content_type: str, body: bytes) -> None:
    from scrapy.http import HtmlResponse

    headers = {"Content-Type": content_type} if content_type else {}
    assert page_encoding(content_type, body) == HtmlResponse("http://x/", body=body, headers=headers).encoding


def test_a_file_cut_anywhere_yields_only_whole_pages_and_counts_the_cut(tmp_path: Path) -> None:
    data = foreign_warc(tmp_path / "good.warc.gz", n_pages=6).read_bytes()
    cut, cuts = tmp_path / "cut.warc.gz", 0
    for end in range(200, len(data), max(1, len(data) // 40)):
        cut.write_bytes(data[:end])
        reader = WarcPageReader()
        items = list(reader.read([cut]))
        assert all(i.body in (HTML.encode("iso-8859-1"), HTML.encode()) for i in items if isinstance(i, Page))
        damaged = reader.stats.skipped["truncated"] + reader.stats.skipped["corrupt"]
        assert damaged <= 1, end  # one cut, counted once (zero when it falls between two records)
        cuts += damaged
    assert cuts >= 30
