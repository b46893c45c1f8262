"""The benchmark still runs (tiny size, a smoke test; timings are printed, never asserted), and
ggzy's marts agree with the hand-written DuckDB floor to the fen."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench" / "run.py"


def test_bench_runs_at_tiny_size_and_agrees_with_the_floor(tmp_path):
    command = [sys.executable, str(BENCH), "--size", "tiny", "--data", str(tmp_path / "data"),
               "--results", str(tmp_path / "results"), "--memory", "1GB"]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    (written,) = (tmp_path / "results").glob("*-tiny-memory-1GB.json")
    report = json.loads(written.read_text(encoding="utf-8"))
    assert report["floor"]["deal_amount"] == report["ggzy"]["deal_amount"]
    assert report["memory"] == "1GB"
    assert set(report["ggzy"]["stages"]) == set(report["ggzy"]["peak_raised_mb"]) == {
        "load.decode", "load.parse", "load.normalise", "load.validate", "load.checks", "load.land",
        "build.dbt", "build.suites", "build.publish"}
    assert 0 < sum(report["ggzy"]["peak_raised_mb"].values()) <= report["ggzy"]["rss_mb"]
    dbt = report["ggzy"]["dbt"]
    assert dbt["run"] + dbt["before_run"] == pytest.approx(report["ggzy"]["stages"]["build.dbt"])
    assert len(dbt["slowest"]) == 6 and f"slowest: {next(iter(dbt['slowest']))}" in report["table"]
    assert len(report["queries"]["queries"]) == 10 and "pandas baseline" in report["table"]
    ggzy, floor = report["ggzy"], report["floor"]
    assert report["ratio_to_floor"] == (ggzy["load_seconds"] + ggzy["build_seconds"]) / floor["seconds"]
    assert report["targets"] == []  # #17's targets are for city, province and nation


def test_ocds_bench_runs_and_the_warehouse_agrees_with_its_generator(tmp_path):
    """bench/ocds.py on 200 generated releases: every lot a deal, their amounts to the fen."""
    command = [sys.executable, str(BENCH.with_name("ocds.py")), "--releases", "200",
               "--data", str(tmp_path / "data"), "--results", str(tmp_path / "results")]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    (written,) = (tmp_path / "results").glob("*-ocds-200.json")
    report = json.loads(written.read_text(encoding="utf-8"))
    assert report["deals"] == report["expected"]["deals"] > 200
    assert report["deal_amount"] == report["expected"]["deal_amount"]
    assert report["load_seconds"] > 0 and report["peak_mb"] >= report["load_peak_mb"] > 0
