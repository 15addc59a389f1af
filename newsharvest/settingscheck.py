"""Every ``NEWSHARVEST_*`` setting checked before the crawl starts.

A value that cannot work (``-s NEWSHARVEST_WORKERS=many``, a threshold of 2, a boolean spelt "yes") would
otherwise surface as a bare ``ValueError`` from whichever component reads it first, with no setting named, or
not at all until the end of a run. Here it stops the run before any fetch with the setting, where it was set,
what it holds and what it should hold: from the first add-on of a ``scrapy crawl`` (:class:`SettingsCheck`)
and from ``newsharvest crawl`` before it takes the output lock.

The expected kind of each setting is read from its default in :mod:`newsharvest.defaults` (a bool, a whole
number, a number, a list, text), so a new setting is checked without being listed here. Only the few with a
narrower range are named in ``_RANGES``.
"""

from __future__ import annotations

import math
import os
from typing import Any

from scrapy.settings import SETTINGS_PRIORITIES

from newsharvest import defaults
from newsharvest.config import ConfigError

#: Settings whose value must lie in a closed range (low, high), beyond "not negative".
_RANGES: dict[str, tuple[float, float]] = {
    "NEWSHARVEST_NEAR_DUP_THRESHOLD": (0.01, 1.0),  # a Jaccard similarity; 0 would call everything a copy
    "NEWSHARVEST_HEALTH_DROP_RATIO": (0.0, 1.0),
}
#: Settings that may be left unset (None or empty) although their default kind is a number.
_OPTIONAL_INT = {"NEWSHARVEST_WORKERS"}  # unset: one worker per available core

_BOOL_WORDS = {"0", "1", "true", "false"}


def where_set(settings: Any, name: str) -> str:
    """Where a setting's value comes from, in the words a user would look for it."""
    priority = settings.getpriority(name)
    level = next((key for key, value in SETTINGS_PRIORITIES.items() if value == priority), None)
    module = os.environ.get("SCRAPY_SETTINGS_MODULE", "newsharvest.settings")
    return {
        "cmdline": "command line (-s)",
        "spider": "spider custom_settings",
        "project": f"settings module {module}",
        "addon": "an add-on",
        "command": "the command's defaults",
    }.get(level or "", "newsharvest.defaults")


def _problem(name: str, value: Any, default: Any) -> str | None:
    """What is wrong with ``value`` for a setting whose default is ``default`` (None when it is fine)."""
    if isinstance(default, bool):
        if isinstance(value, bool) or str(value).strip().lower() in _BOOL_WORDS:
            return None
        return "expected True or False (or 1 / 0)"
    if name in _OPTIONAL_INT and value in (None, "", "None"):
        return None
    if isinstance(default, int) or name in _OPTIONAL_INT:
        try:
            number = value if isinstance(value, int) else _whole(value)
        except (TypeError, ValueError):
            extra = " (or unset for one per available core)" if name in _OPTIONAL_INT else ""
            return f"expected a whole number{extra}"
        return _out_of_range(name, number)
    if isinstance(default, float):
        try:
            number = float(value)
        except (TypeError, ValueError):
            return "expected a number"
        if not math.isfinite(number):
            return "expected a finite number"
        return _out_of_range(name, number)
    if isinstance(default, list):
        if isinstance(value, str | list | tuple):
            return None
        return "expected a list (or a comma-separated string)"
    if isinstance(default, str) and not isinstance(value, str):
        return "expected text"
    return None


def _whole(value: Any) -> int:
    """An int from ``"12"``, ``" 12 "`` or ``12.0``; ValueError for anything else (``"12.5"``, ``12.5``)."""
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(value)
        return int(value)
    return int(str(value).strip())


def _out_of_range(name: str, number: float) -> str | None:
    low, high = _RANGES.get(name, (0, math.inf))
    if low <= number <= high:
        return None
    return f"expected at least {low}" if high == math.inf else f"expected a value from {low} to {high}"


def check_settings(settings: Any) -> None:
    """Raise :class:`~newsharvest.config.ConfigError` (where, setting, problem) for the first bad setting."""
    for name, default in sorted(defaults.all_defaults().items()):
        value = settings.get(name)
        if value is None and default is None:
            continue
        problem = _problem(name, value, default)
        if problem is not None:
            raise ConfigError(where_set(settings, name), name, f"{problem}, got {value!r}")


class SettingsCheck:
    """Scrapy add-on, loaded first: :func:`check_settings` before the crawler, its components or any fetch."""

    @classmethod
    def update_pre_crawler_settings(cls, settings: Any) -> None:
        check_settings(settings)

    def update_settings(self, settings: Any) -> None:
        """Nothing to change: the add-on only checks."""
