"""The run manifest: ``OUTDIR/runs/<run_id>.json``, what one run did, for people and for monitoring.

Written by the :class:`RunManifest` extension when the spider closes (after the item pipelines finalised their
files), atomically (temporary name, fsync, rename), so a monitoring script or the next run's health check
never reads half a manifest. The same manifests are the history the source-health check compares against.

Format (every timestamp UTC ISO 8601; every path relative to OUTDIR)::

    {"run_id", "started", "ended", "status": "finished" | "failed", "reason", "close_reason",
     "totals": {"pages_fetched", "articles_written", "articles_updated", "skipped", "dropped": {reason: n}},
     "sources": {name: {"pages_fetched", "pages_ok", "articles_written", "articles_seen", "skipped",
                        "rechecked", "not_modified", "dropped": {reason: n}, "errors", "blocked",
                        "blocked_urls", "warnings": [...]}},
     "files": {"articles": [...], "dropped": [...]}, "warnings": [...]}
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
from pathlib import Path
from typing import Any

from scrapy import signals

from newsharvest import __version__
from newsharvest.extensions import summarise
from newsharvest.health import blocked_warning, load_history, volume_warning
from newsharvest.runtime import runtime

logger = logging.getLogger(__name__)

#: Scrapy close reasons that end a run normally (a configured CLOSESPIDER_* limit is a normal end).
_NORMAL_CLOSE = {"finished", "closespider_timeout", "closespider_itemcount", "closespider_pagecount"}


def utc_iso(value: dt.datetime | None = None) -> str:
    value = value or dt.datetime.now(dt.UTC)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).isoformat(timespec="seconds")


def manifest_path(output: Path, run_id: str) -> Path:
    return Path(output) / "runs" / f"{run_id}.json"


def write_manifest(output: Path, manifest: dict[str, Any]) -> Path:
    """Write ``manifest`` atomically to ``OUTDIR/runs/<run_id>.json``: readers see the old file or the new."""
    path = manifest_path(output, manifest["run_id"])
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(manifest, fh, indent=2, ensure_ascii=False, sort_keys=False, default=str)
        fh.write("\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    return path


def read_manifest(output: Path, run_id: str) -> dict[str, Any] | None:
    try:
        return json.loads(manifest_path(output, run_id).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def failed_manifest(run_id: str, started: str, reason: str) -> dict[str, Any]:
    """A manifest for a run that died before its spider closed (written by ``newsharvest crawl``)."""
    return {
        "run_id": run_id, "newsharvest_version": __version__, "started": started, "ended": utc_iso(),
        "status": "failed", "reason": reason, "close_reason": None, "totals": {}, "sources": {},
        "files": {"articles": [], "dropped": []}, "warnings": [],
    }  # fmt: skip


def _relative(paths: list[Path], output: Path) -> list[str]:
    out = []
    for path in paths:
        try:
            out.append(str(Path(path).relative_to(output)))
        except ValueError:
            out.append(str(path))
    return out


def find_flow(crawler: Any) -> Any:
    """The crawl's ArticleFlow: from the runtime, else from the item pipeline that owns it."""
    flow = runtime(crawler).flow
    if flow is not None:
        return flow
    engine = getattr(crawler, "engine", None)
    itemproc = getattr(getattr(engine, "scraper", None), "itemproc", None)
    for pipeline in getattr(itemproc, "middlewares", ()):
        if getattr(pipeline, "flow", None) is not None:
            return pipeline.flow
    return None


def source_entry(name: str, stats: dict[str, Any], summary: dict[str, Any]) -> dict[str, Any]:
    """The manifest entry of one source, from the flat stats and the crawl summary."""
    prefix = f"newsharvest/source/{name}/"
    entry = summary["sources"].get(name, {})
    dropped = dict(sorted(entry.get("dropped", {}).items()))
    written = int(entry.get("written", 0))
    skipped = int(stats.get(prefix + "skipped", 0))
    return {
        "pages_fetched": int(stats.get(prefix + "fetched", 0)),
        "pages_ok": int(stats.get(prefix + "ok", 0)),
        "articles_written": written,
        # Articles the source offered this run, whether new or already held: the health measure.
        "articles_seen": written + skipped + dropped.get("unchanged", 0) + dropped.get("duplicate", 0),
        "skipped": skipped,
        "rechecked": int(stats.get(prefix + "rechecked", 0)),
        "not_modified": int(stats.get(prefix + "not_modified", 0)),
        "dropped": dropped,
        "errors": int(entry.get("errors", 0)),
        "blocked": int(stats.get(prefix + "blocked", 0)),
        "blocked_urls": list(stats.get(prefix + "blocked_urls", []) or []),
        "warnings": [],
    }


class RunManifest:
    """Scrapy extension: write the run manifest when the spider closes, with the source-health warnings."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.manifest: dict[str, Any] | None = None
        self.path: Path | None = None
        self.started = utc_iso()
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Any) -> RunManifest:
        return cls(crawler)

    def spider_closed(self, spider: Any, reason: str) -> None:
        rt = runtime(self.crawler)
        manifest = self.build(spider, reason)
        self.path = write_manifest(rt.output, manifest)
        self.manifest = manifest
        for warning in manifest["warnings"]:
            logger.warning(warning)
        if manifest["status"] != "finished":
            logger.error("Run %s failed: %s", manifest["run_id"], manifest["reason"])
        logger.info("Run manifest written to %s", self.path)

    def build(self, spider: Any, reason: str) -> dict[str, Any]:
        rt, settings = runtime(self.crawler), self.crawler.settings
        stats = self.crawler.stats.get_stats()
        summary = summarise(stats)
        configured = [s.name for s in getattr(getattr(spider, "config", None), "sources", ())]
        names = list(dict.fromkeys([*configured, *summary["sources"]]))
        sources = {name: source_entry(name, stats, summary) for name in names}

        history = load_history(rt.output / "runs", exclude=rt.run_id)
        runs = settings.getint("NEWSHARVEST_HEALTH_HISTORY", 5)
        ratio = settings.getfloat("NEWSHARVEST_HEALTH_DROP_RATIO", 0.25)
        warnings: list[str] = []
        for name, entry in sources.items():
            found = [
                volume_warning(name, entry["articles_seen"], history, runs=runs, ratio=ratio),
                blocked_warning(name, entry["blocked"], entry["pages_fetched"], entry["blocked_urls"]),
            ]
            entry["warnings"] = [w for w in found if w]
            warnings.extend(entry["warnings"])

        status, why = "finished", reason
        if reason not in _NORMAL_CLOSE:
            status, why = "failed", f"interrupted ({reason})" if reason == "shutdown" else reason
        elif sources and not any(entry["pages_ok"] for entry in sources.values()):
            status, why = "failed", "no source reachable"

        flow = find_flow(self.crawler)
        files: dict[str, list[str]] = {"articles": [], "dropped": []}
        if flow is not None:
            files["articles"] = _relative(flow.articles.files_written, rt.output)
            files["dropped"] = _relative(flow.dropped.files_written, rt.output)
        start = stats.get("start_time")
        return {
            "run_id": rt.run_id,
            "newsharvest_version": __version__,
            "started": utc_iso(start) if isinstance(start, dt.datetime) else self.started,
            "ended": utc_iso(),
            "status": status,
            "reason": why,
            "close_reason": reason,
            "totals": {
                "pages_fetched": summary["pages_fetched"],
                "articles_written": summary["articles_written"],
                "articles_updated": summary["articles_updated"],
                "skipped": int(stats.get("newsharvest/incremental/skipped", 0)),
                "dropped": summary["dropped"],
            },
            "sources": sources,
            "files": files,
            "warnings": warnings,
        }
