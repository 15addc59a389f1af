"""Every ``NEWSHARVEST_*`` setting with its default, in one place.

:mod:`newsharvest.settings` loads these into the Scrapy settings, so each can be overridden the Scrapy way:
``-s NEWSHARVEST_OUTPUT=/data/news``, a project settings module, or ``custom_settings``.
"""

from __future__ import annotations

#: Folder of the output: ``articles/`` and ``dropped/`` Parquet datasets, ``state/``, ``runs/``, ``logs/``.
NEWSHARVEST_OUTPUT = "output"
#: Where cross-run state lives: ``sqlite`` (embedded, ``OUTPUT/state/state.sqlite3``) or ``redis://host:port/db``.
NEWSHARVEST_STATE = "sqlite"
#: The sources file (YAML); the ``news`` spider also takes it as ``-a sources=...``.
NEWSHARVEST_SOURCES = None
#: Keep only these languages (ISO 639-1); empty keeps every language. Overrides ``languages:`` of sources.
NEWSHARVEST_LANGUAGES: list[str] = []
#: How many links deep the crawl follows from a section page (start URL = depth 0).
NEWSHARVEST_LINK_DEPTH = 2
#: Keep the pages a sitemap lists as compact entries and make their requests as the scheduler empties, instead
#: of queueing a full Request for each at once (a news sitemap index can list 100,000 URLs; a Request object
#: alone is ~0.9 KB). Only with Scrapy's own in-memory scheduler: with ``JOBDIR`` or a shared (Redis)
#: scheduler every request is queued at once, where it is persisted.
NEWSHARVEST_SITEMAP_BACKLOG = True
#: Pages bigger than this (bytes) are dropped as ``too_large`` without extraction.
NEWSHARVEST_MAX_PAGE_BYTES = 8 * 1024 * 1024
#: An article with fewer words than this after cleaning is dropped as ``empty``.
NEWSHARVEST_MIN_WORDS = 50
#: Characters of text given to the language detector, from the middle of the body: accuracy on 51 languages
#: reaches 100% at 400 (``benchmarks/bench_langid.py``); 600 leaves a margin and costs a third less than 1200.
NEWSHARVEST_LANGDETECT_CHARS = 600
#: Seed of langdetect's randomised profile search, so a page always gets the same language.
NEWSHARVEST_LANGDETECT_SEED = 0
#: Random trials langdetect averages (its own default is 7): 3 are as accurate on the eval texts at every
#: sample size from 100 to 600 characters and cost about 30% less (``benchmarks/bench_langid.py``).
NEWSHARVEST_LANGDETECT_TRIALS = 3
#: MinHash-LSH Jaccard threshold for near-duplicates (syndicated copies).
NEWSHARVEST_NEAR_DUP_THRESHOLD = 0.5
#: Articles per Parquet file before it is finalised and a new one started.
NEWSHARVEST_PARQUET_FILE_ROWS = 5000
#: Rows per Parquet row group.
NEWSHARVEST_PARQUET_ROW_GROUP = 1000
#: Seconds between two finalised Parquet files at most, so a long run makes its articles visible as it goes.
NEWSHARVEST_PARQUET_FLUSH_SECONDS = 300
#: Worker processes for extraction, cleaning and language detection (0 = inline in the Scrapy process;
#: None = one per available core).
NEWSHARVEST_WORKERS: int | None = None
#: Seconds between two returns of freed heap memory to the OS (``malloc_trim``, glibc only) in the crawl
#: process and, every ``NEWSHARVEST_TRIM_PAGES`` pages, in each worker; 0 disables both.
NEWSHARVEST_TRIM_INTERVAL = 5.0
NEWSHARVEST_TRIM_PAGES = 50
#: First threshold of Python's garbage collector in the crawl process while the spider runs (Python's own
#: default is 700: ~1 s of a 3,000-page crawl's CPU in collections); 0 leaves the collector alone.
NEWSHARVEST_GC_THRESHOLD = 20_000
#: Seconds between two progress lines in the log during a crawl (0 disables them).
NEWSHARVEST_PROGRESS_INTERVAL = 60
#: Write every fetched response to rotating gzip WARC files under ``OUTPUT/warc/``.
NEWSHARVEST_WARC = False
#: Size (bytes, compressed) after which a WARC file is finalised and a new one started (~1 GB, as CC-NEWS).
NEWSHARVEST_WARC_MAX_BYTES = 1_000_000_000
#: Identifier of this run, stamped on every row; generated when empty.
NEWSHARVEST_RUN_ID = ""

# -- scheduled runs (newsharvest.lock, .incremental, .manifest, .health; docs/CRON.md) -----------------------
#: Hold the exclusive lock ``OUTPUT/.lock`` for the whole crawl, so two writers never share an output.
NEWSHARVEST_LOCK = True
#: Skip article pages an earlier run already wrote (feeds, sitemaps and start pages are always re-read).
NEWSHARVEST_INCREMENTAL = True
#: Stored articles younger than this (hours since published, else since fetched) are re-checked with a
#: conditional request instead of skipped: news gets corrected in its first hours or days.
NEWSHARVEST_RECHECK_HOURS = 48.0
#: Source health: compare each source's articles seen with the median of this many previous finished runs.
NEWSHARVEST_HEALTH_HISTORY = 5
#: Source health: warn when a source saw fewer articles than this share of that median.
NEWSHARVEST_HEALTH_DROP_RATIO = 0.25
#: ``newsharvest compact``: merged files hold up to this many rows.
NEWSHARVEST_COMPACT_TARGET_ROWS = 200_000

# -- scale-out on Redis, when NEWSHARVEST_STATE is redis://... (newsharvest.scaleout; docs/SCALE_OUT.md) ----
#: Name of the shared crawl the workers join (queue, dupefilter); empty: the sources file's name and hash.
NEWSHARVEST_CRAWL_ID = ""
#: A worker stops once the shared request queue has stayed empty this long (others may still add to it).
NEWSHARVEST_IDLE_STOP_SECONDS = 30.0
#: Seconds between two requests to one host (host:port), shared by all workers (0 disables the shared limit).
NEWSHARVEST_HOST_DELAY = 0.5


def all_defaults() -> dict[str, object]:
    """The defaults above as a dict, for ``Settings.setdict``."""
    return {name: value for name, value in globals().items() if name.startswith("NEWSHARVEST_")}
