"""Scale-out: many ``scrapy crawl news`` processes, on one machine or many, sharing one Redis.

``-s NEWSHARVEST_STATE=redis://host:port/db`` (or ``newsharvest crawl --state ...``) makes the
:class:`ScaleOut` add-on (``ADDONS`` in :mod:`newsharvest.settings`) switch the crawl to shared mode; with
the default ``sqlite`` it changes nothing. In shared mode:

- the frontier is scrapy-redis's: one request queue and one request dupefilter per crawl namespace
  (:func:`crawl_namespace`), so no page is fetched twice and every worker seeds the start URLs harmlessly
  (the second seeding is filtered as already seen);
- the cross-run state is :class:`pipelines.state.redis.RedisStore`, and dedup takes a short per-story lock
  (:class:`LockingDeduplicator`) so two workers checking copies of one story at once keep exactly one;
- per-host politeness is shared: :class:`SharedHostDelay` reserves each host's next request slot in Redis;
- a worker stops once the shared queue has stayed empty for ``NEWSHARVEST_IDLE_STOP_SECONDS``.

scrapy-redis 0.9.1 with Scrapy 2.19: the queue and the connection work as they are; :class:`SharedScheduler`
and :class:`SharedDupeFilter` adapt the rest (Scrapy's request fingerprinter instead of scrapy-redis's own,
no deprecated ``spider`` argument to the stats, keys computed from the spider's sources file, a worker
registry so that the last worker out clears the dupefilter for the next run). See docs/SCALE_OUT.md.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import redis
from scrapy import Request, signals
from scrapy.dupefilters import BaseDupeFilter
from scrapy.exceptions import DontCloseSpider
from scrapy.utils.defer import deferred_from_coro, maybe_deferred_to_future
from scrapy.utils.misc import load_object
from scrapy_redis.connection import get_redis_from_settings
from scrapy_redis.scheduler import Scheduler as RedisScheduler
from twisted.internet import task

import newsharvest.pipelines as item_pipelines
from pipelines.compact import finalised_file_ids, settle
from pipelines.dedup import Deduplicator, Verdict
from pipelines.flow import ArticleFlow
from pipelines.records import Article
from pipelines.state.redis import (
    DEFAULT_LEASE_SECONDS,
    DEFAULT_PREFIX,
    DEFAULT_RETRIES,
    RETRY_COUNTS,
    parse_spec,
    redis_params,
)

logger = logging.getLogger(__name__)

REDIS_SCHEMES = ("redis://", "rediss://", "unix://")
WORKER_LEASE_SECONDS = DEFAULT_LEASE_SECONDS  # crawl registry lease, as the store's


def is_redis_spec(spec: str | None) -> bool:
    return bool(spec) and str(spec).strip().startswith(REDIS_SCHEMES)


# -- settings ------------------------------------------------------------------------------------------------
class ScaleOut:
    """Scrapy add-on: shared frontier, state and politeness when ``NEWSHARVEST_STATE`` is a Redis URL."""

    def update_settings(self, settings: Any) -> None:
        spec = settings.get("NEWSHARVEST_STATE")
        if not is_redis_spec(spec):
            return
        url, options = parse_spec(str(spec).strip())
        retries = int(options.get("retries", DEFAULT_RETRIES))  # ?retries=N, as for the store
        for name, value in {
            "SCHEDULER": "newsharvest.scaleout.SharedScheduler",
            "DUPEFILTER_CLASS": "newsharvest.scaleout.SharedDupeFilter",
            "SCHEDULER_QUEUE_CLASS": "scrapy_redis.queue.PriorityQueue",  # pops without blocking the reactor
            "SCHEDULER_PERSIST": True,  # one worker closing must not clear the others' queue
            "REDIS_URL": url,
            "REDIS_PARAMS": redis_params(retries),
            "NEWSHARVEST_REDIS_PREFIX": options.get("prefix", DEFAULT_PREFIX),
        }.items():
            settings.set(name, value, priority="addon")
        # Several writers share the output on purpose: the single-writer lock would stop the second one.
        # Project priority, because the project sets NEWSHARVEST_LOCK; `-s NEWSHARVEST_LOCK=...` still wins.
        settings.set("NEWSHARVEST_LOCK", False, priority="project")
        settings["DOWNLOADER_MIDDLEWARES"]["newsharvest.scaleout.SharedHostDelay"] = 950
        settings["EXTENSIONS"]["newsharvest.scaleout.ScaleOutCoordinator"] = 100
        settings["ITEM_PIPELINES"]["newsharvest.pipelines.WriteArticlesPipeline"] = None
        settings["ITEM_PIPELINES"]["newsharvest.scaleout.ScaleOutWritePipeline"] = 900


def crawl_namespace(settings: Any, spider: Any) -> str:
    """Redis key prefix of one crawl's frontier: ``PREFIX:crawl:<spider>:<crawl id>``.

    The crawl id is ``NEWSHARVEST_CRAWL_ID``, else the sources file's name and a hash of its content: every
    worker started with the same sources file joins the same crawl, on any machine, whatever the path.
    """
    crawl_id = settings.get("NEWSHARVEST_CRAWL_ID") or ""
    if not crawl_id:
        path = getattr(spider, "sources_path", None) or settings.get("NEWSHARVEST_SOURCES")
        if path and Path(path).is_file():
            digest = hashlib.sha1(Path(path).read_bytes()).hexdigest()[:10]
            crawl_id = f"{Path(path).stem}-{digest}"
        else:
            crawl_id = "default"
    crawl_id = re.sub(r"[^A-Za-z0-9_.-]", "_", crawl_id)
    prefix = settings.get("NEWSHARVEST_REDIS_PREFIX") or DEFAULT_PREFIX
    return f"{prefix}:crawl:{spider.name}:{crawl_id}"


# -- frontier ------------------------------------------------------------------------------------------------
class SharedDupeFilter(BaseDupeFilter):
    """Seen requests in a Redis set, fingerprinted by Scrapy's own request fingerprinter (scrapy-redis's
    ``RFPDupeFilter`` hashes the URL itself and ignores ``REQUEST_FINGERPRINTER_*``)."""

    def __init__(self, server: redis.Redis, key: str, fingerprinter: Any) -> None:
        self.server, self.key, self.fingerprinter = server, key, fingerprinter
        self._logged = False

    def request_seen(self, request: Request) -> bool:
        return self.server.sadd(self.key, self.fingerprinter.fingerprint(request).hex()) == 0

    def log(self, request: Request, spider: Any = None) -> None:
        if not self._logged:
            logger.debug("Filtered duplicate request %s (shared dupefilter; no more shown)", request)
            self._logged = True


# KEYS: workers hash, queue, dupefilter. ARGV: worker id, lease seconds, 'join' | 'leave'.
# Expired workers are forgotten; when no live worker remains and the queue is empty, the crawl is over (or
# not started): its dupefilter is cleared, so the next run re-reads feeds and start pages.
_MEMBERSHIP = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1e6
if ARGV[3] == 'leave' then redis.call('HDEL', KEYS[1], ARGV[1]) end
local live = 0
local all = redis.call('HGETALL', KEYS[1])
for i = 1, #all, 2 do
  if tonumber(all[i + 1]) <= now then redis.call('HDEL', KEYS[1], all[i]) else live = live + 1 end
end
local fresh = 0
if live == 0 and redis.call('EXISTS', KEYS[2]) == 0 then redis.call('DEL', KEYS[3]); fresh = 1 end
if ARGV[3] == 'join' then redis.call('HSET', KEYS[1], ARGV[1], tostring(now + tonumber(ARGV[2]))) end
return fresh
"""


class SharedScheduler(RedisScheduler):
    """scrapy-redis's scheduler, with per-crawl keys and a registry of the crawl's workers."""

    crawler: Any

    @classmethod
    def from_crawler(cls, crawler: Any) -> SharedScheduler:
        settings = crawler.settings
        server = get_redis_from_settings(settings)
        server.ping()
        scheduler = cls(
            server=server,
            persist=True,
            queue_cls=settings.get("SCHEDULER_QUEUE_CLASS") or "scrapy_redis.queue.PriorityQueue",
        )
        scheduler.crawler, scheduler.stats = crawler, crawler.stats
        scheduler.worker_id = f"{crawler.settings.get('NEWSHARVEST_RUN_ID') or 'run'}-{secrets.token_hex(4)}"
        return scheduler

    def open(self, spider: Any) -> None:
        self.spider = spider
        ns = crawl_namespace(self.crawler.settings, spider)
        self.queue_key, self.dupefilter_key, self.workers_key = (
            f"{ns}:{k}" for k in ("requests", "seen", "workers")
        )
        self.queue = load_object(self.queue_cls)(
            server=self.server, spider=spider, key=self.queue_key, serializer=self.serializer
        )
        self.df = SharedDupeFilter(self.server, self.dupefilter_key, self.crawler.request_fingerprinter)
        self._membership = self.server.register_script(_MEMBERSHIP)
        fresh = self._membership(
            keys=[self.workers_key, self.queue_key, self.dupefilter_key],
            args=[self.worker_id, WORKER_LEASE_SECONDS, "join"],
        )
        queued = len(self.queue)
        logger.info(
            "Shared frontier %s: %s (%d requests queued)", ns, "new crawl" if fresh else "joining", queued
        )
        self._beat = task.LoopingCall(self._heartbeat)
        self._beat.start(WORKER_LEASE_SECONDS / 3, now=False)

    def _heartbeat(self) -> None:
        try:
            seconds, _ = self.server.time()
            self.server.hset(self.workers_key, self.worker_id, str(seconds + WORKER_LEASE_SECONDS))
        except redis.RedisError as exc:
            logger.warning("Could not renew this worker's registration in Redis: %s", exc)

    def close(self, reason: str) -> None:
        if self._beat.running:
            self._beat.stop()
        last = self._membership(
            keys=[self.workers_key, self.queue_key, self.dupefilter_key],
            args=[self.worker_id, WORKER_LEASE_SECONDS, "leave"],
        )
        if last:
            logger.info("Last worker out: the crawl is complete, its request dupefilter is cleared")

    def enqueue_request(self, request: Request) -> bool:
        if not request.dont_filter and self.df.request_seen(request):
            self.df.log(request, self.spider)
            return False
        self.stats.inc_value("scheduler/enqueued/redis")
        self.queue.push(request)
        return True

    def next_request(self) -> Request | None:
        request = self.queue.pop(0)
        if request is not None:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request


class ScaleOutCoordinator:
    """Keeps a worker alive while the shared queue is briefly empty (others may still add to it), stops it
    once the queue has stayed empty for ``NEWSHARVEST_IDLE_STOP_SECONDS``, and reports Redis retries."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.idle_stop = crawler.settings.getfloat("NEWSHARVEST_IDLE_STOP_SECONDS", 30.0)
        self.server = get_redis_from_settings(crawler.settings)
        self._empty_since: float | None = None
        self._check: Any = None
        crawler.signals.connect(self.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Any) -> ScaleOutCoordinator:
        return cls(crawler)

    def _queue_empty(self) -> bool:
        spider = self.crawler.spider
        return not self.server.exists(f"{crawl_namespace(self.crawler.settings, spider)}:requests")

    def spider_idle(self, spider: Any = None) -> None:
        self._report()
        if not self._queue_empty():
            self._empty_since = None
            raise DontCloseSpider  # another worker's requests arrived meanwhile: take them
        now = time.monotonic()
        self._empty_since = self._empty_since or now
        remaining = self._empty_since + self.idle_stop - now
        if remaining > 0:
            if self._check is None or not self._check.active():
                from twisted.internet import reactor  # not at import: the add-on loads before the reactor

                # The engine re-checks idleness only every 5 s: check again exactly when the wait is over.
                self._check = reactor.callLater(remaining + 0.05, self._stop_if_still_idle)  # type: ignore[attr-defined]
            raise DontCloseSpider

    def _stop_if_still_idle(self) -> None:
        engine = self.crawler.engine
        if engine is None or not engine.spider_is_idle() or not self._queue_empty():
            return
        if self._empty_since is not None and time.monotonic() - self._empty_since >= self.idle_stop:
            logger.info("Shared queue empty for %.0f s: this worker stops", self.idle_stop)
            deferred_from_coro(engine.close_spider_async(reason="finished"))

    def spider_closed(self, spider: Any = None) -> None:
        if self._check is not None and self._check.active():
            self._check.cancel()
        self._report()

    def _report(self) -> None:
        for key, value in RETRY_COUNTS.items():
            self.crawler.stats.set_value(f"newsharvest/redis/{key}", value)


# -- politeness ----------------------------------------------------------------------------------------------
# KEYS: the host's next-slot key. ARGV: delay in ms. Returns how long (ms) the caller must wait for its slot.
_RESERVE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local nxt = tonumber(redis.call('GET', KEYS[1]) or '0')
local at = math.max(now, nxt)
local delay = tonumber(ARGV[1])
redis.call('SET', KEYS[1], tostring(at + delay), 'PX', delay + 60000)
return at - now
"""


class SharedHostDelay:
    """Downloader middleware: at most one request per ``NEWSHARVEST_HOST_DELAY`` seconds to each host
    (``host:port``), counted across every worker of the Redis, not per process.

    Each request atomically reserves the host's next free slot (Lua, Redis clock, so machines' clocks do not
    matter) and waits for it without blocking the reactor. AutoThrottle and ``DOWNLOAD_DELAY`` still apply in
    each process on top of it; see docs/SCALE_OUT.md.
    """

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.delay_ms = int(crawler.settings.getfloat("NEWSHARVEST_HOST_DELAY", 0.0) * 1000)
        self.server = get_redis_from_settings(crawler.settings)
        self.prefix = crawler.settings.get("NEWSHARVEST_REDIS_PREFIX") or DEFAULT_PREFIX
        self._reserve = self.server.register_script(_RESERVE)

    @classmethod
    def from_crawler(cls, crawler: Any) -> SharedHostDelay:
        return cls(crawler)

    async def process_request(self, request: Request) -> None:
        if self.delay_ms <= 0:
            return
        host = urlsplit(request.url).netloc.lower()
        wait_ms = int(self._reserve(keys=[f"{self.prefix}:host:{host}"], args=[self.delay_ms]))
        if wait_ms > 0:
            self.crawler.stats.inc_value("newsharvest/host_delay/waited_ms", wait_ms)
            from twisted.internet import reactor

            # A Deferred is awaited through maybe_deferred_to_future: under the asyncio reactor a coroutine
            # cannot await it directly.
            await maybe_deferred_to_future(task.deferLater(reactor, wait_ms / 1000, lambda: None))


# -- dedup and writing ---------------------------------------------------------------------------------------
class LockingDeduplicator(Deduplicator):
    """Dedup whose check and remember are one critical section across workers.

    ``check`` locks the story's keys in Redis (its article id, its text hash and its LSH band keys) before
    reading the store; a kept article is remembered (visible to every worker) and unlocked right after, a
    duplicate is unlocked at once. Two copies of one story, exact or near, share at least one of those keys
    (LSH retrieves near copies through a shared band), so their checks never interleave: exactly one is kept.
    Locks expire (30 s) so a dead worker cannot block others; a worker that cannot get its locks within the
    wait checks unlocked (logged) rather than stalling the crawl.
    """

    def __init__(self, store: Any, lock_store: Any, **kwargs: Any) -> None:
        super().__init__(store, **kwargs)
        self.lock_store = lock_store
        self._held: tuple[list[str], str] | None = None

    def _release(self) -> None:
        if self._held is not None:
            keys, token = self._held
            self._held = None
            self.lock_store.unlock(keys, token)

    def check(self, article: Article) -> Verdict:
        self._release()
        feats = self.features(article)
        keys = [f"id:{feats.article_id}", f"hash:{feats.content_hash}"]
        keys += [f"band:{k[:8].hex()}" for k in feats.band_keys]
        token = self.lock_store.lock(keys)
        if token is not None:
            self._held = (keys, token)
        try:
            verdict = super().check(article)
        except BaseException:
            self._release()
            raise
        if verdict.kind == "duplicate":
            self._release()
        return verdict

    def remember(self, article: Article, verdict: Verdict, *, file_id: str, **validators: Any) -> None:
        try:
            super().remember(article, verdict, file_id=file_id, **validators)
        finally:
            self._release()


class ScaleOutArticleFlow(ArticleFlow):
    """:class:`ArticleFlow` for a shared output: locked dedup, and start-up recovery that leaves the files of
    live workers alone (the single-writer recovery deletes every temporary file it finds)."""

    def __init__(self, output: str | Path, store: Any, **kwargs: Any) -> None:
        super().__init__(output, store, **kwargs)
        plain = self.deduplicator
        self.deduplicator = LockingDeduplicator(
            store,
            store,
            threshold=plain.threshold,
            containment_threshold=plain.containment_threshold,
            containment_floor=plain.containment_floor,
            min_words=plain.min_words,
        )

    def _recover(self) -> None:
        live = self.store.live_writers()
        stale = 0
        for name in ("articles", "dropped"):
            folder = self.output / name
            for tmp in folder.rglob(".part-*.parquet.tmp") if folder.is_dir() else ():
                # .part-<stamp>-<run id>-<host>-<pid>-<hex>.parquet.tmp: its writer is <host>-<pid>
                owner = "-".join(tmp.name.removesuffix(".parquet.tmp").split("-")[-3:-1])
                if owner not in live:
                    tmp.unlink(missing_ok=True)
                    stale += 1
            settle(folder)
        self.store.recover(finalised_file_ids(self.output / "articles"))
        if stale:
            logger.warning("Removed %d unfinished Parquet file(s) left by dead workers", stale)


class ScaleOutWritePipeline(item_pipelines.WriteArticlesPipeline):
    """``WriteArticlesPipeline`` building a :class:`ScaleOutArticleFlow`."""

    flow_class = ScaleOutArticleFlow
