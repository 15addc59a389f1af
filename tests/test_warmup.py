"""The fork server's warm-up: dateparser's locales for common dates, not all of them."""

from __future__ import annotations

import subprocess
import sys

from tests.crawl_helpers import REPO, env

PROBE = """
from dateparser.languages.loader import default_loader
import pipelines.warmup as w
from htmldate.extractors import get_external_parser
loaded = len(default_loader._loaded_locales)
read = [get_external_parser().get_date_data(d)["date_obj"] is not None for d in w._COMMON_DATES]
nothing_more = len(default_loader._loaded_locales) == loaded
get_external_parser().get_date_data("0 zzz 2000")  # matches no locale: loads them all
print(loaded, len(default_loader._loaded_locales), all(read), nothing_more)
"""


def test_warm_up_loads_the_locales_common_dates_need_and_not_the_rest() -> None:
    out = subprocess.run([sys.executable, "-c", PROBE], cwd=REPO, env=env(), capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-2000:]
    loaded, available, all_read, nothing_more = out.stdout.split()
    assert all_read == "True" and nothing_more == "True"  # every common date is read with what was loaded
    assert 0 < int(loaded) < int(available) // 4, (loaded, available)
