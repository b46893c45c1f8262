"""``ggzy build`` end to end on sample data: dbt, mart suites, the snapshot and who can read it;
``ggzy sql`` on the snapshot (ggzy/transform/build.py, ggzy/serve/adhoc_sql.py,
ggzy/transform/mart_checks.py)."""

import csv
import json
import shutil
import subprocess
import sys
import textwrap
from datetime import date
from decimal import Decimal

import duckdb
import pytest
from conftest import land, marts_of, query

from ggzy import sample
from ggzy.cli import main
from ggzy.common.contract import BY_NAME
from ggzy.common.warehouse import database_path, snapshot_path
from ggzy.ingest.current import current_sql as latest_sql
from ggzy.ingest.load import load_files, unload
from ggzy.serve.adhoc_sql import format_result, run_query
from ggzy.transform.build import build, run_dbt


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Two sample months loaded, one load retracted, one file resubmitted, then built."""
    folder = tmp_path_factory.mktemp("build")
    home = folder / "warehouse"
    files = sample.generate(folder / "sample", months=2, scale=0.2)
    land(files, home)
    february = folder / "sample" / "deals_2024-02.csv"
    lines = february.read_text(encoding="utf-8").splitlines(keepends=True)
    resubmitted = folder / "deals_2024-02_v2.csv"  # the same month without its last 10 sections
    resubmitted.write_text("".join(lines[:-10]), encoding="utf-8")
    assert load_files([resubmitted], home)[0].status == "refused"
    assert load_files([resubmitted], home, mode="replace")[0].status == "landed"
    with duckdb.connect(str(database_path(home)), read_only=True) as con:
        (january_refunds,) = con.execute(
            "select load_id from meta.load_log where file_name = 'refunds_2024-01.csv'").fetchone()
    unload(january_refunds, home)
    outcome = build(home)
    assert outcome.published, outcome.problems
    return home, outcome


def test_sample_build_passes_every_test_and_suite_and_publishes(built):
    home, outcome = built
    assert outcome.dbt_summary.startswith("PASS=") and "ERROR" not in outcome.dbt_summary
    assert outcome.snapshot == snapshot_path(home)
    with duckdb.connect(str(snapshot_path(home)), read_only=True) as con:
        tables = {t for (t,) in con.execute(
            "select table_name from duckdb_tables() where schema_name = 'marts'").fetchall()}
        assert {"fct_deals", "fct_securities", "mart_trading_volume", "mart_savings", "mart_e_bidding",
                "mart_deposit_refunds", "mart_guarantee_substitution", "mart_kpi_monthly",
                "dim_region", "dim_trade_category"} <= tables
        assert con.execute("select status from meta.build_log").fetchall() == [("published",)]
        failed = con.execute("select suite, rule from meta.mart_validation_results "
                             "where not success and severity = 'error'").fetchall()
        assert failed == []
        assert not con.execute("select count(*) from duckdb_tables() where schema_name = 'raw'").fetchone()[0]
        views = dict(con.execute("select view_name, comment from duckdb_views() "
                                 "where schema_name = 'marts'").fetchall())
        assert {"mart_risk_flags", "mart_risk_evidence", "mart_risk_rollups"} <= set(views)
        assert views["mart_risk_flags"].startswith("风险预警 risk flags")
        [(n_sections,)] = con.execute("select count(*) from marts.fct_deals").fetchall()
        assert con.execute("select count(*) from marts.mart_risk_flags where indicator = 'single_bid'"
                           ).fetchall() == [(n_sections,)]  # the view reads the snapshot's own tables


def test_staging_agrees_with_the_loaders_idea_of_current_rows(built):
    home, _ = built
    with duckdb.connect(str(database_path(home)), read_only=True) as con:
        for kind in BY_NAME.values():
            key = ", ".join(kind.key)
            loader = con.execute(f"select {key}, load_id from ({latest_sql(kind)}) order by all").fetchall()
            dbt = con.execute(f"select {key}, load_id from staging.stg_{kind.name} order by all").fetchall()
            assert loader == dbt, kind.name
        retracted, resubmitted = con.execute("""select
            (select load_id from meta.load_log where retracted),
            (select load_id from meta.load_log where file_name = 'deals_2024-02_v2.csv')""").fetchone()
        retracted_rows = f"select count(*) from staging.stg_refunds where load_id = {retracted}"
        assert con.execute(retracted_rows).fetchone() == (0,)
        # the resubmission (--replace) is the whole of February: its last 10 sections are withdrawn
        by_load = con.execute("""select load_id, count(*) from staging.stg_deals
            where month(deal_date) = 2 group by 1""").fetchall()
        n_february = con.execute("select n_rows from meta.load_log where file_name = 'deals_2024-02.csv'"
                                 ).fetchone()[0]
        assert by_load == [(resubmitted, n_february - 10)]


def test_dbt_unit_tests_pass(built):
    """A build leaves dbt's unit tests (the models' code on fixed rows) to this test."""
    home, _ = built
    result = run_dbt(home, ["test", "--select", "test_type:unit"])
    assert result.success
    statuses = [(r.node.resource_type, str(r.status)) for r in result.result.results]
    assert len(statuses) >= 4 and set(statuses) == {("unit_test", "pass")}


def test_dbt_docs_generate_documents_every_mart_column(built):
    home, _ = built
    assert run_dbt(home, ["docs", "generate"]).success
    catalog = json.loads((home / "dbt" / "target" / "catalog.json").read_text(encoding="utf-8"))
    manifest = json.loads((home / "dbt" / "target" / "manifest.json").read_text(encoding="utf-8"))
    kpi = catalog["nodes"]["model.ggzy.mart_kpi_monthly"]["columns"]
    documented = manifest["nodes"]["model.ggzy.mart_kpi_monthly"]["columns"]
    assert set(kpi) == set(documented) and all(c["description"] for c in documented.values())


def test_a_reader_holding_the_snapshot_does_not_stop_the_next_build(built):
    home, first = built
    reader = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sys, duckdb
        con = duckdb.connect({str(snapshot_path(home))!r}, read_only=True)
        print(con.execute("select max(build_id) from meta.build_log").fetchone()[0], flush=True)
        sys.stdin.readline()
        print(con.execute("select max(build_id) from meta.build_log").fetchone()[0], flush=True)
        """)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert reader.stdout.readline().strip() == str(first.build_id)
        second = build(home)
        assert second.published, second.problems
        out, _ = reader.communicate("go\n", timeout=60)
    finally:
        reader.kill()
    assert out.strip() == str(first.build_id)  # the old snapshot, whole, until it reconnects
    with duckdb.connect(str(snapshot_path(home)), read_only=True) as con:
        assert con.execute("select max(build_id) from meta.build_log").fetchone()[0] == second.build_id


def test_a_failing_mart_suite_fails_the_build_and_keeps_the_snapshot(built, capsys):
    home, _ = built
    before = snapshot_path(home).read_bytes()
    with duckdb.connect(str(database_path(home))) as con:  # bypass the loader: a new load, a negative deposit
        new_load = con.execute("select max(load_id) + 1 from meta.load_log").fetchone()[0]
        con.execute("""insert into meta.load_log (load_id, file_name, sha256, kind, period, n_rows,
            n_replaced, n_warnings, status, loaded_at)
            values (?, 'x', 'x', 'securities', date '2024-01-01', 1, 0, 0, 'landed', now())""", [new_load])
        con.execute("""insert into raw.securities (load_id, source_file, line_number, security_id,
            tender_project_code, bid_section_code, bidder_code, security_kind, pay_form, amount,
            received_date)
            select ?, 'x', 2, 'NEGATIVE', tender_project_code, bid_section_code, 'B', 'bid',
                   'cash', -1000000000, received_date
            from raw.securities limit 1""", [new_load])
    try:
        assert main(["--home", str(home), "build"]) == 1
        out = capsys.readouterr().out
        assert "failed" in out and "not_negative" in out
        # the security and its load, then what to do: the loads since the last build, how to undo one
        assert ("mart_fct_securities: settled_within_amount (outstanding_amount) — 1 行 rows; "
                f"[security_id=NEGATIVE, load_id={new_load}] -1000000000.00") in out
        assert f"the rows above come from the loads since the last published build: #{new_load} x;" in out
        assert "ggzy unload N" in out
        assert snapshot_path(home).read_bytes() == before
        with duckdb.connect(str(database_path(home)), read_only=True) as con:
            status, message = con.execute(
                "select status, message from meta.build_log order by build_id desc limit 1").fetchone()
        assert status == "failed" and "amount_outstanding" in message
        assert main(["--home", str(home), "status"]) == 0
        out = capsys.readouterr().out
        assert "失败 failed" in out
        assert "\n    mart_deposit_refunds: not_negative (amount_outstanding)" in out  # one a line
    finally:
        with duckdb.connect(str(database_path(home))) as con:
            con.execute("delete from raw.securities where security_id = 'NEGATIVE'")
            con.execute("delete from meta.load_log where load_id = ?", [new_load])


def test_a_failing_dbt_test_fails_the_build_in_words_and_keeps_the_snapshot(built, tmp_path, capsys,
                                                                             monkeypatch):
    """Judged at a day inside the data, the outstanding deposits of the marts (events up to that
    day) and of fct_securities (every refund) disagree: the dbt test fails, the marts after it are
    skipped, and the build says which test, without going on to check marts it did not build."""
    home = tmp_path / "warehouse"
    shutil.copytree(built[0], home)
    before = snapshot_path(home).read_bytes()
    monkeypatch.setenv("GGZY_AS_OF_DATE", "2024-01-10")
    assert main(["--home", str(home), "build", "--full-refresh"]) == 1
    out = capsys.readouterr().out
    assert "failed" in out and "SKIPPED=" in out
    assert "\n    sums_equal_mart_deposit_refunds_amount_outstanding_" in out
    assert snapshot_path(home).read_bytes() == before


def test_sql_formats_exact_amounts(built, capsys):
    home, _ = built
    query = ("select region_level, count(*) as n, sum(deal_amount) as deal_amount "
             "from marts.mart_kpi_monthly group by 1 order by 1")
    assert main(["--home", str(home), "sql", query, "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["region_level"] for r in rows] == ["all", "county", "prefecture", "province"]
    # the same total at every level, as exact decimal text (a JSON number would go through a float)
    assert len({r["deal_amount"] for r in rows}) == 1
    assert Decimal(rows[0]["deal_amount"]).as_tuple().exponent == -2
    assert main(["--home", str(home), "sql", query, "--format", "csv"]) == 0
    out = capsys.readouterr().out  # for a spreadsheet: a BOM, CRLF line ends
    assert out.startswith("\ufeffregion_level,n,deal_amount\r\n") and out.endswith("\r\n")
    assert main(["--home", str(home), "sql", "select 1 as x, '=cmd()' as y", "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines()[1] == "1,'=cmd()"
    assert format_result(run_query(home, "from range(5)"), "table").splitlines()[0].strip() == "range"


def test_an_incremental_build_equals_a_full_rebuild(tmp_path, monkeypatch):
    """January built; then February and a corrected January deals file (20 sections lose their
    contract date: their deposits' due dates move) built from those loads alone: the same marts,
    row for row, as building everything again. A retraction makes the next build a full one."""
    home = tmp_path / "warehouse"
    files = sample.generate(tmp_path / "sample", months=2, scale=0.1)
    land([f for f in files if "2024-01" in f.name], home)
    assert build(home).full_refresh
    header, *rows = list(csv.reader((tmp_path / "sample" / "deals_2024-01.csv").open(encoding="utf-8")))
    signed = header.index("合同签订日期")
    for row in rows[:20]:
        row[signed] = ""
    corrected = tmp_path / "deals_2024-01_v2.csv"
    with corrected.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([header, *rows])
    land([f for f in files if "2024-02" in f.name] + [corrected], home)

    monkeypatch.setenv("GGZY_AS_OF_DATE", f"{date.today()}")  # the pair judged at the same day
    incremental = build(home)
    assert incremental.published and not incremental.full_refresh
    built_incrementally = marts_of(home)
    assert build(home, full_refresh=True).published
    assert marts_of(home) == built_incrementally

    unload(query(home, "select max(load_id) from meta.load_log")[0][0], home)
    assert build(home).full_refresh
