"""``newsharvest demo`` (what ``make demo`` runs): a real crawl of the demo sites and a summary."""

import subprocess
import sys
from pathlib import Path

import pandas as pd

from tests.crawl_helpers import REPO, env


def demo(output: Path) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "newsharvest.cli", "demo", "--output", str(output), "--hosts", "2"]
    return subprocess.run(cmd, cwd=REPO, env=env(), capture_output=True, text=True, timeout=180)


def test_demo_crawls_and_prints_a_summary(tmp_path: Path) -> None:
    result = demo(tmp_path / "out")
    assert result.returncode == 0, result.stderr[-3000:]
    articles = pd.read_parquet(tmp_path / "out" / "articles")
    assert f"Articles written: {len(articles)}" in result.stdout
    assert len(articles) > 20 and set(articles["language"]) == {"en"}
    assert "pd.read_parquet" in result.stdout and "not_article" in result.stdout
    # Run again: the demo starts from an empty dataset, so the figures are the same.
    again = demo(tmp_path / "out")
    assert again.returncode == 0 and f"Articles written: {len(articles)}" in again.stdout


def test_demo_never_deletes_real_crawl_data(tmp_path: Path) -> None:
    (tmp_path / "out" / "articles").mkdir(parents=True)
    (tmp_path / "out" / "articles" / "part-x.parquet").write_bytes(b"not the demo's")
    result = demo(tmp_path / "out")
    assert result.returncode != 0 and "--output" in result.stderr
    assert (tmp_path / "out" / "articles" / "part-x.parquet").exists()
