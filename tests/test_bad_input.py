"""The bad-input corpus, ``tests/data/bad/``: every file beside a TOML note saying what is wrong
with it and what the user must see. Each is loaded through the CLI into a copy of one seeded
warehouse: the exit code, the rule and lines on screen and in ``<file>.errors.csv`` are asserted,
and for a rejected file the raw tables and the load log are unchanged (their checksums and the
file's bytes)."""

import csv
import shutil
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import SECURITY, fingerprint, query, seed_warehouse

from ggzy.cli import main
from ggzy.common.findings import report_path

CORPUS = Path(__file__).parent / "data" / "bad"
CASES = sorted(CORPUS.glob("*.toml"))
CHECKED_TABLES = ("raw.deals", "raw.securities", "raw.refunds", "meta.load_log", "meta.validation_results")


def table_checksums(home: Path) -> dict[str, tuple]:
    return {table: query(home, f"""
        select count(*), md5(coalesce(string_agg(row_text, '|' order by row_text), ''))
        from (select cast(t as varchar) as row_text from {table} as t)""")[0] for table in CHECKED_TABLES}


@pytest.fixture(scope="module")
def seeded_home(tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("seeded") / "warehouse"
    seed_warehouse(home, home.parent / "seed")
    return home


def big_securities_file(path: Path, megabytes: int) -> int:
    """Valid securities rows up to ``megabytes``, then one whose amount is ``12,34.5``; returns
    the last line's number."""
    columns = list(SECURITY)
    row = {**SECURITY, "security_id": "{}"}
    template = ",".join(row[c] for c in columns) + "\n"
    line = 1
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write(",".join(columns) + "\n")
        while f.tell() < megabytes * 1_000_000:
            f.write("".join(template.format(f"BIG{line + i}") for i in range(10_000)))
            line += 10_000
        f.write(template.format("BIG-LAST").replace(",100.00,", ",\"12,34.5\","))
    return line + 1


def report_errors(path: Path) -> set[tuple[int | None, str]]:
    with report_path(path).open(encoding="utf-8-sig", newline="") as f:
        return {(int(r["line"]) if r["line"] else None, r["rule"]) for r in csv.DictReader(f)
                if r["severity"] == "error"}


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_each_bad_file_gets_its_answer_and_changes_nothing(case, seeded_home, tmp_path, capsys):
    expected = tomllib.loads(case.read_text(encoding="utf-8"))
    home = tmp_path / "warehouse"
    shutil.copytree(seeded_home, home)
    if "generate" in expected:
        path = tmp_path / "securities_2024-03_big.csv"
        last_line = big_securities_file(path, expected["megabytes"])
        expected["lines"] = [last_line if n == "last" else n for n in expected["lines"]]
    else:
        path = tmp_path / expected["file"]
        shutil.copyfile(CORPUS / expected["file"], path)
    before_bytes, before_tables = fingerprint(home), table_checksums(home)
    kind = ["--kind", expected["kind"]] if "kind" in expected else []

    # every file is one more file of the seeded month, beside its loads (--append)
    code = main(["--home", str(home), "load", str(path), "--append", *kind])

    out = capsys.readouterr().out
    assert code == expected["exit_code"], out
    if code == 0:
        assert f"✔ {path.name}" in out and "已入库 landed" in out
        budgets = {b for (b,) in query(home, "select budget_amount from raw.deals where load_id > 3")}
        assert budgets == {Decimal(expected["landed_budgets"])}
        return
    assert f"✘ {path.name}" in out and f"[{expected['rule']}]" in out, out
    for line in expected["lines"]:
        assert f"第 {line} 行 line {line}" in out, out
    errors = report_errors(path)
    assert {line for line, rule in errors if rule == expected["rule"]} == set(expected["lines"] or [None])
    if "report_value" in expected:
        assert expected["report_value"] in report_path(path).read_text(encoding="utf-8-sig")
    assert fingerprint(home) == before_bytes
    assert table_checksums(home) == before_tables


def test_the_corpus_has_a_note_for_every_file_and_thirty_cases():
    notes = [tomllib.loads(c.read_text(encoding="utf-8")) for c in CASES]
    assert {p.name for p in CORPUS.iterdir() if p.suffix == ".csv"} == {n.get("file") for n in notes} - {None}
    assert len(CASES) >= 30
    assert all({"what", "see", "exit_code"} <= note.keys() for note in notes)
