"""The bundled demo news sites: a deterministic generator with ground truth and a loopback web server.

Used by ``make demo``, the end-to-end tests, the extraction eval and the speed benchmark::

    from newsharvest.demo import demo_site
    with demo_site(tmp_path, hosts=3, articles_per_host=15) as (truth, server):
        crawl(truth.base_urls())            # http://127.0.0.1:PORT, http://127.0.0.2:PORT, ...

Names are imported lazily, so ``python -m newsharvest.demo.server`` does not import the server module twice.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "DemoServer": "server",
    "demo_site": "server",
    "free_port": "server",
    "serve": "server",
    "HostTruth": "sitegen",
    "PageTruth": "sitegen",
    "SiteTruth": "sitegen",
    "generate_site": "sitegen",
    "loopback_base_urls": "sitegen",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
