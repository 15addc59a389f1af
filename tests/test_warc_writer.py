"""The WARC writer: readable by warcio, request+response pairs, honest headers, atomic rotation, no crash."""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import hashlib
from pathlib import Path

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler
from warcio.archiveiterator import ArchiveIterator

from newsharvest.warc import (
    HINTED_PUBLISHED_HEADER,
    SOURCE_HEADER,
    Exchange,
    RotatingWarcWriter,
    WarcRecorder,
    recordable_headers,
)

HTML = b"<html><head><title>T</title></head><body><p>" + b"word " * 200 + b"</p></body></html>"


def sha1_b32(data: bytes) -> str:
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode()


def records(path: Path) -> list:
    out = []
    with open(path, "rb") as fh:
        for record in ArchiveIterator(fh):
            out.append(
                (record.rec_type, record.rec_headers, record.http_headers, record.content_stream().read())
            )
    return out


def exchange(i: int, **kw: object) -> Exchange:
    values: dict = {
        "url": f"http://127.0.0.1:8000/a/{i}?x=1",
        "status": 200,
        "response_headers": [("Content-Type", "text/html; charset=utf-8")],
        "body": HTML,
        "request_headers": [("User-Agent", "test"), ("Accept", "text/html")],
    }
    values.update(kw)
    return Exchange(**values)


def test_pairs_warcinfo_digests_and_rotation(tmp_path: Path) -> None:
    writer = RotatingWarcWriter(tmp_path, run_id="r1", max_bytes=1500, info={"software": "test"})
    for i in range(5):
        assert writer.write(exchange(i, extra={SOURCE_HEADER: "demo"}))
    writer.close()
    files = sorted(tmp_path.glob("*.warc.gz"))
    assert len(files) >= 2 and files == writer.files_written  # name order is write order
    assert not list(tmp_path.glob(".*"))  # no temporary left
    assert len({f.name for f in files}) == len(files) and all("-r1-" in f.name for f in files)
    seen = 0
    for path in files:
        recs = records(path)
        assert recs[0][0] == "warcinfo"
        assert recs[0][1]["WARC-Filename"] == path.name
        pairs = recs[1:]
        assert [r[0] for r in pairs] == ["request", "response"] * (len(pairs) // 2)
        for req, resp in zip(pairs[::2], pairs[1::2], strict=True):
            assert req[1]["WARC-Concurrent-To"] == resp[1]["WARC-Record-ID"]
            assert req[1]["WARC-Target-URI"] == resp[1]["WARC-Target-URI"]
            assert req[2].protocol == "GET" and req[2].statusline.startswith("/a/")
            assert req[2]["User-Agent"] == "test" and req[2]["Host"] == "127.0.0.1:8000"
            assert resp[2].get_statuscode() == "200"
            assert resp[3] == HTML
            assert resp[1]["WARC-Payload-Digest"] == sha1_b32(HTML)
            assert resp[1][SOURCE_HEADER] == "demo"
            seen += 1
    assert seen == 5


def test_encoded_payload_is_kept_with_its_header_and_transfer_encoding_is_renamed(tmp_path: Path) -> None:
    compressed = gzip.compress(HTML)
    headers = [("Content-Encoding", "gzip"), ("Transfer-Encoding", "chunked"), ("Content-Type", "text/html")]
    writer = RotatingWarcWriter(tmp_path)
    writer.write(exchange(1, response_headers=headers, body=compressed))
    writer.close()
    _, rec, http, payload = records(writer.files_written[0])[2]
    assert payload == HTML  # warcio decodes the recorded Content-Encoding
    assert http["Content-Encoding"] == "gzip" and http["Transfer-Encoding"] is None
    assert http["X-Crawler-Transfer-Encoding"] == "chunked"
    assert rec["WARC-Payload-Digest"] == sha1_b32(compressed)


def test_decoded_payload_gets_a_matching_content_length() -> None:
    out = recordable_headers([("Content-Length", "10"), ("Content-Type", "text/html")], 250)
    assert ("X-Crawler-Content-Length", "10") in out and ("Content-Length", "250") in out
    assert recordable_headers([("Content-Length", "250")], 250) == [("Content-Length", "250")]


def test_write_errors_are_logged_not_raised_and_the_file_stays_readable(tmp_path: Path, caplog) -> None:
    writer = RotatingWarcWriter(tmp_path)
    assert writer.write(exchange(1))
    real = writer._fh
    assert real is not None

    class Failing:
        def __getattr__(self, name: str) -> object:
            return getattr(real, name)

        def write(self, data: bytes) -> int:
            real.write(data[: len(data) // 2])
            raise OSError(28, "No space left on device")

    writer._fh = Failing()  # type: ignore[assignment]
    assert writer.write(exchange(2)) is False
    writer._fh = real
    assert writer.write(exchange(3))
    writer.close()
    assert writer.errors == 1 and "No space left" in caplog.text
    urls = [r[1]["WARC-Target-URI"] for r in records(writer.files_written[0]) if r[0] == "response"]
    assert urls == [exchange(1).url, exchange(3).url]


def test_middleware_records_scrapy_exchanges_and_finalises_on_close(tmp_path: Path) -> None:
    settings = {
        "NEWSHARVEST_OUTPUT": str(tmp_path),
        "NEWSHARVEST_WARC": True,
        "NEWSHARVEST_WARC_MAX_BYTES": 10**9,
    }
    with pytest.raises(NotConfigured):
        WarcRecorder.from_crawler(get_crawler(settings_dict={**settings, "NEWSHARVEST_WARC": False}))
    crawler = get_crawler(settings_dict=settings)
    recorder = WarcRecorder.from_crawler(crawler)
    published = dt.datetime(2026, 1, 2, 3, 4, tzinfo=dt.UTC)
    request = Request(
        "http://127.0.0.1:1/news/x", headers={"User-Agent": "nh"},
        meta={"nh_source": "demo", "nh_via": "feed", "nh_published": published, "nh_title": "A\ntitle"},
    )  # fmt: skip
    response = HtmlResponse(request.url, body=HTML, headers={"Content-Type": "text/html"}, request=request)
    assert recorder.process_response(request, response) is response
    cached = HtmlResponse(request.url, body=HTML, request=request, flags=["cached"])
    recorder.process_response(request, cached)
    assert not list((tmp_path / "warc").glob("*.warc.gz"))  # not visible before it is complete
    recorder.spider_closed()
    (path,) = (tmp_path / "warc").glob("*.warc.gz")
    recs = records(path)
    assert [r[0] for r in recs] == ["warcinfo", "request", "response"]
    assert recs[1][2]["User-Agent"] == "nh"
    assert recs[2][1][SOURCE_HEADER] == "demo"
    assert recs[2][1][HINTED_PUBLISHED_HEADER] == published.isoformat()
    assert recs[2][1]["WARC-Newsharvest-Hinted-Title"] == "A title"
    assert b"software: newsharvest/" in recs[0][3]
