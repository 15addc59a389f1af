"""The bundled demo news sites: a deterministic generator with ground truth and a loopback web server.

Used by ``make demo``, the end-to-end tests, the extraction eval and the speed benchmark::

    from newsharvest.demo import demo_site
    with demo_site(tmp_path, hosts=3, articles_per_host=15) as (truth, server):
        crawl(truth.base_urls())            # http://127.0.0.1:PORT, http://127.0.0.2:PORT, ...
"""

from newsharvest.demo.server import DemoServer, demo_site, free_port, serve
from newsharvest.demo.sitegen import HostTruth, PageTruth, SiteTruth, generate_site, loopback_base_urls

__all__ = [
    "DemoServer",
    "HostTruth",
    "PageTruth",
    "SiteTruth",
    "demo_site",
    "free_port",
    "generate_site",
    "loopback_base_urls",
    "serve",
]
