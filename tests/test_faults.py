"""A power cut or a killed process (kill -9) in the middle of a load or a build loses nothing:
the warehouse opens, every load in it is whole, loading and building again give the same marts as
an uninterrupted run, and the snapshot stays the last good one. Kill points are drawn per seed
from the lines an uninterrupted run prints (its progress), plus a short random delay."""

import random
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import land, marts_of, query

from ggzy import sample
from ggzy.common.warehouse import snapshot_path
from ggzy.transform.build import build

SEEDS = [1, 2, 3]


def ggzy(home: Path, *argv: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-u", "-m", "ggzy", "--home", str(home), *argv],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def finish(home: Path, *argv: str) -> list[str]:
    process = ggzy(home, *argv)
    lines = process.stdout.readlines()
    assert process.wait() == 0, "".join(lines)
    return lines


def kill_partway(home: Path, argv: list[str], transcript: list[str], seed: int) -> str:
    """Run ``ggzy argv`` and kill -9 it after a seeded number of the lines it prints (up to its
    last progress line), and a little; say where."""
    rng = random.Random(seed)
    last_progress = max(i for i, line in enumerate(transcript) if line.rstrip().endswith("…"))
    after = rng.randrange(last_progress + 1)  # then the work is done and only the report is printed
    process = ggzy(home, *argv)
    seen = [process.stdout.readline() for _ in range(after + 1)]
    time.sleep(rng.uniform(0, 0.3))
    process.kill()
    code = process.wait()
    return f"killed (exit {code}) after line {after + 1}: {seen[-1].strip()!r}"


@dataclass
class Scenario:
    built: Path  # January loaded and built: the last good snapshot
    loaded: Path  # and February loaded, not yet built
    february: list[str]
    load_transcript: list[str]
    build_transcript: list[str]
    marts: dict  # the marts after loading February and building, uninterrupted


@pytest.fixture(scope="module")
def scenario(tmp_path_factory) -> Scenario:
    folder = tmp_path_factory.mktemp("faults")
    files = sample.generate(folder / "sample", months=2, scale=0.2)
    built, loaded, reference = folder / "built", folder / "loaded", folder / "reference"
    land([f for f in files if "2024-01" in f.name], built)
    assert build(built).published
    february = [str(f) for f in files if "2024-02" in f.name]
    shutil.copytree(built, reference)
    load_transcript = finish(reference, "load", *february)
    shutil.copytree(reference, loaded)
    build_transcript = finish(reference, "build")
    return Scenario(built, loaded, february, load_transcript, build_transcript, marts_of(reference))


def every_load_is_whole(home: Path) -> None:
    counts = query(home, """
        with landed as (
            select load_id, count(*) as n from raw.deals group by 1
            union all select load_id, count(*) from raw.securities group by 1
            union all select load_id, count(*) from raw.refunds group by 1
            union all select load_id, count(*) from raw.bids group by 1
        )
        select coalesce(l.load_id, r.load_id), l.n_rows, r.n
        from meta.load_log as l full join landed as r on l.load_id = r.load_id""")
    assert all(n_rows == n for _, n_rows, n in counts), counts


@pytest.mark.parametrize("seed", SEEDS)
def test_a_killed_load_leaves_whole_loads_and_the_next_run_completes(scenario, seed, tmp_path):
    home = tmp_path / "warehouse"
    shutil.copytree(scenario.built, home)
    snapshot = snapshot_path(home).read_bytes()

    where = kill_partway(home, ["load", *scenario.february], scenario.load_transcript, seed)

    every_load_is_whole(home)
    assert snapshot_path(home).read_bytes() == snapshot, where
    finish(home, "load", *scenario.february)
    every_load_is_whole(home)
    finish(home, "build")
    assert marts_of(home) == scenario.marts, where


@pytest.mark.parametrize("seed", SEEDS)
def test_a_killed_build_keeps_the_last_good_snapshot_and_the_next_build_completes(scenario, seed, tmp_path):
    home = tmp_path / "warehouse"
    shutil.copytree(scenario.loaded, home)
    snapshot = snapshot_path(home).read_bytes()

    where = kill_partway(home, ["build"], scenario.build_transcript, seed)

    # the previous snapshot, byte for byte, unless the kill came after the new one was in place
    assert snapshot_path(home).read_bytes() == snapshot or marts_of(home) == scenario.marts, where
    finish(home, "build")
    assert marts_of(home) == scenario.marts, where
    assert not list(home.glob(".snapshot*.new")), where
