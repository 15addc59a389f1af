"""Loading and validating the sources file.

A crawl that starts on a broken config wastes a run and, from cron, fails silently; so every problem is found
before the first request and reported with the file, the key and what is wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from pipelines.language import SUPPORTED_LANGUAGES

TOP_LEVEL_KEYS = {"languages", "sources"}
SOURCE_KEYS = {"name", "feeds", "sitemaps", "start_urls", "allowed_domains", "link_depth", "languages"}
URL_KEYS = ("feeds", "sitemaps", "start_urls")
_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")


class ConfigError(ValueError):
    """A problem in the configuration: which file (or, for a setting, where it was set), which key, what is
    wrong. Raised for sources files here, and for settings by :mod:`newsharvest.settingscheck`."""

    def __init__(self, path: str | Path, key: str, problem: str) -> None:
        self.path, self.key, self.problem = str(path), key, problem
        super().__init__(f"{path}: {key}: {problem}")


@dataclass(frozen=True, slots=True)
class Source:
    """One news site (or group of sites) to crawl, as configured."""

    name: str
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    start_urls: tuple[str, ...] = ()
    allowed_domains: tuple[str, ...] = ()
    link_depth: int | None = None
    languages: tuple[str, ...] = ()

    @property
    def urls(self) -> tuple[str, ...]:
        return self.feeds + self.sitemaps + self.start_urls


@dataclass(frozen=True, slots=True)
class SourcesConfig:
    """The whole sources file."""

    path: str
    sources: tuple[Source, ...]
    languages: tuple[str, ...] = field(default=())


def _check_url(path: str, key: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(path, key, f"expected a URL string, got {value!r}")
    url = value.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise ConfigError(path, key, f"{url!r} is not an http(s) URL")
    if not parts.hostname:
        raise ConfigError(path, key, f"{url!r} has no host")
    try:
        parts.port  # noqa: B018 - raises on a non-numeric or out-of-range port
    except ValueError as exc:
        raise ConfigError(path, key, f"{url!r} has a bad port ({exc})") from None
    return url


def _str_list(path: str, key: str, value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list):
        raise ConfigError(path, key, f"expected a list, got {type(value).__name__}")
    return value


def check_languages(path: str, key: str, value: Any) -> tuple[str, ...]:
    """Validate a list of language codes against what the language detector can tell apart."""
    codes = []
    for i, code in enumerate(_str_list(path, key, value)):
        norm = str(code).strip().lower() if isinstance(code, str) else None
        if norm not in SUPPORTED_LANGUAGES:
            raise ConfigError(
                path,
                f"{key}[{i}]",
                f"unknown language code {code!r} (use ISO 639-1 codes that langdetect knows, "
                f"e.g. en, de, fr; known: {', '.join(sorted(SUPPORTED_LANGUAGES))})",
            )
        codes.append(norm)
    return tuple(codes)


def _parse_source(path: str, i: int, raw: Any, seen_names: set[str]) -> Source:
    where = f"sources[{i}]"
    if not isinstance(raw, dict):
        raise ConfigError(path, where, f"expected a mapping with name/feeds/sitemaps/start_urls, got {raw!r}")
    unknown = set(raw) - SOURCE_KEYS
    if unknown:
        raise ConfigError(
            path, f"{where}.{sorted(unknown)[0]}", f"unknown key (allowed: {', '.join(sorted(SOURCE_KEYS))})"
        )
    name = raw.get("name")
    if not isinstance(name, str) or not _NAME_RE.match(name):
        raise ConfigError(
            path, f"{where}.name", f"missing or invalid name {name!r} (letters, digits, '.', '_', '-')"
        )
    if name in seen_names:
        raise ConfigError(path, f"{where}.name", f"duplicate source name {name!r}")
    seen_names.add(name)
    urls = {
        key: tuple(
            _check_url(path, f"{where}.{key}[{j}]", u)
            for j, u in enumerate(_str_list(path, f"{where}.{key}", raw.get(key)))
        )
        for key in URL_KEYS
    }
    if not any(urls.values()):
        raise ConfigError(
            path, where, f"source {name!r} has no URL: give at least one of feeds, sitemaps, start_urls"
        )
    domains = _str_list(path, f"{where}.allowed_domains", raw.get("allowed_domains"))
    for j, dom in enumerate(domains):
        if not isinstance(dom, str) or not dom or "/" in dom or " " in dom:
            raise ConfigError(path, f"{where}.allowed_domains[{j}]", f"expected a host name, got {dom!r}")
    depth = raw.get("link_depth")
    if depth is not None and (not isinstance(depth, int) or isinstance(depth, bool) or depth < 0):
        raise ConfigError(path, f"{where}.link_depth", f"expected a whole number >= 0, got {depth!r}")
    return Source(
        name=name,
        feeds=urls["feeds"],
        sitemaps=urls["sitemaps"],
        start_urls=urls["start_urls"],
        allowed_domains=tuple(d.lower() for d in domains),
        link_depth=depth,
        languages=check_languages(path, f"{where}.languages", raw.get("languages")),
    )


def parse_sources(data: Any, path: str = "<sources>") -> SourcesConfig:
    """Validate an already-parsed YAML document."""
    if not isinstance(data, dict):
        raise ConfigError(path, "(top level)", "expected a mapping with a 'sources' list")
    unknown = set(data) - TOP_LEVEL_KEYS
    if unknown:
        raise ConfigError(
            path, sorted(unknown)[0], f"unknown key (allowed: {', '.join(sorted(TOP_LEVEL_KEYS))})"
        )
    raw_sources = data.get("sources")
    if not isinstance(raw_sources, list) or not raw_sources:
        raise ConfigError(path, "sources", "expected a non-empty list of sources")
    seen: set[str] = set()
    sources = tuple(_parse_source(path, i, raw, seen) for i, raw in enumerate(raw_sources))
    return SourcesConfig(
        path=path, sources=sources, languages=check_languages(path, "languages", data.get("languages"))
    )


def load_sources(path: str | Path) -> SourcesConfig:
    """Read and validate a sources file; raise :class:`ConfigError` naming the file, key and problem."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(p, "(file)", "file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(p, "(file)", f"cannot read: {exc}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(file)"
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(p, where, f"malformed YAML: {problem}") from None
    return parse_sources(data, str(p))
