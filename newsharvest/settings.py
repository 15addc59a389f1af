"""Scrapy settings of the newsharvest project.

The Scrapy settings here are chosen for polite, robust news crawling; the project's own ``NEWSHARVEST_*``
settings and their defaults live in :mod:`newsharvest.defaults`.
"""

from newsharvest import __version__
from newsharvest.defaults import all_defaults
from pipelines.memory import arrow_allocates_with_malloc

globals().update(all_defaults())

# Process set-up of the crawl, before anything loads pyarrow: its allocations go through malloc, whose
# freed memory the crawl gives back to the OS (pipelines.memory; 22 MB less peak RSS).
arrow_allocates_with_malloc()

BOT_NAME = "newsharvest"
SPIDER_MODULES = ["newsharvest.spiders"]
NEWSPIDER_MODULE = "newsharvest.spiders"

USER_AGENT = f"newsharvest/{__version__} (+https://github.com/newsharvest/newsharvest)"
ROBOTSTXT_OBEY = True

# Politeness: adapt to each site's latency, never hammer one host.
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 4.0
CONCURRENT_REQUESTS = 32
CONCURRENT_REQUESTS_PER_DOMAIN = 8
DOWNLOAD_DELAY = 0

# Robustness: bounded time, size, retries and redirects per page.
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 0
RETRY_ENABLED = True
RETRY_TIMES = 2
REDIRECT_MAX_TIMES = 10
# Let error responses reach the spider so they are recorded in the dropped ledger instead of vanishing.
HTTPERROR_ALLOW_ALL = True
# Outputs of one callback processed concurrently. Scrapy starts this many asyncio tasks per response; a page
# yields one item and its links, so the default 100 only costs CPU in the (single-threaded) Scrapy process.
CONCURRENT_ITEMS = 8
DEPTH_PRIORITY = 1  # breadth-first: section pages' articles before deep pagination

ITEM_PIPELINES = {
    "newsharvest.pipelines.ProcessPagePipeline": 100,
    "newsharvest.pipelines.WriteArticlesPipeline": 900,
}
# NEWSHARVEST_WARC: records responses before redirects are followed and bodies decoded (see newsharvest.warc).
DOWNLOADER_MIDDLEWARES = {
    "newsharvest.warc.WarcRecorder": 650,
    # Incremental crawling: skip / conditionally re-fetch stored articles, before robots (100) so a skipped
    # page costs nothing; per-source health counts on final responses (after retries, redirects, decoding).
    "newsharvest.incremental.IncrementalMiddleware": 50,
    "newsharvest.health.SourceHealthMiddleware": 60,
    # Scrapy's meta-refresh redirects, without decoding every page (newsharvest.metarefresh)
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "newsharvest.metarefresh.HeadMetaRefreshMiddleware": 580,
}
EXTENSIONS = {
    "newsharvest.lock.CrawlLock": 0,  # first: refuse to start before anything touches the output
    "newsharvest.extensions.CrawlSummary": 500,
    "newsharvest.extensions.ProgressLog": 510,
    "newsharvest.extensions.HeapTrim": 515,
    "newsharvest.extensions.CollectorThreshold": 516,
    "newsharvest.manifest.RunManifest": 520,
}
# First, every NEWSHARVEST_* value is checked (newsharvest.settingscheck). Scale-out: with
# NEWSHARVEST_STATE=redis://... shared frontier, state and politeness (docs/SCALE_OUT.md).
ADDONS = {
    "newsharvest.settingscheck.SettingsCheck": -1000,  # a bad NEWSHARVEST_* value stops the run here
    "newsharvest.scaleout.ScaleOut": 0,
}
LOG_FORMATTER = "newsharvest.logformatter.NewsLogFormatter"
LOG_LEVEL = "INFO"

REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"
# No consoles into a harvest that runs unattended from cron: Scrapy's telnet console, and Scrapy 2.19's remote
# control (an HTTP server on localhost that runs the Python code it is sent, with a job file in the user's
# profile directory).
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
