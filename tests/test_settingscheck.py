"""A bad NEWSHARVEST_* value stops the run before any fetch, naming the setting, where it was set and why."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from crawl_helpers import run_crawl, run_scrapy_crawl, site, write_sources
from scrapy.settings import Settings

from newsharvest import defaults
from newsharvest.config import ConfigError
from newsharvest.settingscheck import check_settings


def project_settings(**overrides: Any) -> Settings:
    settings = Settings(defaults.all_defaults())
    settings.setdict(overrides, priority="cmdline")
    return settings


def test_the_defaults_pass() -> None:
    check_settings(project_settings())


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("NEWSHARVEST_WORKERS", "0"),
        ("NEWSHARVEST_WORKERS", "3"),
        ("NEWSHARVEST_WORKERS", ""),  # unset: one per core
        ("NEWSHARVEST_MIN_WORDS", " 12 "),
        ("NEWSHARVEST_MIN_WORDS", 12.0),
        ("NEWSHARVEST_NEAR_DUP_THRESHOLD", "0.7"),
        ("NEWSHARVEST_TRIM_INTERVAL", "0"),
        ("NEWSHARVEST_INCREMENTAL", "false"),
        ("NEWSHARVEST_WARC", "1"),
        ("NEWSHARVEST_LANGUAGES", "en,de"),
        ("NEWSHARVEST_STATE", "redis://127.0.0.1:6379/0"),
    ],
)
def test_values_that_work_pass(name: str, value: Any) -> None:
    check_settings(project_settings(**{name: value}))


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("NEWSHARVEST_WORKERS", "many", "expected a whole number (or unset for one per available core)"),
        ("NEWSHARVEST_WORKERS", "-2", "expected at least 0"),
        ("NEWSHARVEST_MIN_WORDS", "5.5", "expected a whole number"),
        ("NEWSHARVEST_PARQUET_FILE_ROWS", "lots", "expected a whole number"),
        ("NEWSHARVEST_NEAR_DUP_THRESHOLD", "2", "expected a value from 0.01 to 1.0"),
        ("NEWSHARVEST_HEALTH_DROP_RATIO", "-0.5", "expected a value from 0.0 to 1.0"),
        ("NEWSHARVEST_TRIM_INTERVAL", "nan", "expected a finite number"),
        ("NEWSHARVEST_HOST_DELAY", "fast", "expected a number"),
        ("NEWSHARVEST_INCREMENTAL", "yes", "expected True or False"),
        ("NEWSHARVEST_LANGUAGES", 5, "expected a list"),
    ],
)
def test_bad_values_name_the_setting_where_and_why(name: str, value: Any, expected: str) -> None:
    with pytest.raises(ConfigError) as raised:
        check_settings(project_settings(**{name: value}))
    error = raised.value
    assert (error.path, error.key) == ("command line (-s)", name)
    assert expected in error.problem and repr(value) in error.problem


def test_a_bad_value_in_the_settings_module_names_the_module() -> None:
    settings = project_settings()
    settings.set("NEWSHARVEST_MIN_WORDS", "fifty", priority="project")
    with pytest.raises(
        ConfigError, match=r"settings module .*: NEWSHARVEST_MIN_WORDS: expected a whole number"
    ):
        check_settings(settings)


def test_scrapy_crawl_and_newsharvest_crawl_stop_before_any_fetch(tmp_path: Path) -> None:
    # Both entry points, against a real site on loopback: exit status, one clear line, nothing fetched.
    with site(tmp_path / "site") as (truth, server):
        sources = write_sources(tmp_path / "sources.yaml", truth.hosts[0].base_url)
        before = len(server.requests)

        scrapy = run_scrapy_crawl(sources, tmp_path / "out1", settings={"NEWSHARVEST_WORKERS": "many"})
        assert scrapy.returncode != 0
        assert "command line (-s): NEWSHARVEST_WORKERS: expected a whole number" in scrapy.stderr
        assert "Crawled (" not in scrapy.stderr
        assert not (tmp_path / "out1" / "articles").exists()

        cron = run_crawl(sources, tmp_path / "out2", settings={"NEWSHARVEST_NEAR_DUP_THRESHOLD": "1.5"})
        assert cron.returncode == 2
        line = cron.stderr.strip()
        assert line == (
            "error: command line (-s): NEWSHARVEST_NEAR_DUP_THRESHOLD: expected a value from 0.01 to 1.0, got '1.5'"
        )
        assert len(server.requests) == before
        assert not (tmp_path / "out2").exists()


def test_newsharvest_process_and_compact_check_their_settings_too(tmp_path: Path) -> None:
    from crawl_helpers import REPO, env

    process = subprocess.run(
        [sys.executable, "-m", "newsharvest.cli", "process", str(tmp_path / "none.warc.gz"),
         "--output", str(tmp_path / "out"), "-s", "NEWSHARVEST_PARQUET_ROW_GROUP=big"],
        cwd=REPO, env=env(), capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert process.returncode == 2
    assert "command line (-s): NEWSHARVEST_PARQUET_ROW_GROUP: expected a whole number" in process.stderr
    assert not (tmp_path / "out").exists()

    # compact takes no -s: a project settings module with a bad value, named in the message
    (tmp_path / "badsettings.py").write_text(
        "from newsharvest.settings import *  # noqa: F403\nNEWSHARVEST_COMPACT_TARGET_ROWS = 'lots'\n"
    )
    module_env = {**env(), "SCRAPY_SETTINGS_MODULE": "badsettings"}
    module_env["PYTHONPATH"] = str(tmp_path) + os.pathsep + module_env["PYTHONPATH"]
    compact = subprocess.run(
        [sys.executable, "-m", "newsharvest.cli", "compact", "--output", str(tmp_path / "out")],
        cwd=REPO, env=module_env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert compact.returncode == 2
    line = compact.stderr.strip()
    assert line.startswith(
        "error: settings module badsettings: NEWSHARVEST_COMPACT_TARGET_ROWS: expected a whole"
    )
    assert not (tmp_path / "out").exists()
