"""A loopback web server for the generated demo sites: one address per host, one shared port.

Host i is served at ``http://127.0.0.(i+1):PORT`` (every 127.0.0.x routes to ``lo`` on Linux), so the crawler
sees several distinct hosts without DNS or /etc/hosts changes. It serves static files with real HTTP caching
behaviour (ETag / Last-Modified and 304s) and a set of error routes under ``/_err/`` on every host, so crawl
tests exercise timeouts, loops, binary junk and huge bodies without the internet.

    python -m newsharvest.demo.server --root /tmp/demo          # generate (if needed) and serve until Ctrl-C
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import random
import socket
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from email.utils import formatdate, parsedate_to_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

__all__ = ["DemoServer", "RequestLog", "demo_site", "free_port", "serve"]

MAX_SLOW_SECONDS = 60.0
HUGE_DEFAULT_MB = 20
HUGE_MAX_MB = 200
_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".json": "application/json",
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".gif": "image/gif",
}


def content_type(path: Path) -> str:
    """Content-Type by file name: RSS and Atom feeds get their own types, other XML application/xml."""
    if path.suffix == ".xml":
        if "atom" in path.name:
            return "application/atom+xml; charset=utf-8"
        if "feed" in path.name:
            return "application/rss+xml; charset=utf-8"
        return "application/xml; charset=utf-8"
    return _TYPES.get(path.suffix, "application/octet-stream")


@dataclass(frozen=True)
class RequestLog:
    """One request as the server saw it, so tests can check what the crawler fetched and what it did not."""

    base_url: str
    method: str
    target: str
    status: int

    @property
    def url(self) -> str:
        return self.base_url + self.target


@dataclass
class _State:
    """Shared by all handlers of one DemoServer: the ETag cache, the request log, the stop signal."""

    slow_seconds: float
    stop: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    etags: dict[tuple[str, int, int], str] = field(default_factory=dict)
    log: list[RequestLog] = field(default_factory=list)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    docroot: Path
    base_url: str
    state: _State

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Stay quiet when a client (e.g. a crawler timing out) hangs up mid-response."""
        exc = sys.exc_info()[1]
        if isinstance(exc, ConnectionError | TimeoutError):
            return
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    server_version = "newsharvest-demo/1.0"

    def log_message(self, format: str, *args: Any) -> None:
        """No per-request lines on stderr: crawls make thousands of requests."""

    # --------------------------------------------------------------------------------------- dispatch
    def do_GET(self) -> None:
        self._dispatch(head=False)

    def do_HEAD(self) -> None:
        self._dispatch(head=True)

    def _dispatch(self, *, head: bool) -> None:
        parts = urlsplit(self.path)
        query = parse_qs(parts.query)
        try:
            if parts.path.startswith("/_err/"):
                self._error_route(parts.path, query, head=head)
            else:
                self._static(unquote(parts.path), query, head=head)
        except (ConnectionError, TimeoutError):
            self.close_connection = True

    def _record(self, status: int) -> None:
        state = self.server.state
        with state.lock:
            state.log.append(RequestLog(self.server.base_url, self.command, self.path, status))

    def _send(
        self,
        status: int,
        body: bytes,
        ctype: str = "text/html; charset=utf-8",
        *,
        head: bool = False,
        **headers: str,
    ) -> None:
        self._record(status)
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        if not head and body:
            self.wfile.write(body)

    def _not_found(self, head: bool) -> None:
        self._send(
            HTTPStatus.NOT_FOUND,
            b"<!DOCTYPE html><html><body><h1>404 Not Found</h1></body></html>",
            head=head,
        )

    # ----------------------------------------------------------------------------------------- static
    def _resolve(self, path: str, query: dict[str, list[str]]) -> Path | str | None:
        """The file for a URL path, a redirect target (str) for a directory without slash, or None."""
        root = self.server.docroot
        target = (root / path.lstrip("/")).resolve()
        if target != root and root not in target.parents:
            return None
        if target.is_dir():
            if not path.endswith("/"):
                return path + "/"
            if query.get("print") == ["1"] and (target / "index.print.html").is_file():
                return target / "index.print.html"
            target = target / "index.html"
        return target if target.is_file() else None

    def _etag(self, path: Path, stat_mtime: int, size: int) -> str:
        state = self.server.state
        key = (str(path), stat_mtime, size)
        with state.lock:
            cached = state.etags.get(key)
        if cached is None:
            cached = '"' + hashlib.md5(path.read_bytes(), usedforsecurity=False).hexdigest()[:20] + '"'
            with state.lock:
                state.etags[key] = cached
        return cached

    def _static(self, path: str, query: dict[str, list[str]], *, head: bool) -> None:
        resolved = self._resolve(path, query)
        if resolved is None:
            self._not_found(head)
            return
        if isinstance(resolved, str):
            location = self.server.base_url + resolved
            self._send(HTTPStatus.MOVED_PERMANENTLY, b"", head=head, Location=location)
            return
        stat = resolved.stat()
        etag = self._etag(resolved, stat.st_mtime_ns, stat.st_size)
        modified = int(stat.st_mtime)
        headers = {
            "ETag": etag,
            "Last_Modified": formatdate(modified, usegmt=True),
            "Cache_Control": "max-age=60",
        }
        if self._not_modified(etag, modified):
            self._record(HTTPStatus.NOT_MODIFIED)
            self.send_response(HTTPStatus.NOT_MODIFIED)
            for name, value in headers.items():
                self.send_header(name.replace("_", "-"), value)
            self.end_headers()
            return
        self._send(HTTPStatus.OK, resolved.read_bytes(), content_type(resolved), head=head, **headers)

    def _not_modified(self, etag: str, modified: int) -> bool:
        """RFC 9110: If-None-Match wins over If-Modified-Since when both are present."""
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match is not None:
            tags = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
            return etag in tags or "*" in tags
        since = self.headers.get("If-Modified-Since")
        if since:
            with contextlib.suppress(TypeError, ValueError, IndexError):
                return modified <= int(parsedate_to_datetime(since).timestamp())
        return False

    # ------------------------------------------------------------------------------------- error routes
    def _error_route(self, path: str, query: dict[str, list[str]], *, head: bool) -> None:
        name = path.removeprefix("/_err/").strip("/")
        if name == "404":
            self._not_found(head)
        elif name == "500":
            self._send(
                HTTPStatus.INTERNAL_SERVER_ERROR,
                b"<html><body><h1>500 Internal Server Error</h1></body></html>",
                head=head,
            )
        elif name == "slow":
            self._slow(query, head=head)
        elif name == "loop":
            target = "/_err/loop" if query.get("n") == ["1"] else "/_err/loop?n=1"
            self._send(HTTPStatus.FOUND, b"", head=head, Location=self.server.base_url + target)
        elif name == "binary":
            self._send(HTTPStatus.OK, random.Random(404).randbytes(64 * 1024), head=head)
        elif name == "huge":
            self._huge(query, head=head)
        elif name == "wrong-charset":
            body = (
                "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Café Müller - Öffnungszeiten</title>"
                "</head><body><h1>Café Müller</h1><p>Geöffnet täglich außer Montag. Crème brûlée à la carte,"
                " Señor García empfiehlt die Spezialität.</p></body></html>"
            ).encode("latin-1")
            self._send(HTTPStatus.OK, body, head=head)
        elif name == "empty":
            self._send(HTTPStatus.OK, b"", head=head)
        else:
            self._not_found(head)

    def _slow(self, query: dict[str, list[str]], *, head: bool) -> None:
        """Answer after ``?s=`` seconds (default: the server's slow_seconds); bounded, and stop wakes it."""
        try:
            seconds = float(query.get("s", [self.server.state.slow_seconds])[0])
        except ValueError:
            seconds = self.server.state.slow_seconds
        self.server.state.stop.wait(max(0.0, min(seconds, MAX_SLOW_SECONDS)))
        self._send(HTTPStatus.OK, b"<html><body><p>Finally.</p></body></html>", head=head)

    def _huge(self, query: dict[str, list[str]], *, head: bool) -> None:
        """Stream a very large HTML body (``?mb=``, default 20 MB) without holding it in memory."""
        try:
            megabytes = int(query.get("mb", [HUGE_DEFAULT_MB])[0])
        except ValueError:
            megabytes = HUGE_DEFAULT_MB
        size = max(1, min(megabytes, HUGE_MAX_MB)) * 1024 * 1024
        line = b"<div class='row'>" + b"filler " * 140 + b"</div>\n"
        chunk = line * (65536 // len(line) + 1)
        self._record(HTTPStatus.OK)
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(size))
        self.end_headers()
        if head:
            return
        sent = 0
        while sent < size and not self.server.state.stop.is_set():
            piece = chunk[: size - sent]
            self.wfile.write(piece)
            sent += len(piece)


class DemoServer:
    """Running servers for several hosts; ``requests`` is the log of everything they were asked for."""

    def __init__(self, sites: Mapping[str, Path], *, slow_seconds: float = 5.0) -> None:
        self.state = _State(slow_seconds=slow_seconds)
        self.servers: list[_Server] = []
        self.threads: list[threading.Thread] = []
        try:
            for base_url, docroot in sites.items():
                parts = urlsplit(base_url)
                if not (parts.hostname or "").startswith("127."):
                    raise ValueError(f"the demo server binds loopback addresses only, not {base_url}")
                server = _Server((parts.hostname, parts.port or 80), _Handler)
                server.docroot = Path(docroot).resolve()
                server.base_url = base_url.rstrip("/")
                server.state = self.state
                self.servers.append(server)
        except BaseException:
            self.close()
            raise

    @property
    def base_urls(self) -> list[str]:
        return [s.base_url for s in self.servers]

    @property
    def requests(self) -> list[RequestLog]:
        with self.state.lock:
            return list(self.state.log)

    def start(self) -> DemoServer:
        for server in self.servers:
            thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
            thread.start()
            self.threads.append(thread)
        return self

    def close(self) -> None:
        self.state.stop.set()
        for server, _ in zip(self.servers, self.threads, strict=False):
            server.shutdown()
        for server in self.servers:
            server.server_close()
        self.servers, self.threads = [], []


def _sites_from_truth(root: Path) -> dict[str, Path]:
    from newsharvest.demo.sitegen import SiteTruth

    truth = SiteTruth.load(root)
    return {h.base_url: root / h.dir for h in truth.hosts}


@contextlib.contextmanager
def serve(
    root: Path, hosts: Mapping[str, Path] | None = None, *, slow_seconds: float = 5.0
) -> Iterator[DemoServer]:
    """Serve a generated site until the block ends.

    ``hosts`` maps base URL -> folder; by default it comes from ``root/truth.json`` (the URLs the pages were
    generated with). ``slow_seconds`` is how long ``/_err/slow`` waits when the URL gives no ``?s=``.
    """
    sites = dict(hosts) if hosts is not None else _sites_from_truth(Path(root))
    server = DemoServer(sites, slow_seconds=slow_seconds).start()
    try:
        yield server
    finally:
        server.close()


def free_port(hosts: int, *, attempts: int = 50) -> int:
    """A TCP port free on every one of 127.0.0.1 … 127.0.0.<hosts>."""
    for _ in range(attempts):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        if all(_bindable(f"127.0.0.{i + 1}", port) for i in range(hosts)):
            return port
    raise RuntimeError("no port free on all loopback addresses")


def _bindable(address: str, port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind((address, port))
        except OSError:
            return False
    return True


@contextlib.contextmanager
def demo_site(
    out_dir: Path, *, slow_seconds: float = 5.0, **generate: Any
) -> Iterator[tuple[Any, DemoServer]]:
    """Pick a free port, generate the site for it and serve it: ``with demo_site(tmp) as (truth, server):``.

    Keyword arguments go to :func:`newsharvest.demo.sitegen.generate_site` (hosts, articles_per_host, seed,
    min_page_kb, max_page_kb, edition). Retries with another port if one was taken in between.
    """
    from newsharvest.demo.sitegen import generate_site

    hosts = int(generate.get("hosts", 3))
    for attempt in range(5):
        port = free_port(hosts)
        truth = generate_site(Path(out_dir), port=port, **generate)
        try:
            server = DemoServer(
                {h.base_url: Path(out_dir) / h.dir for h in truth.hosts}, slow_seconds=slow_seconds
            )
        except OSError:
            if attempt == 4:
                raise
            continue
        server.start()
        try:
            yield truth, server
        finally:
            server.close()
        return


def main(argv: list[str] | None = None) -> int:
    """``python -m newsharvest.demo.server --root DIR``: generate if DIR has no truth.json, then serve."""
    parser = argparse.ArgumentParser(description="Serve the newsharvest demo news sites on loopback.")
    parser.add_argument(
        "--root", type=Path, required=True, help="folder of the generated site (created if empty)"
    )
    parser.add_argument("--regenerate", action="store_true", help="generate even if DIR/truth.json exists")
    parser.add_argument("--port", type=int, default=0, help="port for a new generation (default: a free one)")
    parser.add_argument("--hosts", type=int, default=3)
    parser.add_argument("--articles-per-host", type=int, default=15)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--edition", type=int, default=1)
    parser.add_argument("--min-page-kb", type=int)
    parser.add_argument("--max-page-kb", type=int)
    parser.add_argument("--slow-seconds", type=float, default=5.0)
    args = parser.parse_args(argv)
    from newsharvest.demo.sitegen import SiteTruth, generate_site

    if args.regenerate or not (args.root / "truth.json").is_file():
        truth = generate_site(
            args.root,
            port=args.port or free_port(args.hosts),
            hosts=args.hosts,
            articles_per_host=args.articles_per_host,
            seed=args.seed,
            edition=args.edition,
            min_page_kb=args.min_page_kb,
            max_page_kb=args.max_page_kb,
        )
    else:
        truth = SiteTruth.load(args.root)
    with serve(args.root, slow_seconds=args.slow_seconds):
        for host in truth.hosts:
            print(f"{host.base_url}/  {host.name} ({host.language}, {host.style})", flush=True)
        print(f"truth: {args.root / 'truth.json'}  (Ctrl-C to stop)", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            while True:
                time.sleep(3600)
    return 0


if __name__ == "__main__":
    sys.exit(main())
