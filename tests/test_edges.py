"""The edges real months reach (issue: no silent wrong figure at the edges), each through the
command line with the figure worked out from the file by hand."""

import csv
import io
from datetime import date
from decimal import Decimal

import duckdb
import openpyxl
from conftest import DEAL, REFUND, SECURITY, csv_text, fingerprint, query, rows_of, snapshot_query

from ggzy.cli import main
from ggzy.common.warehouse import database_path, snapshot_path
from ggzy.report.report import monthly_report


def _deal_amounts(path) -> Decimal:
    rows = csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8").replace("\r\n", "\n")))
    return sum((Decimal(r["deal_amount"]) for r in rows if r["deal_amount"]), Decimal("0"))


def test_a_file_mixing_crlf_and_lf_line_endings_loads_with_its_line_numbers(write, home, capsys):
    rows = rows_of("deals", *({"deal_amount": str(Decimal("900.00") + Decimal("1.01") * i),
                                      "savings_amount": str(Decimal("100.00") - Decimal("1.01") * i)}
                                     for i in range(5)),
                   {"bidder_count": "1"})
    lines = csv_text(rows).split("\n")
    lines[2] += "\r"  # the second data row ends in CRLF, the rest in LF
    lines[4] += "\r"
    deals = write("deals_2024-03.csv", "\n".join(lines))
    assert main(["--home", str(home), "load", str(deals)]) == 0
    said = capsys.readouterr()
    out = said.out
    assert "第 7 行 line 7" in out and "single_bid" in out  # the single bid, on its own line
    assert "规范化 normalising 6 行 rows" in said.err
    assert "入库 landing deals_2024-03.csv, 6 行 rows" in said.err
    assert query(home, "select sum(deal_amount), count(*) from raw.deals") == [
        (_deal_amounts(deals), 6)]
    assert _deal_amounts(deals) == Decimal("5410.10")  # 900.00 + 901.01 + … + 904.04 + 900.00


def _kpi(home, columns: str, month: str = "2024-03-01") -> tuple:
    """The all-regions, all-categories row of mart_kpi_monthly in the published snapshot."""
    return snapshot_query(home, f"""select {columns} from marts.mart_kpi_monthly
        where region_level = 'all' and month = '{month}'""")[0]


def test_deposits_converted_without_a_deal_and_due_on_the_build_date(write, home, monkeypatch):
    """Three sections in March 2024, built as at 2024-03-15:
    - land L1, concluded 03-05 with no winner code: GA1 (100.00) converted into the price 03-14,
      GA2 (50.00) refunded 03-08 — the losers' due date is 5 working days after the deal, 03-12;
    - engineering E1, concluded 03-05, contract signed 03-10: due 03-15 for all (5 calendar days);
      GC1 (the winner's, 80.00) not refunded yet, GC2 (40.00) refunded 03-14;
    - GB1 (30.00, refunded 03-09) and GB2 (20.00, never refunded) of section P9/S9, with no deal.
    By hand: GA1 is converted, never late, not due; GC1 is due today and not late yet; GB1 and
    GB2 have no due date. n_due = GA2 + GC2 = 2, both on time (rate 1), none late. Settled in
    March: GA1, GA2, GC2, GB1 = 4, of which 3 have a deal date; days from the deal to the
    settlement 9 + 3 + 9 = 21, so 7 days on average (GB1 has no days to refund). Outstanding at
    the build date: GC1, not yet due, 80.00; GB2 with no deal on record, 20.00."""
    monkeypatch.setenv("GGZY_AS_OF_DATE", "2024-03-15")
    deals = write("deals_2024-03.csv", csv_text([
        {**DEAL, "tender_project_code": "L1", "bid_section_code": "1", "trade_category": "land",
         "tender_mode": "listing", "deal_amount": "1200.00", "savings_amount": "", "winner_code": ""},
        {**DEAL, "tender_project_code": "E1", "bid_section_code": "1", "contract_sign_date": "2024-03-10"},
    ]))
    other = "91330000MA27XL0E3L"
    securities = write("securities_2024-03.csv", csv_text([
        {**SECURITY, "security_id": "GA1", "tender_project_code": "L1", "bid_section_code": "1",
         "amount": "100.00"},
        {**SECURITY, "security_id": "GA2", "tender_project_code": "L1", "bid_section_code": "1",
         "bidder_code": other, "amount": "50.00"},
        {**SECURITY, "security_id": "GC1", "tender_project_code": "E1", "bid_section_code": "1",
         "amount": "80.00"},
        {**SECURITY, "security_id": "GC2", "tender_project_code": "E1", "bid_section_code": "1",
         "bidder_code": other, "amount": "40.00"},
        {**SECURITY, "security_id": "GB1", "tender_project_code": "P9", "bid_section_code": "S9",
         "amount": "30.00", "received_date": "2024-03-02"},
        {**SECURITY, "security_id": "GB2", "tender_project_code": "P9", "bid_section_code": "S9",
         "bidder_code": other, "amount": "20.00", "received_date": "2024-03-02"},
    ]))
    refunds = write("refunds_2024-03.csv", csv_text([
        {**REFUND, "refund_id": "RA1", "security_id": "GA1", "refund_type": "转为价款",
         "settle_date": "2024-03-14", "refund_amount": "100.00", "interest_amount": "0"},
        {**REFUND, "refund_id": "RA2", "security_id": "GA2", "settle_date": "2024-03-08",
         "refund_amount": "50.00"},
        {**REFUND, "refund_id": "RC2", "security_id": "GC2", "settle_date": "2024-03-14",
         "refund_amount": "40.00"},
        {**REFUND, "refund_id": "RB1", "security_id": "GB1", "settle_date": "2024-03-09",
         "refund_amount": "30.00"},
    ]))
    assert main(["--home", str(home), "load", str(deals), str(securities), str(refunds)]) == 0
    assert main(["--home", str(home), "build"]) == 0
    assert _kpi(home, "n_due, n_due_on_time, n_due_late, on_time_rate") == (2, 2, 0, Decimal("1"))
    assert _kpi(home, "n_settled, n_settled_after_deal, days_to_refund_total, avg_days_to_refund") == (
        4, 3, 21, Decimal("7"))
    ages = snapshot_query(home, """select age_bucket, sum(n_outstanding), sum(amount_outstanding)
        from marts.mart_deposit_ages group by all order by 1""")
    assert ages == [("no_deal", 1, Decimal("20.00")), ("not_yet_due", 1, Decimal("80.00"))]


def test_the_same_bytes_through_another_mapping_or_sheet_are_another_load(write, home, tmp_path, capsys):
    """A load is the bytes and how they were read. Deals in 万元 without saying so land as yuan
    (0.09); sent again with a mapping that says 万元 they load again, 900.00 each; the exact same
    command after that changes nothing. A workbook's second sheet is its own load too."""
    rows = rows_of("deals", {"budget_amount": "0.1", "deal_amount": "0.09", "savings_amount": "0.01"},
                   {"budget_amount": "0.2", "deal_amount": "0.18", "savings_amount": "0.02"})
    rows = [{**row, "price_unit": ""} for row in rows]  # the unit is nowhere in the file
    deals = write("deals_2024-03.csv", csv_text(rows))
    amounts = ("budget_amount", "deal_amount", "savings_amount")
    in_wan = write("wan.toml", "[units]\n" + "".join(f'{c} = "万元"\n' for c in amounts))
    cli = ["--home", str(home), "load"]
    assert main([*cli, str(deals)]) == 0
    assert query(home, "select sum(deal_amount) from raw.deals") == [(Decimal("0.27"),)]
    assert main([*cli, str(deals), "--mapping", str(in_wan)]) == 0
    assert "2 行有改动 changed, 0 行未变 unchanged" in capsys.readouterr().out
    current = "select sum(deal_amount) from raw.deals where load_id = (select max(load_id) from raw.deals)"
    assert query(home, current) == [(Decimal("2700.00"),)]  # 900.00 + 1,800.00
    assert main([*cli, str(deals), "--mapping", str(in_wan)]) == 0
    assert "identical to load #2" in capsys.readouterr().out

    book = tmp_path / "deals_2024-04.xlsx"
    workbook = openpyxl.Workbook()
    for sheet, (section, amount) in zip(["工程", "采购"], [("A", "900"), ("B", "800")], strict=True):
        ws = workbook.active if sheet == "工程" else workbook.create_sheet()
        ws.title = sheet
        row = {**DEAL, "bid_section_code": section, "deal_date": "2024-04-05", "deal_amount": amount,
               "contract_sign_date": "2024-04-08", "savings_amount": str(1000 - int(amount))}
        ws.append(list(row))
        ws.append(list(row.values()))
    workbook.save(book)
    assert main([*cli, str(book)]) == 0
    assert main([*cli, str(book), "--sheet", "采购", "--append"]) == 0
    assert "已入库 landed as load #4" in capsys.readouterr().out
    april = "select bid_section_code, deal_amount from raw.deals where load_id >= 3 order by 1"
    assert query(home, april) == [("A", Decimal("900.00")), ("B", Decimal("800.00"))]
    assert main(["--home", str(home), "loads"]) == 0
    shown = capsys.readouterr().out.splitlines()
    assert "映射 mapping wan.toml" in shown[2] and "工作表 sheet 采购" in shown[4]


def _periods(home, metric: str, month: str) -> tuple:
    return snapshot_query(home, f"""select value, value_prev_month, value_last_year, value_ytd,
            value_ytd_last_year, change_mom, change_yoy, change_ytd_yoy
        from marts.mart_kpi_periods where metric = '{metric}' and month = '{month}'
            and region_level = 'all' and trade_category = 'all'""")[0]


def test_a_period_with_a_month_nobody_sent_is_unknown_not_zero(write, home, capsys):
    """Deals loaded for 2024-03 (the warehouse's first month: 900.00), 2025-01 and 2025-02 (900.00
    each) and 2025-03 (two sections, 1,800.00). March 2025 against March 2024: +100 %; 2025 to
    March is 3,600.00, but January and February 2024 were never loaded, so 2024 to March is
    unknown and so is the change. After February 2025 is unloaded, nobody sent February: its
    value, March's previous month and 2025 to March are unknown too."""
    cli = ["--home", str(home)]
    for month, n in [("2024-03", 1), ("2025-01", 1), ("2025-02", 1), ("2025-03", 2)]:
        rows = rows_of("deals", *({"tender_project_code": month, "deal_date": f"{month}-05",
                                   "contract_sign_date": f"{month}-08"}
                                  for _ in range(n)))
        assert main([*cli, "load", str(write(f"deals_{month}.csv", csv_text(rows)))]) == 0
    assert main([*cli, "build"]) == 0
    amount = Decimal("900.00")
    assert _periods(home, "deal_amount", "2024-03-01") == (amount, None, None, None, None, None, None, None)
    assert _periods(home, "deal_amount", "2025-03-01") == (
        2 * amount, amount, amount, 4 * amount, None, Decimal("100.0000"), Decimal("100.0000"), None)
    with duckdb.connect(str(snapshot_path(home)), read_only=True) as con:
        paragraph = monthly_report(con, date(2025, 3, 1)).narrative
    assert paragraph.startswith("2025年1—3月，共完成进场交易4宗，成交金额0.36万元；"
                                "其中3月完成2宗，成交金额0.18万元，同比增长100.00%。"), paragraph

    assert main([*cli, "unload", "3"]) == 0  # the February 2025 load
    assert main([*cli, "build"]) == 0
    assert _periods(home, "deal_amount", "2025-02-01")[0] is None
    assert _periods(home, "deal_amount", "2025-03-01") == (
        2 * amount, None, amount, None, None, None, Decimal("100.0000"), None)
    assert _periods(home, "e_bidding_rate", "2025-03-01")[3] is None  # a ratio of unknown parts
    with duckdb.connect(str(snapshot_path(home)), read_only=True) as con:
        paragraph = monthly_report(con, date(2025, 3, 1)).narrative
    assert paragraph.startswith("2025年3月，完成进场交易2宗，成交金额0.18万元，同比增长100.00%"
                                "（本年有月份未报送数据，不计本年累计）。"), paragraph
    capsys.readouterr()
    assert main([*cli, "report", "--month", "2025-02"]) == 2  # nobody sent February: no report of it
    assert "it holds 2024-03, 2025-01, 2025-03" in capsys.readouterr().err


def test_codes_that_differ_only_by_leading_zeros_are_caught_between_kinds(write, home, tmp_path, capsys):
    """Deals re-saved from Excel say section 1 and 2; the platform's securities say 001 and 002
    (its bids 001 too), its refunds 123 for security 000123. Each file that would lose its
    partner is rejected, naming both spellings, and changes nothing; spelled alike, both
    deposits land under the deal's region (330106), 150.00 received, the refund against its
    security."""
    cli = ["--home", str(home), "load"]
    deals = write("deals_2024-03.csv", csv_text(rows_of("deals", {"bid_section_code": "1"},
                                                         {"bid_section_code": "2"})))
    assert main([*cli, str(deals)]) == 0

    def securities(*sections: str) -> list[dict]:
        return [{**SECURITY, "security_id": f"000{122 + i}", "bid_section_code": section,
                 "amount": f"{50 * i}.00"} for i, section in enumerate(sections, start=1)]

    zeros = write("securities_2024-03.csv", csv_text(securities("001", "002")))
    capsys.readouterr()
    before = fingerprint(home)
    assert main([*cli, str(zeros)]) == 1
    out = capsys.readouterr().out
    assert out.count("[leading_zeros]") == 2 and "本文件 P1/001，已入库 P1/1" in out
    assert "this file P1/002, loaded P1/2" in out and fingerprint(home) == before
    assert main([*cli, str(write("securities_2024-03_v2.csv", csv_text(securities("1", "2"))))]) == 0
    bids = write("bids_2024-03.csv", "招标项目编号,标段（包）编号,投标人代码,投标报价,投标状态,投标时间\n"
                                     "P1,001,B1,900.00,有效,2024-03-01\n")
    capsys.readouterr()
    assert main([*cli, str(bids)]) == 1
    assert "matches a loaded deal only once leading zeros are ignored (this file P1/001, loaded P1/1)" \
        in capsys.readouterr().out

    refund = write("refunds_2024-03.csv",
                   csv_text([{**REFUND, "security_id": "123", "refund_amount": "50.00"}]))
    capsys.readouterr()
    assert main([*cli, str(refund)]) == 1
    assert "本文件 123，已入库 000123" in capsys.readouterr().out
    refund.write_text(csv_text([{**REFUND, "security_id": "000123", "refund_amount": "50.00"}]))
    assert main([*cli, str(refund)]) == 0
    assert main(["--home", str(home), "build"]) == 0
    assert snapshot_query(home, """select region_code, sum(n_received), sum(amount_received),
            sum(amount_refunded) from marts.mart_deposit_refunds group by all""") == [
        ("330106", 2, Decimal("150.00"), Decimal("50.00"))]

    elsewhere = tmp_path / "other"  # securities first, then deals spelled without the zeros
    assert main(["--home", str(elsewhere), "load", str(zeros)]) == 0
    capsys.readouterr()
    assert main(["--home", str(elsewhere), "load", str(deals)]) == 1
    assert "matches a loaded security only once leading zeros are ignored (this file P1/1, loaded P1/001)" \
        in capsys.readouterr().out


def test_a_build_fails_on_a_security_whose_deal_is_spelled_without_its_zeros(write, home, capsys):
    """Deals and securities spelled 001 land and build; deals sent again with --replace, spelled
    1, withdraw section 001: the securities now meet their deal only without the zeros. The build
    fails on that check, in words, and the published figures stay those of the first build."""
    cli = ["--home", str(home)]
    deals = rows_of("deals", {"bid_section_code": "001"})
    securities = [{**SECURITY, "bid_section_code": "001"}]
    assert main([*cli, "load", str(write("deals_2024-03.csv", csv_text(deals))),
                 str(write("securities_2024-03.csv", csv_text(securities)))]) == 0
    assert main([*cli, "build"]) == 0
    received = "select region_code, sum(n_received) from marts.mart_deposit_refunds group by all"
    published = snapshot_query(home, received)
    assert published == [("330106", 1)]
    resaved = write("deals_2024-03_v2.csv", csv_text([{**deals[0], "bid_section_code": "1"}]))
    assert main([*cli, "load", str(resaved), "--replace"]) == 0
    capsys.readouterr()
    assert main([*cli, "build"]) == 1
    said = capsys.readouterr()
    assert "securities_meet_their_deal_only_without_leading_zeros" in said.out + said.err
    assert "保证金的标段编号只在去掉前导零后才与成交记录相符" in said.out + said.err
    assert snapshot_query(home, received) == published


def test_a_replace_that_withdraws_sections_with_securities_says_so(write, home, capsys):
    """Three sections with deals; S1-0 has a cash security of 100.00 and a guarantee, S1-1 one of
    50.00. The month sent again with --replace holds S1-2 alone: 2 sections withdrawn still have
    3 securities, 150.00 in cash, now without a deal — said at load, listed by ggzy status."""
    cli = ["--home", str(home)]
    deals = rows_of("deals", {}, {}, {})
    securities = [{**SECURITY, "security_id": "G1", "bid_section_code": "S1-0"},
                  {**SECURITY, "security_id": "G2", "bid_section_code": "S1-0", "pay_form": "电子保函",
                   "issuer": "某保险公司", "guarantee_fee": "50"},
                  {**SECURITY, "security_id": "G3", "bid_section_code": "S1-1", "amount": "50.00"}]
    assert main([*cli, "load", str(write("deals_2024-03.csv", csv_text(deals))),
                 str(write("securities_2024-03.csv", csv_text(securities)))]) == 0
    capsys.readouterr()
    assert main([*cli, "load", str(write("deals_2024-03_v2.csv", csv_text(deals[2:]))), "--replace"]) == 0
    out = capsys.readouterr().out
    assert "2 行撤下 withdrawn" in out
    assert "撤下的标段中有 2 个仍有 3 笔保证金（现金 150.00 元）" in out
    assert "2 of the sections withdrawn still have 3 securities (cash 150.00 yuan)" in out
    assert main([*cli, "status"]) == 0
    status = capsys.readouterr().out
    assert "2 个标段 sections, 3 笔担保 securities, 现金 cash 150.00" in status
    assert "P1 / S1-0: 2 笔 securities, 现金 cash 100.00" in status


def test_a_header_in_wan_yuan_over_a_row_in_yuan_is_an_error_naming_both(write, home, capsys):
    """The header says 预算金额（万元）, line 3's 金额单位 says 元: 0.1 would be 1,000.00 or 0.10.
    Rejected, naming the header's unit and the row's; the consistent line 2 alone would land."""
    in_wan = {"price_unit": "万元", "budget_amount": "0.1", "deal_amount": "0.09", "savings_amount": "0.01"}
    rows = rows_of("deals", in_wan, {"price_unit": "元", "budget_amount": "0.1"})
    text = csv_text(rows).replace("budget_amount", "预算金额（万元）", 1)
    assert main(["--home", str(home), "load", str(write("deals_2024-03.csv", text))]) == 1
    out = capsys.readouterr().out
    assert "第 3 行 line 3, 列 column 预算金额（万元）, 值 value '0.1': 金额单位不一致：" \
           "列名 预算金额（万元） 为 万元，本行金额单位为 元" in out
    assert "the header 预算金额（万元） says 万元, the row's unit is 元" in out
    assert out.count("[unit_conflict]") == 1 and not database_path(home).exists()


def test_a_missing_column_lists_the_headers_ggzy_did_not_place(write, home, tmp_path, capsys):
    """成交日期 is missing; the file has a header 日期（签约） that ggzy does not place: it is listed
    whatever its likeness. With a mapping that names 签约日期 for deal_date, the message says the
    mapping's header is not in the file instead of suggesting a mapping."""
    text = csv_text(rows_of("deals", {})).replace("deal_date", "日期（签约）", 1)
    deals = write("deals_2024-03.csv", text)
    assert main(["--home", str(home), "load", str(deals)]) == 1
    out = capsys.readouterr().out
    assert "本文件未识别的列：日期（签约）" in out and "your columns ggzy did not place: 日期（签约）" in out
    assert "a mapping file (--mapping) can name it" in out
    mapping = write("m.toml", '[columns]\n"签约日期" = "deal_date"\n')
    assert main(["--home", str(home), "load", str(deals), "--mapping", str(mapping)]) == 1
    out = capsys.readouterr().out
    assert "the mapping file m.toml names 签约日期 for it, not in this file" in out
    assert "a mapping file (--mapping) can name it" not in out


def test_a_build_speaks_in_stages_and_keeps_dbts_log_in_its_file(write, home, capsys):
    """One line a stage and a bar over dbt's models and tests; none of dbt's own lines unless
    --verbose; dbt's whole log in <home>/dbt/logs/dbt.log."""
    cli = ["--home", str(home)]
    assert main([*cli, "load", str(write("deals_2024-03.csv", csv_text(rows_of("deals", {}))))]) == 0
    capsys.readouterr()
    assert main([*cli, "build"]) == 0
    said = capsys.readouterr()
    shown = (said.out + said.err).splitlines()
    assert "构建模型并检查 building and testing the models (dbt, 全部入库 every load) …" in shown
    bars = [line for line in shown if "模型与测试 models and tests [" in line]
    assert len(bars) == 5 and bars[-1].endswith("]" + " " + bars[-1].split()[-1])
    done, total = map(int, bars[-1].split()[-1].split("/"))
    assert done == total > 50 and "#" * 30 in bars[-1]
    assert not any(" START " in line or " of " in line for line in shown)
    assert (home / "dbt" / "logs" / "dbt.log").read_text(encoding="utf-8").count(" START ") >= total - 1
    assert main([*cli, "build", "--verbose"]) == 0
    verbose = capsys.readouterr()
    assert " START " in verbose.out + verbose.err


def _merged_workbook(path, merge: str):
    """Project P1's three sections on rows 2–4, its code written once and merged down (A2:A4);
    ``merge`` another range to merge, or ""."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(list(DEAL))
    for i, amount in enumerate(("900.00", "800.00", "700.00")):
        row = {**DEAL, "tender_project_code": "P1" if i == 0 else None, "bid_section_code": str(i + 1),
               "deal_amount": amount, "savings_amount": str(1000 - Decimal(amount))}
        sheet.append(list(row.values()))
    sheet.merge_cells("A2:A4")
    if merge:
        sheet.merge_cells(merge)
    workbook.save(path)
    return path


def test_merged_cells_read_as_they_show_and_a_merged_amount_is_an_error(tmp_path, home, capsys):
    """招标项目编号 merged down over a project's three sections: each section is P1's, said once
    as information; 2,400.00 in all. A budget merged over the three rows is rejected, naming the
    merge: the 1,000.00 cannot be each section's and the whole at once."""
    book = _merged_workbook(tmp_path / "deals_2024-03.xlsx", "")
    assert main(["--home", str(home), "load", str(book)]) == 0
    out = capsys.readouterr().out
    assert "第 2 行 line 2, 列 column tender_project_code: 合并单元格（第 2–4 行）已按所显示的值逐行填充" \
        in out
    by_project = "select tender_project_code, count(*), sum(deal_amount) from raw.deals group by 1"
    assert query(home, by_project) == [("P1", 3, Decimal("2400.00"))]
    budget = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[list(DEAL).index("budget_amount")]
    other = tmp_path / "other"
    book = _merged_workbook(tmp_path / "deals_2024-04.xlsx", f"{budget}2:{budget}4")
    assert main(["--home", str(other), "load", str(book)]) == 1
    out = capsys.readouterr().out
    assert "amount cells merged over lines 2–4" in out and "[merged_amount]" in out
    assert "required" not in out and "duplicate" not in out


def test_an_amount_too_large_to_hold_is_said_so(write, home, capsys):
    """99,999,999,999,999,999.99 is a number, one digit beyond the 16 a DECIMAL(18, 2) holds: too
    large, not 'not an amount'; 12x.00 is still not an amount."""
    rows = rows_of("deals", {"budget_amount": "99999999999999999.99", "savings_amount": ""},
                   {"budget_amount": "12x.00", "savings_amount": ""})
    assert main(["--home", str(home), "load", str(write("deals_2024-03.csv", csv_text(rows)))]) == 1
    out = capsys.readouterr().out
    assert "第 2 行 line 2, 列 column budget_amount, 值 value '99999999999999999.99': 金额过大" in out
    assert "[amount_too_large]" in out and out.count("[parses]") == 1 and "'12x.00'" in out


def test_the_winner_is_the_winner_whatever_the_case_of_its_code(write, home, monkeypatch):
    """A procurement deal of 2024-03-05, contract signed 03-12, its winner written in lower case
    (91330000ma27xl0e2k); the winner's deposit, under the code in capitals, refunded 03-15. The
    winner's due date is 5 working days after the contract, 03-19: on time (the losers', 5
    working days after the deal, 03-12, would make it late)."""
    monkeypatch.setenv("GGZY_AS_OF_DATE", "2024-03-31")
    deal = {**DEAL, "trade_category": "government_procurement", "tender_mode": "competitive_negotiation",
            "contract_sign_date": "2024-03-12", "winner_code": DEAL["winner_code"].lower()}
    refund = {**REFUND, "security_id": "G1", "settle_date": "2024-03-15"}
    files = [write("deals_2024-03.csv", csv_text([deal])),
             write("securities_2024-03.csv", csv_text([SECURITY])),
             write("refunds_2024-03.csv", csv_text([refund]))]
    assert main(["--home", str(home), "load", *map(str, files)]) == 0
    assert main(["--home", str(home), "build"]) == 0
    judged = "select bidder_role, due_date::varchar, is_refunded_on_time from marts.fct_securities"
    assert snapshot_query(home, judged) == [("winner", "2024-03-19", True)]
    assert _kpi(home, "n_due, n_due_on_time, on_time_rate") == (1, 1, Decimal("1"))


def test_sediment_cleared_is_the_flow_out_of_the_stock(write, home, monkeypatch):
    """GC1 (80.00) of engineering section E1, concluded 2024-03-05, contract 03-10: due 03-15,
    sediment from 2025-03-16 (365 days past due). 30.00 of it refunded 2025-03-20 (already
    sediment), the last 50.00 on 2025-04-02; GC2 (40.00) refunded on time. By hand: 清理沉淀保证金
    in March 30.00 and no deposit (GC1 is not settled yet), in April 50.00 and one deposit; the
    sediment at March's end GC1's 50.00 left, at April's end nothing."""
    monkeypatch.setenv("GGZY_AS_OF_DATE", "2025-04-30")
    section = {"tender_project_code": "E1", "bid_section_code": "1"}
    deals = write("deals_2024-03.csv", csv_text([{**DEAL, **section, "contract_sign_date": "2024-03-10"}]))
    securities = write("securities_2024-03.csv", csv_text([
        {**SECURITY, **section, "security_id": "GC1", "amount": "80.00"},
        {**SECURITY, **section, "security_id": "GC2", "bidder_code": "91330000MA27XL0E3L",
         "amount": "40.00"}]))

    def refunds(month: str, refund: str, security: str, settled: str, amount: str):
        row = {**REFUND, "refund_id": refund, "security_id": security, "settle_date": settled,
               "refund_amount": amount}
        return write(f"refunds_{month}.csv", csv_text([row]))
    on_time = refunds("2024-03", "R2", "GC2", "2024-03-14", "40.00")
    march = refunds("2025-03", "R1a", "GC1", "2025-03-20", "30.00")
    april = refunds("2025-04", "R1b", "GC1", "2025-04-02", "50.00")
    assert main(["--home", str(home), "load", *map(str, (deals, securities, on_time, march, april))]) == 0
    assert main(["--home", str(home), "build"]) == 0
    assert snapshot_query(home, """select month, sum(n_sediment_cleared), sum(amount_sediment_cleared),
            sum(n_sediment), sum(amount_sediment)
        from marts.mart_deposit_refunds where month between '2025-02-01' and '2025-04-01'
        group by month order by month""") == [
        (date(2025, 2, 1), 0, Decimal("0.00"), 0, Decimal("0.00")),
        (date(2025, 3, 1), 0, Decimal("30.00"), 1, Decimal("50.00")),
        (date(2025, 4, 1), 1, Decimal("50.00"), 0, Decimal("0.00"))]
