"""The second month of real use, through the CLI: corrected and re-sent files, re-saved
spreadsheets, re-tendered sections, securities corrected under their refunds. Every figure is
worked out from the files with Decimal; after every change, the incremental build equals a full
one (ggzy/ingest/load.py, ggzy/ingest/current.py, ggzy/ingest/settlements.py,
ggzy/ingest/history.py, ggzy/ingest/status.py)."""

import csv
import re
import shutil
from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from conftest import csv_text, fingerprint, marts_of, query, rows_of

from ggzy import sample
from ggzy.cli import main
from ggzy.common.warehouse import snapshot_path
from ggzy.serve.dashboard_queries import validation_warnings

DEAL_AMOUNT, STATUS, DATE, UNIT, SAVINGS = "成交金额", "交易状态", "成交日期", "金额单位", "节约金额"
SECTION, PROJECT = "标段（包）编号", "招标项目编号"


def ggzy(home: Path, capsys, *argv) -> tuple[int, str]:
    """Run a command; its exit code and all it printed (a refusal goes to stderr)."""
    code = main(["--home", str(home), *map(str, argv)])
    printed = capsys.readouterr()
    return code, printed.out + printed.err


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def write_rows(path: Path, rows: list[dict[str, str]]) -> Path:
    path.write_text(csv_text(rows), encoding="utf-8")
    return path


def yuan(row: dict[str, str], column: str) -> Decimal:
    return Decimal(row[column]) * (10_000 if row.get(UNIT) == "万元" else 1)


def deal_totals(*files: Path) -> dict[str, tuple[int, Decimal]]:
    """Month → (sections, deal amount of the concluded ones), as the files say."""
    totals: dict[str, list] = defaultdict(lambda: [0, Decimal("0.00")])
    for path in files:
        for row in read_rows(path):
            month = row[DATE][:7] + "-01"
            totals[month][0] += 1
            if row[STATUS] == "concluded":
                totals[month][1] += yuan(row, DEAL_AMOUNT)
    return {m: (n, amount) for m, (n, amount) in totals.items()}


def mart_totals(home: Path) -> dict[str, tuple[int, Decimal]]:
    rows = query_snapshot(home, """select month::varchar, sum(n_sections)::bigint, sum(deal_amount)
        from marts.mart_trading_volume group by 1""")
    return {m: (int(n), amount) for m, n, amount in rows}


def query_snapshot(home: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(snapshot_path(home)), read_only=True) as con:
        return con.execute(sql).fetchall()


def build_incrementally_and_in_full(home: Path, capsys, monkeypatch) -> None:
    """The build after a change publishes, and a full rebuild gives the same marts, row for row
    (both judged at the same day, even across midnight)."""
    monkeypatch.setenv("GGZY_AS_OF_DATE", f"{date.today()}")
    assert ggzy(home, capsys, "build")[0] == 0
    incremental = marts_of(home)
    assert ggzy(home, capsys, "build", "--full-refresh")[0] == 0
    assert marts_of(home) == incremental


@pytest.fixture(scope="module")
def january(tmp_path_factory):
    """January and February of the sample (100 sections a month), loaded and built."""
    folder = tmp_path_factory.mktemp("months")
    files = sample.generate(folder / "sample", months=2, scale=0.02)
    home = folder / "warehouse"
    assert main(["--home", str(home), "load", *map(str, files)]) == 0
    from ggzy.transform.build import build

    assert build(home).published
    return folder / "sample", home


@pytest.fixture
def month(january, tmp_path):
    """A copy of the built warehouse and of the sample files, for one test to change."""
    files, home = january
    shutil.copytree(home, tmp_path / "warehouse")
    shutil.copytree(files, tmp_path / "files")
    return tmp_path / "files", tmp_path / "warehouse"


def corrected_january(files: Path, out: Path) -> Path:
    """10 deal amounts changed (savings left empty), 2 sections removed, 3 added."""
    rows = read_rows(files / "deals_2024-01.csv")
    concluded = [r for r in rows if r[STATUS] == "concluded" and r[UNIT] != "万元"]
    for row in concluded[:10]:
        row[DEAL_AMOUNT], row[SAVINGS] = str(yuan(row, DEAL_AMOUNT) - Decimal("1234.56")), ""
    removed = {id(r) for r in concluded[-2:]}
    added = [{**r, SECTION: f"9{i:02d}"} for i, r in enumerate(concluded[10:13])]
    return write_rows(out, [r for r in rows if id(r) not in removed] + added)


def test_a_corrected_month_that_drops_rows_needs_replace_and_then_says_exactly_the_file(month, capsys,
                                                                                        monkeypatch):
    files, home = month
    corrected = corrected_january(files, files.parent / "deals_2024-01_v2.csv")
    n_before = len(read_rows(files / "deals_2024-01.csv"))

    code, out = ggzy(home, capsys, "load", corrected)
    assert code == 2
    assert "lacks 2 of them, which would stay current" in out
    assert (f"load #1 deals_2024-01.csv: {n_before:,} 行当前 current rows, "
            "本文件缺 2 行 not in this file") in out
    assert "--replace" in out and "--append" in out

    code, out = ggzy(home, capsys, "load", corrected, "--replace")
    assert code == 0
    assert (f"{n_before + 1:,} 行 rows: 10 行有改动 changed, {n_before - 12:,} 行未变 unchanged, "
            "3 行新增 added, 2 行撤下 withdrawn (--replace)") in out
    build_incrementally_and_in_full(home, capsys, monkeypatch)
    expected = deal_totals(corrected, files / "deals_2024-02.csv")
    assert mart_totals(home) == expected
    n_sections = sum(n for n, _ in expected.values())
    assert query_snapshot(home, "select count(*) from marts.fct_deals") == [(n_sections,)]
    # the warnings the dashboard and the report show are the current loads' (the corrected
    # January and February), not also those of the January the correction replaced whole
    single_bids = sum(row["投标人数"] == "1" for path in (corrected, files / "deals_2024-02.csv")
                      for row in read_rows(path))
    with duckdb.connect(str(snapshot_path(home)), read_only=True) as con:
        warned = validation_warnings(con).query("subject == 'deals' and rule == 'single_bid'")
    assert single_bids and warned.n_rows.tolist() == [single_bids]


def test_reloading_the_original_after_a_correction_is_a_real_load(month, capsys, monkeypatch):
    files, home = month
    original = files / "deals_2024-01.csv"
    assert ggzy(home, capsys, "load", corrected_january(files, files.parent / "deals_2024-01_v2.csv"),
                "--replace")[0] == 0

    code, out = ggzy(home, capsys, "load", original)  # it lacks the correction's 3 added sections
    assert code == 2 and "lacks 3 of them" in out and "nothing to do" not in out
    code, out = ggzy(home, capsys, "load", original, "--replace")
    assert code == 0 and "2 行新增 added, 3 行撤下 withdrawn" in out
    build_incrementally_and_in_full(home, capsys, monkeypatch)
    assert mart_totals(home) == deal_totals(original, files / "deals_2024-02.csv")
    code, out = ggzy(home, capsys, "load", original)  # now wholly current again: a no-op
    assert code == 0 and "identical to load #" in out and "nothing to do" in out


def test_a_month_resaved_without_leading_zeros_is_refused_with_the_likely_cause(month, capsys):
    files, home = month
    rows = read_rows(files / "deals_2024-01.csv")
    resaved = write_rows(files.parent / "deals_2024-01 (Excel).csv",
                         [{**r, SECTION: r[SECTION].lstrip("0")} for r in rows])
    before = fingerprint(home)
    code, out = ggzy(home, capsys, "load", resaved)
    assert code == 2
    assert ("none of this file's keys match the month's current rows, but the row counts "
            f"({len(rows)} / {len(rows)})") in out
    assert f"{len(rows)} rows match once leading zeros are ignored (1 vs 001)" in out
    assert fingerprint(home) == before


def test_a_section_that_failed_and_is_tendered_again_counts_in_both_months(home, write, capsys, monkeypatch):
    january = write("deals_2024-01.csv", csv_text(rows_of(
        "deals",
        {"deal_date": "2024-01-10", "contract_sign_date": "2024-01-12"},
        {"deal_status": "流标", "budget_amount": "", "deal_amount": "", "savings_amount": "",
         "deal_date": "2024-01-12", "contract_sign_date": "", "winner_code": ""})))
    february = write("deals_2024-02.csv", csv_text([
        {**rows_of("deals", {})[0], "bid_section_code": "S1-1", "budget_amount": "2000.00",
         "deal_amount": "1800.00", "savings_amount": "200.00", "deal_date": "2024-02-08",
         "contract_sign_date": "2024-02-09"},
        # S1-0 concluded in January: this is a correction that moves it to February
        {**rows_of("deals", {})[0], "deal_date": "2024-02-02", "contract_sign_date": "2024-02-05"}]))
    assert ggzy(home, capsys, "load", january)[0] == 0
    code, out = ggzy(home, capsys, "load", february)
    assert code == 0 and "1 行有改动 changed, 0 行未变 unchanged, 1 行新增 added" in out
    assert "第 3 行 line 3, 列 column deal_date, 值 value '2024-02-02'" in out
    assert ("it was: 2024-01, load #1, deal_date 2024-01-10, concluded, deal_amount 900.00 "
            "[moved_month]") in out
    build_incrementally_and_in_full(home, capsys, monkeypatch)
    assert query_snapshot(home, """select month::varchar, n_sections, n_concluded, n_failed, deal_amount
        from marts.mart_trading_volume order by 1""") == [
        ("2024-01-01", 1, 0, 1, Decimal("0.00")),
        ("2024-02-01", 2, 2, 0, Decimal("2700.00"))]
    assert query_snapshot(home, """select bid_section_code, attempt_month::varchar, deal_status
        from marts.fct_deals order by 1, 2""") == [
        ("S1-0", "2024-01-01", "concluded"), ("S1-1", "2024-01-01", "failed"),
        ("S1-1", "2024-02-01", "concluded")]


REFUND_LOADS = {"refunds_2024-01.csv": 5, "refunds_2024-02.csv": 6}  # as the fixture loaded them


def refunded_deposit(files: Path) -> tuple[dict[str, str], list[tuple[dict[str, str], int]], int]:
    """A cash deposit of January with refunds: (its row, its refunds with their loads, its line)."""
    securities = read_rows(files / "securities_2024-01.csv")
    refunds = [(r, load_id) for name, load_id in REFUND_LOADS.items() for r in read_rows(files / name)]
    for line, row in enumerate(securities, start=2):
        theirs = [(r, i) for r, i in refunds if r["保证金编号"] == row["保证金编号"]]
        if row["递交方式"] == "cash" and theirs:
            return row, theirs, line
    raise AssertionError("the sample has no refunded deposit")


def landed_id(out: str) -> int:
    return int(re.search(r"landed as load #(\d+),", out)[1])


def test_a_securities_correction_cannot_go_below_or_around_its_refunds(month, capsys, monkeypatch):
    files, home = month
    deposit, refunds, line = refunded_deposit(files)
    security_id = deposit["保证金编号"]
    settled = sum(Decimal(r["退还金额"]) for r, _ in refunds)
    described = ", ".join(f"{r['退还编号']} (load #{i})"
                          for r, i in sorted(refunds, key=lambda x: x[0]["退还编号"]))
    securities = read_rows(files / "securities_2024-01.csv")
    before = fingerprint(home)

    def corrected(name: str, column: str, value: str) -> Path:
        return write_rows(files.parent / name, [
            {**r, column: value} if r["保证金编号"] == security_id else r for r in securities])

    code, out = ggzy(home, capsys, "load", corrected("securities_2024-01_lower.csv", "金额", "100.00"))
    assert code == 1
    assert (f"第 {line} 行 line {line}, 列 column 金额, 值 value '100.00': 金额低于已退还的合计"
            f"（{security_id}: {described}, 合计 settled {settled}）") in out
    assert "[amount_below_settled]" in out
    code, out = ggzy(home, capsys, "load", corrected("securities_2024-01_e.csv", "递交方式", "电子保函"))
    assert code == 1 and "列 column 递交方式, 值 value 'e_guarantee'" in out
    assert "[settled_security_not_cash]" in out
    lacking = write_rows(files.parent / "securities_2024-01_v2.csv",
                         [r for r in securities if r["保证金编号"] != security_id])
    code, out = ggzy(home, capsys, "load", lacking, "--replace")
    assert code == 1 and f"值 value '{security_id}'" in out and "[settled_security_withdrawn]" in out
    assert fingerprint(home) == before

    # raised, then refunded in full in March: retracting the raise would leave it over-refunded
    raised = Decimal(deposit["金额"]) + 1000
    code, out = ggzy(home, capsys, "load", corrected("securities_2024-01_up.csv", "金额", str(raised)))
    assert code == 0
    raise_id = landed_id(out)
    extra = write_rows(files.parent / "refunds_2024-03.csv", [
        {**refunds[0][0], "退还编号": "EXTRA", "退还金额": str(raised - settled), "利息": "",
         "退还日期": "2024-03-01"}])
    code, out = ggzy(home, capsys, "load", extra)
    assert code == 0
    extra_id = landed_id(out)
    code, out = ggzy(home, capsys, "unload", raise_id)
    assert code == 2 and "[amount_below_settled]" in out and f"EXTRA (load #{extra_id})" in out
    build_incrementally_and_in_full(home, capsys, monkeypatch)
    assert query_snapshot(home, f"""select amount, outstanding_amount from marts.fct_securities
        where security_id = '{security_id}'""") == [(raised, Decimal("0.00"))]


def test_load_ids_are_printed_listed_and_explained(month, capsys):
    files, home = month
    code, out = ggzy(home, capsys, "load", corrected_january(files, files.parent / "deals_2024-01_v2.csv"),
                     "--replace")
    assert code == 0 and "landed as load #9," in out  # after two months of four kinds
    code, out = ggzy(home, capsys, "loads", "--period", "2024-01", "--kind", "deals")
    n = len(read_rows(files / "deals_2024-01.csv"))
    header, first, second = out.splitlines()
    assert first.split()[:9] == ["1", "deals_2024-01.csv", "deals", "2024-01", "normal", f"{n:,}",
                                 f"{n - 2 - (n - 2):,}", "0", "0"]
    assert second.split()[:9] == ["9", "deals_2024-01_v2.csv", "deals", "2024-01", "replace",
                                  f"{n + 1:,}", f"{n + 1:,}", f"{n - 2:,}", "2"]
    assert second.endswith("已入库 landed, 待构建 waiting for a build")
    with pytest.raises(SystemExit):
        main(["unload", "--help"])
    assert "ggzy loads lists them all" in " ".join(capsys.readouterr().out.split())


def test_status_counts_current_rows_and_says_what_waits_for_a_build(month, capsys):
    files, home = month
    ggzy(home, capsys, "load", corrected_january(files, files.parent / "deals_2024-01_v2.csv"), "--replace")
    code, out = ggzy(home, capsys, "status")
    n_january = len(read_rows(files / "deals_2024-01.csv")) + 1
    n_securities = len(read_rows(files / "securities_2024-01.csv"))
    n_refunds = len(read_rows(files / "refunds_2024-01.csv"))
    assert code == 0
    assert f"2024-01      {n_january:>14,}{n_securities:>14,}{n_refunds:>14,}" in out
    assert "待构建 waiting for a build (1 次入库 loads; ggzy build): #9 deals_2024-01_v2.csv" in out


def test_status_lists_a_failed_builds_findings_one_a_line_capped():
    from datetime import datetime

    from ggzy.ingest.status import _format_build

    problems = "\n".join(f"mart_x: rule_{i}" for i in range(14))
    text = _format_build((3, datetime(2026, 11, 22, 9, 30), "failed", "PASS=1", 0, problems))
    assert text.splitlines()[1:] == [f"    mart_x: rule_{i}" for i in range(10)] + [
        "    … 另有 4 条 more (meta.build_log.message)"]


def test_dry_run_checks_a_month_together_as_the_real_load_would(month, capsys):
    files, home = month
    march = sample.generate(files.parent / "march", months=1, scale=0.02, start=sample_start("2024-03"))
    before = fingerprint(home)
    code, out = ggzy(home, capsys, "load", "--dry-run", *march)
    assert code == 0, out
    assert out.count("校验通过 valid (dry run: 未入库 nothing landed)") == 4
    assert out.count("dry run: writing a scratch copy") == 4 and "入库 landing" not in out
    assert fingerprint(home) == before
    assert query(home, "select count(*) from meta.load_log")[0][0] == 8


def sample_start(text: str):
    from ggzy.ingest.load import parse_period

    return parse_period(text)
