"""The shared store: :class:`StateStore` in one Redis database, for many crawler processes and machines.

Same contract as the embedded SQLite store (``tests/test_state_redis.py`` runs the same cases), plus what
sharing needs:

- **Entries are visible to every worker as soon as they are added** (pending or not): that is what makes
  dedup work across workers. They stay *pending* until their Parquet file is finalised (``commit_file``).
- **Recovery only settles files of dead workers.** Each store instance is a *worker* with a lease (a
  heartbeat thread renews it); ``recover`` commits the pending files of expired workers that are finalised in
  this output and drops those that belonged to this output (its ``state/dataset-id``) but were never
  finalised. Files of live workers, and unfinished files of other outputs (per-machine outputs), are left
  alone: a worker never deletes what another is still writing.
- **Story locks** (:meth:`RedisStore.lock`): all-or-none ``SET NX PX`` on a set of keys in one Lua script, so
  two workers checking the same story (same URL, text hash or an LSH band) at once are serialised.
- **Outages**: the client retries with exponential back-off (:class:`LoggingRetry`), logging a WARNING for
  each retry; writes are idempotent (ids are allocated before the write), so a retried write never doubles.

Layout under ``PREFIX`` (default ``newsharvest``): ``v:<vid>`` hash per version (``vid`` zero-padded so that
members sort as numbers); ``id:<article_id>`` zset of vids scored by version; ``hash:<content_hash>`` zset by
vid (oldest first); ``band:<hex>`` set of ``<vid>:<article_id>``; ``pending`` hash file_id -> owner;
``pfile:<file_id>`` set of vids; ``workers`` hash of leases; ``site:<site>``, ``kv:<key>``, ``lock:<key>``.
Standalone Redis (the scripts touch keys they compute; Redis Cluster is not supported).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import secrets
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import parse_qs, urlsplit, urlunsplit

import numpy as np
import redis
from redis.backoff import EqualJitterBackoff
from redis.retry import Retry

from pipelines.state.base import Signature, StateStore, StoredArticle

logger = logging.getLogger(__name__)

T = TypeVar("T")
DEFAULT_PREFIX = "newsharvest"
DEFAULT_RETRIES = 30
"""Retries of one Redis command before giving up: back-off doubling from 0.1 s up to 2-4 s, about 80 s."""
DEFAULT_LEASE_SECONDS = 120.0
"""A worker whose heartbeat is older than this is dead: its pending files may be settled by others. Longer
than the retry horizon (``DEFAULT_RETRIES``), so an outage alone never makes a live worker look dead."""
DATASET_ID_FILE = Path("state") / "dataset-id"

#: Redis retries since the process started, for the crawl stats (``newsharvest/redis/retries``).
RETRY_COUNTS: Counter[str] = Counter()


class LoggingRetry(Retry):
    """redis-py's :class:`Retry`, but every retry is logged (WARNING) and counted, so an outage is visible in
    the log and the stats instead of looking like a hung crawl."""

    def call_with_retry(  # type: ignore[override]
        self,
        do: Callable[[], T],
        fail: Callable[..., Any],
        is_retryable: Callable[[Exception], bool] | None = None,
        with_failure_count: bool = False,
    ) -> T:
        failures = 0

        def logged_fail(error: Exception, *count: int) -> None:
            nonlocal failures
            failures += 1
            RETRY_COUNTS["retries"] += 1
            logger.warning(
                "Redis unreachable (%s: %s): retry %d of %d with back-off",
                type(error).__name__, error, failures, self._retries,
            )  # fmt: skip
            fail(error, *count) if with_failure_count else fail(error)

        answered = True
        try:
            return super().call_with_retry(do, logged_fail, is_retryable, with_failure_count)
        except self._supported_errors:
            answered = False  # retries exhausted: still unreachable
            raise
        finally:
            # Success, or a reply that is an error (after a restart, EVALSHA's NOSCRIPT, which redis-py
            # answers by loading the script): either way the server is back.
            if failures and answered:
                RETRY_COUNTS["recovered"] += 1
                logger.warning("Redis reachable again after %d retries", failures)


def redis_params(retries: int = DEFAULT_RETRIES) -> dict[str, Any]:
    """Client keyword arguments shared by the store and scrapy-redis (``REDIS_PARAMS``)."""
    return {
        "retry": LoggingRetry(EqualJitterBackoff(cap=4.0, base=0.1), retries),
        "socket_connect_timeout": 5,
        "socket_timeout": 30,
        "health_check_interval": 15,
    }


def parse_spec(spec: str) -> tuple[str, dict[str, str]]:
    """``redis://host:port/db?prefix=x&retries=n&lease=s`` -> (the URL without our options, the options)."""
    parts = urlsplit(spec)
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    ours = {k: query.pop(k) for k in ("prefix", "retries", "lease") if k in query}
    rest = "&".join(f"{k}={v}" for k, v in query.items())
    return urlunsplit((parts.scheme, parts.netloc, parts.path, rest, "")), ours


def writer_token() -> str:
    """``host-pid`` as in Parquet file ids (:func:`pipelines.parquet.new_file_id`): a temporary's owner."""
    host = re.sub(r"[^A-Za-z0-9]", "", socket.gethostname())[:12] or "host"
    return f"{host}-{os.getpid()}"


def dataset_id(outdir: Path | None) -> str:
    """This output folder's identity (created once): tells whose unfinished files recovery may drop."""
    if outdir is None:
        return "default"
    path = Path(outdir) / DATASET_ID_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(path, "x", encoding="utf-8") as handle:  # atomic create: two workers agree on one id
            handle.write(secrets.token_hex(8))
    except FileExistsError:
        pass
    for _ in range(50):  # the creator may not have written yet
        text = path.read_text(encoding="utf-8").strip()
        if text:
            return text
        time.sleep(0.02)
    raise RuntimeError(f"{path} is empty")


def _vid(n: int) -> str:
    return f"{n:016d}"


def _iso(value: dt.datetime | None) -> str:
    return value.isoformat() if value is not None else ""


def _from_iso(value: bytes | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value.decode()) if value else None


def _text(value: bytes | None) -> str | None:
    return value.decode("utf-8") if value else None


_LATEST = """
local r
if ARGV[2] == '1' then r = redis.call('ZREVRANGE', KEYS[1], 0, 0)
else r = redis.call('ZRANGE', KEYS[1], 0, 0) end
if #r == 0 then return nil end
return redis.call('HGETALL', ARGV[1] .. ':v:' .. r[1])
"""
_COMMIT = """
local p, f = ARGV[1], ARGV[2]
local vids = redis.call('SMEMBERS', p .. ':pfile:' .. f)
for _, vid in ipairs(vids) do
  if redis.call('EXISTS', p .. ':v:' .. vid) == 1 then
    redis.call('HSET', p .. ':v:' .. vid, 'committed', '1')
  end
end
redis.call('DEL', p .. ':pfile:' .. f)
redis.call('HDEL', p .. ':pending', f)
return #vids
"""
_DROP = """
local p, f = ARGV[1], ARGV[2]
local vids = redis.call('SMEMBERS', p .. ':pfile:' .. f)
for _, vid in ipairs(vids) do
  local vk = p .. ':v:' .. vid
  local x = redis.call('HMGET', vk, 'article_id', 'content_hash', 'bands', 'committed')
  if x[1] and x[4] ~= '1' then
    redis.call('ZREM', p .. ':id:' .. x[1], vid)
    redis.call('ZREM', p .. ':hash:' .. x[2], vid)
    for band in string.gmatch(x[3] or '', '%S+') do
      redis.call('SREM', p .. ':band:' .. band, vid .. ':' .. x[1])
    end
    redis.call('DEL', vk)
  end
end
redis.call('DEL', p .. ':pfile:' .. f)
redis.call('HDEL', p .. ':pending', f)
return #vids
"""
_LOCK = """
for _, k in ipairs(KEYS) do
  local v = redis.call('GET', k)
  if v and v ~= ARGV[1] then return 0 end
end
for _, k in ipairs(KEYS) do redis.call('SET', k, ARGV[1], 'PX', ARGV[2]) end
return 1
"""
_UNLOCK = """
for _, k in ipairs(KEYS) do
  if redis.call('GET', k) == ARGV[1] then redis.call('DEL', k) end
end
return 1
"""


class RedisStore(StateStore):
    """:class:`StateStore` in Redis, shared by every worker that opens the same database and prefix."""

    def __init__(
        self,
        url: str,
        *,
        outdir: Path | None = None,
        prefix: str = DEFAULT_PREFIX,
        retries: int = DEFAULT_RETRIES,
        lease_seconds: float = DEFAULT_LEASE_SECONDS,
        worker_id: str | None = None,
    ) -> None:
        self.url = url
        self.prefix = prefix
        self.lease_seconds = lease_seconds
        self.worker_id = worker_id or secrets.token_hex(6)
        self.token = writer_token()
        self.dataset_id = dataset_id(outdir)
        self.r = redis.Redis.from_url(url, **redis_params(retries))
        self._latest = self.r.register_script(_LATEST)
        self._commit = self.r.register_script(_COMMIT)
        self._drop = self.r.register_script(_DROP)
        self._lock = self.r.register_script(_LOCK)
        self._unlock = self.r.register_script(_UNLOCK)
        self._stop = threading.Event()
        self._heartbeat()
        self._thread = threading.Thread(target=self._beat, name="redis-store-lease", daemon=True)
        self._thread.start()

    # --- plumbing -------------------------------------------------------------------------------------------
    def _k(self, *parts: str) -> str:
        return ":".join((self.prefix, *parts))

    def _now(self) -> float:
        seconds, micros = self.r.time()
        return seconds + micros / 1e6

    def _heartbeat(self) -> None:
        info = {"token": self.token, "dataset": self.dataset_id, "expires": self._now() + self.lease_seconds}
        self.r.hset(self._k("workers"), self.worker_id, json.dumps(info))

    def _beat(self) -> None:
        """Renew the lease until closed; an outage only delays it (the lease outlasts the retries)."""
        while not self._stop.wait(self.lease_seconds / 3):
            try:
                self._heartbeat()
            except redis.RedisError as exc:
                logger.warning("Could not renew the worker lease in Redis: %s", exc)

    def _workers(self) -> dict[str, dict[str, Any]]:
        raw = self.r.hgetall(self._k("workers"))
        return {k.decode(): json.loads(v) for k, v in raw.items()}

    def live_writers(self) -> set[str]:
        """``host-pid`` tokens of the workers whose lease is current (their temporaries are in use)."""
        now = self._now()
        return {w["token"] for w in self._workers().values() if w["expires"] > now}

    def _stored(self, flat: list[bytes] | None) -> StoredArticle | None:
        if not flat:
            return None
        h = dict(zip(flat[::2], flat[1::2], strict=True))
        return StoredArticle(
            article_id=h[b"article_id"].decode(),
            canonical_url=h[b"canonical_url"].decode(),
            content_hash=h[b"content_hash"].decode(),
            version=int(h[b"version"]),
            url=h[b"url"].decode(),
            published=_from_iso(h.get(b"published")),
            fetched_at=_from_iso(h.get(b"fetched_at")) or dt.datetime.min.replace(tzinfo=dt.UTC),
            etag=_text(h.get(b"etag")),
            last_modified=_text(h.get(b"last_modified")),
            n_shingles=int(h.get(b"n_shingles") or 0),
            file_id=h[b"file_id"].decode(),
            committed=h.get(b"committed") == b"1",
        )

    def _top(self, key: str, *, latest: bool) -> list[bytes] | None:
        return self._latest(keys=[key], args=[self.prefix, "1" if latest else "0"])  # type: ignore[return-value]

    # --- articles -------------------------------------------------------------------------------------------
    def article_by_id(self, article_id: str) -> StoredArticle | None:
        return self._stored(self._top(self._k("id", article_id), latest=True))

    def article_by_hash(self, content_hash: str) -> StoredArticle | None:
        return self._stored(self._top(self._k("hash", content_hash), latest=False))

    def near_candidates(self, band_keys: list[bytes]) -> list[str]:
        if not band_keys:
            return []
        pipe = self.r.pipeline(transaction=False)
        for key in band_keys:
            pipe.smembers(self._k("band", key[:8].hex()))
        shared: Counter[str] = Counter()
        for members in pipe.execute():
            for member in members:
                shared[member.decode().split(":", 1)[1]] += 1
        return [article_id for article_id, _ in shared.most_common()]

    def signature(self, article_id: str) -> Signature | None:
        flat = self._top(self._k("id", article_id), latest=True)
        if not flat:
            return None
        h = dict(zip(flat[::2], flat[1::2], strict=True))
        sig = h.get(b"signature")
        return np.frombuffer(sig, dtype=np.uint32) if sig else None

    def add_article(
        self, stored: StoredArticle, band_keys: list[bytes], signature: Signature, *, file_id: str
    ) -> None:
        vid = _vid(int(self.r.incr(self._k("vid"))))  # allocated first: the write below is idempotent
        bands = sorted({k[:8].hex() for k in band_keys})
        fields = {
            "article_id": stored.article_id,
            "canonical_url": stored.canonical_url,
            "content_hash": stored.content_hash,
            "version": stored.version,
            "url": stored.url,
            "published": _iso(stored.published),
            "fetched_at": _iso(stored.fetched_at),
            "etag": stored.etag or "",
            "last_modified": stored.last_modified or "",
            "n_shingles": stored.n_shingles,
            "file_id": file_id,
            "committed": "0",
            "bands": " ".join(bands),
            "signature": np.ascontiguousarray(signature, dtype=np.uint32).tobytes(),
        }
        owner = json.dumps({"worker": self.worker_id, "dataset": self.dataset_id})
        pipe = self.r.pipeline(transaction=True)
        pipe.hset(self._k("v", vid), mapping=fields)
        pipe.zadd(self._k("id", stored.article_id), {vid: stored.version})
        pipe.zadd(self._k("hash", stored.content_hash), {vid: int(vid)})
        for band in bands:
            pipe.sadd(self._k("band", band), f"{vid}:{stored.article_id}")
        pipe.hset(self._k("pending"), file_id, owner)
        pipe.sadd(self._k("pfile", file_id), vid)
        pipe.execute()

    def commit_file(self, file_id: str) -> None:
        self._commit(args=[self.prefix, file_id])

    def recover(self, finalised_file_ids: set[str]) -> None:
        workers = self._workers()
        now = self._now()
        alive = {w for w, info in workers.items() if info["expires"] > now}
        settled = kept = 0
        for raw_id, raw_owner in self.r.hgetall(self._k("pending")).items():
            file_id, owner = raw_id.decode(), json.loads(raw_owner)
            if owner["worker"] in alive:
                continue  # still being written
            if file_id in finalised_file_ids:
                self._commit(args=[self.prefix, file_id])
            elif owner["dataset"] == self.dataset_id:
                self._drop(args=[self.prefix, file_id])
            else:
                kept += 1  # another output's unfinished file: only a worker of that output can tell
                continue
            settled += 1
        # Forget leases long expired whose files are all settled.
        pending_owners = {json.loads(v)["worker"] for v in self.r.hvals(self._k("pending"))}
        stale = [w for w, info in workers.items() if w not in alive and w not in pending_owners]
        if stale:
            self.r.hdel(self._k("workers"), *stale)
        if settled or kept:
            logger.info("Recovery settled %d pending file(s) of finished workers; left %d of other outputs",
                        settled, kept)  # fmt: skip

    def pending_file_ids(self) -> set[str]:
        """File ids with pending entries, of every worker (for diagnostics and tests)."""
        return {k.decode() for k in self.r.hkeys(self._k("pending"))}

    def count_articles(self) -> int:
        """Number of stored versions, committed or pending (scans: for tests and diagnostics only)."""
        return sum(1 for _ in self.r.scan_iter(match=self._k("v", "*"), count=1000))

    # --- story locks ----------------------------------------------------------------------------------------
    def lock(self, keys: Iterable[str], *, ttl: float = 30.0, wait: float = 30.0) -> str | None:
        """Take every lock of ``keys`` or none, retrying until ``wait`` seconds; the token, or ``None`` when
        another worker held one of them all along (the caller goes on unlocked rather than stalling)."""
        names = sorted({self._k("lock", k) for k in keys})
        token = f"{self.worker_id}-{secrets.token_hex(4)}"
        deadline = time.monotonic() + wait
        delay = 0.002
        while True:
            if self._lock(keys=names, args=[token, int(ttl * 1000)]):
                return token
            if time.monotonic() >= deadline:
                logger.warning("Story lock not obtained in %.0f s; checking without it", wait)
                return None
            time.sleep(delay)
            delay = min(delay * 2, 0.05)

    def unlock(self, keys: Iterable[str], token: str) -> None:
        """Release the locks taken with ``token`` (any that expired meanwhile belong to someone else)."""
        self._unlock(keys=sorted({self._k("lock", k) for k in keys}), args=[token])

    # --- other state ----------------------------------------------------------------------------------------
    def get_site_knowledge(self, site: str) -> dict[str, Any] | None:
        raw = self.r.get(self._k("site", site))
        return json.loads(raw) if raw else None

    def put_site_knowledge(self, site: str, knowledge: dict[str, Any]) -> None:
        self.r.set(self._k("site", site), json.dumps(knowledge, ensure_ascii=False, sort_keys=True))

    def get_kv(self, key: str) -> str | None:
        raw = self.r.get(self._k("kv", key))
        return raw.decode("utf-8") if raw is not None else None

    def put_kv(self, key: str, value: str) -> None:
        self.r.set(self._k("kv", key), value)

    def close(self) -> None:
        """Stop the heartbeat and give up the lease: this worker's pending files (if any were left
        unfinalised) become recoverable at once."""
        self._stop.set()
        self._thread.join(timeout=5)
        try:
            self.r.hdel(self._k("workers"), self.worker_id)
        except redis.RedisError as exc:
            logger.warning("Could not release the worker lease in Redis (it expires by itself): %s", exc)
        self.r.close()


def open_redis_store(spec: str, outdir: Path | None) -> RedisStore:
    """``redis://host:port/db[?prefix=P&retries=N&lease=S]`` -> a store for the output folder ``outdir``."""
    url, options = parse_spec(spec)
    return RedisStore(
        url,
        outdir=outdir,
        prefix=options.get("prefix", DEFAULT_PREFIX),
        retries=int(options.get("retries", DEFAULT_RETRIES)),
        lease_seconds=float(options.get("lease", DEFAULT_LEASE_SECONDS)),
    )
