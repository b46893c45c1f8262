"""Every county and every deposit counts, through the CLI: counties created since 2016 load, retired
codes load with a warning naming their successor and roll up where they belonged; deposits whose
section has no deal yet count where their file says, else under 'unknown', and move to the deal's
region once it arrives. Known answers from the files, with Decimal."""

import csv
from decimal import Decimal

import duckdb
from conftest import csv_text, rows_of

from ggzy.cli import main
from ggzy.common.warehouse import snapshot_path

NEW_COUNTIES = {"330213": "奉化区", "330383": "龙港市", "370114": "章丘区", "610118": "鄠邑区",
                "510118": "新津区", "350112": "长乐区"}


def ggzy(home, *args: str) -> int:
    return main(["--home", str(home), *args])


def mart(home, sql: str) -> list[tuple]:
    with duckdb.connect(str(snapshot_path(home)), read_only=True) as con:
        return con.execute(sql).fetchall()


def kpi(home, month: str, columns: str, level: str, code: str) -> tuple:
    rows = mart(home, f"""select {columns} from marts.mart_kpi_monthly where month = '{month}'
                          and region_level = '{level}' and region_code = '{code}'""")
    return rows[0] if rows else ()


def file_total(path, column: str, where=lambda row: True) -> tuple[int, Decimal]:
    with path.open(encoding="utf-8") as f:
        amounts = [Decimal(row[column].replace(",", "")) for row in csv.DictReader(f) if where(row)]
    return len(amounts), sum(amounts, Decimal("0.00"))


def test_new_and_retired_county_codes_load_warn_and_roll_up(write, home, capsys):
    codes = [*NEW_COUNTIES, "330283", "330204"]
    amounts = [f"{1000 * (i + 1)}.00" for i in range(len(codes))]
    march = write("deals_2024-03.csv", csv_text(rows_of("deals", *(
        {"region_code": code, "budget_amount": amount, "deal_amount": amount, "savings_amount": "0.00"}
        for code, amount in zip(codes, amounts, strict=True)))))
    old = write("deals_2016-01.csv", csv_text(rows_of("deals", {
        "tender_project_code": "P2016", "region_code": "330283", "deal_date": "2016-01-15",
        "contract_sign_date": "2016-01-20",
        "budget_amount": "77.00", "deal_amount": "77.00", "savings_amount": "0.00"})))
    assert ggzy(home, "load", str(march), str(old)) == 0
    out = capsys.readouterr().out
    retired = [line for line in out.splitlines() if "[region_retired]" in line]
    assert len(retired) == 2, out  # not the six new counties, not 奉化市 in 2016
    assert "第 8 行 line 8" in retired[0] and "'330283'" in retired[0]
    assert "2016-11-01 → 330213 奉化区" in retired[0]
    assert "第 9 行 line 9" in retired[1]
    assert "→ 宁波市 330200 的现行区县之一 one of its current counties" in retired[1]

    assert ggzy(home, "build") == 0
    by_county = dict(mart(home, """select region_code, deal_amount from marts.mart_kpi_monthly
        where month = '2024-03-01' and region_level = 'county'"""))
    assert by_county == {code: Decimal(a) for code, a in zip(codes, amounts, strict=True)}
    # 奉化区 7,000 would be 1,000: 奉化区 1,000 + 奉化市 7,000 + 江东区 8,000 all roll up to 宁波市
    assert kpi(home, "2024-03-01", "deal_amount", "prefecture", "330200") == (Decimal("16000.00"),)
    assert kpi(home, "2024-03-01", "deal_amount", "prefecture", "330300") == (Decimal("2000.00"),)
    assert kpi(home, "2024-03-01", "deal_amount", "province", "330000") == (Decimal("18000.00"),)
    assert kpi(home, "2024-03-01", "deal_amount", "all", "000000") == (Decimal("36000.00"),)
    assert kpi(home, "2016-01-01", "deal_amount", "prefecture", "330200") == (Decimal("77.00"),)
    assert mart(home, """select name_zh, valid_to::varchar, successor_code from marts.dim_region
                         where region_code in ('330283', '330204') order by region_code""") == [
        ("江东区", "2016-12-01", None), ("奉化市", "2016-11-01", "330213")]


def test_deposits_before_their_deal_count_and_move_when_it_arrives(write, home, capsys):
    deals = write("deals_2024-03.csv", csv_text(rows_of("deals", {})))  # P1 / S1-0 in 330106
    security = {"行政区域代码": "", "交易类别": ""}
    securities = write("securities_2024-03.csv", csv_text(rows_of(
        "securities",
        {**security, "tender_project_code": "P1", "bid_section_code": "S1-0", "amount": "100.00"},
        {"tender_project_code": "LATER", "bid_section_code": "001", "行政区域代码": "330213",
         "交易类别": "土地", "amount": "500,000.00", "received_date": "2024-03-10"},
        {**security, "tender_project_code": "LATER", "bid_section_code": "002", "amount": "500000.00",
         "received_date": "2024-03-11"},
        {**security, "tender_project_code": "LATER", "bid_section_code": "002", "pay_form": "电子保函",
         "amount": "20000.00", "received_date": "2024-03-12"})))
    assert ggzy(home, "load", str(deals), str(securities)) == 0
    assert ggzy(home, "build") == 0
    n_cash, cash = file_total(securities, "amount", lambda row: row["pay_form"] == "cash")
    n_all, everything = file_total(securities, "amount")
    assert (n_cash, cash, n_all, everything) == (3, Decimal("1000100.00"), 4, Decimal("1020100.00"))

    flows = "n_received, amount_received, n_outstanding, amount_outstanding"
    assert kpi(home, "2024-03-01", flows, "all", "000000") == (n_cash, cash, n_cash, cash)
    assert kpi(home, "2024-03-01", flows, "county", "unknown") == (1, Decimal("500000.00"), 1,
                                                                   Decimal("500000.00"))
    assert kpi(home, "2024-03-01", flows, "county", "330213") == (1, Decimal("500000.00"), 1,
                                                                  Decimal("500000.00"))
    assert kpi(home, "2024-03-01", flows, "prefecture", "330200") == (1, Decimal("500000.00"), 1,
                                                                      Decimal("500000.00"))
    assert kpi(home, "2024-03-01", flows, "province", "330000") == (2, Decimal("500100.00"), 2,
                                                                    Decimal("500100.00"))
    assert mart(home, """select trade_category, amount_received from marts.mart_deposit_refunds
                         where region_code = '330213' and month = '2024-03-01'""") == [
        ("land", Decimal("500000.00"))]
    assert mart(home, """select sum(amount_total), sum(amount_guarantee)
                         from marts.mart_guarantee_substitution""") == [(everything, Decimal("20000.00"))]

    capsys.readouterr()  # a rate prints as the mart holds it, to 6 places: 20,000 / 1,020,100
    assert ggzy(home, "sql", "select substitution_rate from marts.mart_kpi_monthly "
                "where region_level = 'all' and month = '2024-03-01'", "--format", "csv") == 0
    assert capsys.readouterr().out == "\ufeffsubstitution_rate\r\n0.019606\r\n"
    assert ggzy(home, "status") == 0
    out = capsys.readouterr().out
    assert "sections with securities and no deal yet: 2 个标段 sections, 3 笔担保 securities" in out
    assert "LATER / 001: 1 笔 securities, 现金 cash 500,000.00, 最早递交 first received 2024-03-10" in out
    assert "LATER / 002: 2 笔 securities, 现金 cash 500,000.00, 最早递交 first received 2024-03-11" in out

    april = write("deals_2024-04.csv", csv_text(rows_of("deals", {
        "tender_project_code": "LATER", "bid_section_code": "002", "deal_date": "2024-04-08",
        "contract_sign_date": "2024-04-10"})))
    assert ggzy(home, "load", str(april)) == 0
    assert ggzy(home, "build") == 0
    assert kpi(home, "2024-03-01", flows, "all", "000000") == (n_cash, cash, n_cash, cash)
    assert kpi(home, "2024-03-01", flows, "county", "unknown") == ()
    assert kpi(home, "2024-03-01", flows, "county", "330106") == (2, Decimal("500100.00"), 2,
                                                                  Decimal("500100.00"))
    capsys.readouterr()
    assert ggzy(home, "status") == 0
    out = capsys.readouterr().out
    assert "LATER / 001" in out and "LATER / 002" not in out


def test_a_rejected_deals_file_says_its_securities_landed_without_it(write, home, capsys):
    deals = write("deals_2024-03.csv", csv_text(rows_of("deals", {"region_code": "999999"})))
    securities = write("securities_2024-03.csv", csv_text(rows_of("securities", {})))
    assert ggzy(home, "load", str(deals), str(securities)) == 1
    out = capsys.readouterr().out
    assert "✘ deals_2024-03.csv deals [2024-03]" in out and "✔ securities_2024-03.csv" in out
    assert ("note: securities_2024-03.csv landed but deals_2024-03.csv did not: securities whose "
            "section has no deal yet count under the region and category their file gives, else "
            "under 'unknown'") in out
