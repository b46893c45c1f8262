"""Load semantics and every contract rule (ggzy/ingest/load.py, ggzy/ingest/normalise.py, expectations/)."""

from decimal import Decimal

import pytest
from conftest import SECURITY, csv_text, fingerprint, query, rows_of, seed_warehouse

from ggzy.common.contract import BY_NAME
from ggzy.ingest.current import current_sql as latest_sql
from ggzy.ingest.load import load_file, load_files, unload
from ggzy.ingest.validate import load_suite


@pytest.fixture
def seeded(home, tmp_path):
    seed_warehouse(home, tmp_path)
    return fingerprint(home)


def _amounts(home, column: str, table: str = "deals") -> list[Decimal]:
    return [r[0] for r in query(home, f"select {column} from raw.{table} order by line_number")]


def test_amount_spellings_come_out_as_exact_yuan(write, load, home):
    cells = ["1,234.56", "¥1,234.56", "0.123456 万元", "１２３４．５６元", "￥12,345,678.90", "7"]
    units = {c: "万元" if "万" in c else "元" for c in cells}
    rows = rows_of("deals", *({"budget_amount": c, "savings_amount": "", "price_unit": units[c]}
                              for c in cells))
    outcome = load(write("deals_2024-03.csv", csv_text(rows)))
    assert outcome.status == "landed", outcome.findings
    assert _amounts(home, "budget_amount") == [Decimal("1234.56"), Decimal("1234.56"),
                                               Decimal("1234.56"), Decimal("1234.56"),
                                               Decimal("12345678.90"), Decimal("7.00")]
    assert query(home, "select typeof(budget_amount) from raw.deals limit 1") == [("DECIMAL(18,2)",)]


def test_price_unit_wan_yuan_multiplies_amounts_and_a_cell_in_another_unit_is_an_error(write, load, home):
    rows = rows_of("deals", {"price_unit": "万元", "budget_amount": "12.3456", "deal_amount": "10",
                             "savings_amount": "2.3456万元"})
    assert load(write("deals_2024-03.csv", csv_text(rows))).status == "landed"
    assert query(home, "select budget_amount, deal_amount, savings_amount, price_unit from raw.deals") == [
        (Decimal("123456.00"), Decimal("100000.00"), Decimal("23456.00"), "wan_yuan")]
    conflicting = load(write("deals_2024-04.csv", csv_text([{**rows[0], "savings_amount": "23456元"}])))
    assert conflicting.status == "rejected"
    assert [(f.line, f.rule, f.value) for f in conflicting.findings if f.severity == "error"] == [
        (2, "unit_conflict", "23456元")]


def test_dates_booleans_and_code_aliases_normalise(write, load, home):
    rows = rows_of(
        "deals",
        {"deal_date": "2024/3/5", "contract_sign_date": "20240308", "is_electronic": "是",
         "trade_category": "建设工程", "tender_mode": "公开招标", "deal_status": "中标"},
        {"deal_date": "2024年3月5日", "contract_sign_date": "2024-03-08 14:30:00", "is_electronic": "false",
         "is_remote_evaluation": "", "trade_category": "Government Procurement", "deal_status": "已成交"},
    )
    assert load(write("deals_2024-03.csv", csv_text(rows))).status == "landed"
    assert query(home, """select deal_date::varchar, contract_sign_date::varchar, is_electronic,
                                 is_remote_evaluation, trade_category, deal_status
                          from raw.deals order by line_number""") == [
        ("2024-03-05", "2024-03-08", True, False, "engineering", "concluded"),
        ("2024-03-05", "2024-03-08", False, False, "government_procurement", "concluded")]


# (kind, cells of the bad row, column reported, rule). Each bad row is the file's 3rd line.
RULES = [
    ("deals", {"region_code": ""}, "region_code", "required"),
    ("deals", {"budget_amount": "12e3", "savings_amount": ""}, "budget_amount", "parses"),
    ("deals", {"budget_amount": "1.234,56", "savings_amount": ""}, "budget_amount", "parses"),
    ("deals", {"budget_amount": "1000.001", "savings_amount": ""}, "budget_amount", "parses"),
    ("deals", {"budget_amount": "--5", "savings_amount": ""}, "budget_amount", "parses"),
    ("deals", {"deal_date": "2024-02-30"}, "deal_date", "parses"),
    ("deals", {"bidder_count": "-1"}, "bidder_count", "parses"),
    ("deals", {"is_electronic": "maybe"}, "is_electronic", "parses"),
    ("deals", {"is_remote_evaluation": "maybe"}, "is_remote_evaluation", "parses"),
    ("deals", {"trade_category": "拍卖行"}, "trade_category", "code_known"),
    ("deals", {"region_code": "330199"}, "region_code", "region_exists"),
    ("deals", {"bid_section_code": "S2"}, "bid_section_code", "key_unique"),
    ("deals", {"deal_amount": "-5", "savings_amount": ""}, "deal_amount", "amount_non_negative"),
    ("deals", {"deal_date": "2024-04-01", "contract_sign_date": ""}, "deal_date", "date_not_after_period"),
    ("deals", {"contract_sign_date": "1999-12-31"}, "contract_sign_date", "date_not_before_2000"),
    ("deals", {"deal_amount": "", "savings_amount": ""}, "deal_amount", "concluded_has_amounts"),
    ("deals", {"contract_sign_date": "2024-03-04"}, "contract_sign_date", "contract_after_deal"),
    ("deals", {"savings_amount": "100.02"}, "savings_amount", "savings_matches"),
    ("securities", {"amount": "0"}, "amount", "amount_positive"),
    ("securities", {"pay_form": "支票"}, "pay_form", "code_known"),
    ("securities", {"received_date": ""}, "received_date", "required"),
    ("refunds", {"security_id": "NOPE"}, "security_id", "refund_references_security"),
    ("refunds", {"security_id": "G1-1"}, "security_id", "refund_security_is_cash"),
    ("refunds", {"settle_date": "2024-02-28"}, "settle_date", "settle_after_received"),
    ("refunds", {"refund_amount": "40.01"}, "refund_amount", "refunds_within_amount"),
    ("refunds", {"interest_amount": "-0.01"}, "interest_amount", "amount_non_negative"),
    ("refunds", {"refund_type": "挪用"}, "refund_type", "code_known"),
]


@pytest.mark.parametrize(("kind", "cells", "column", "rule"), RULES,
                         ids=[f"{k}-{r}-{c}" for k, _, c, r in RULES])
def test_each_rule_rejects_the_file_with_its_line_and_changes_nothing(
        seeded, kind, cells, column, rule, write, load, home):
    good = {"deals": {"bid_section_code": "S2"}, "securities": {"security_id": "G2"},
            "refunds": {"refund_id": "R2", "security_id": "G1-0", "refund_amount": "10"}}[kind]
    bad = {"deals": {"bid_section_code": "S3"}, "securities": {"security_id": "G3"},
           "refunds": {"refund_id": "R3", "security_id": "G1-0", "refund_amount": "10"}}[kind]
    rows = rows_of(kind, good, {**bad, **cells})
    path = write(f"{kind}_2024-03-fix.csv", csv_text(rows))
    outcome = load(path)
    assert outcome.status == "rejected"
    errors = {(f.line, f.column, f.rule) for f in outcome.findings if f.severity == "error"}
    assert (3, column, rule) in errors, outcome.findings
    assert fingerprint(home) == seeded
    report = path.with_name(path.name + ".errors.csv").read_bytes()
    assert report.startswith(b"\xef\xbb\xbf")
    assert f"3,{column},".encode() in report and rule.encode() in report


def test_missing_required_column_rejects_and_names_it(seeded, write, load, home):
    rows = [{k: v for k, v in r.items() if k != "deal_status"} for r in rows_of("deals", {})]
    outcome = load(write("deals_2024-03.csv", csv_text(rows)), kind_name="deals")
    assert [(f.line, f.column, f.rule) for f in outcome.findings] == [(1, "deal_status", "missing_column")]
    assert fingerprint(home) == seeded


def test_deals_file_given_as_securities_is_rejected_with_a_hint(seeded, write, load, home):
    outcome = load(write("x.csv", csv_text(rows_of("deals", {}))), kind_name="securities")
    assert outcome.status == "rejected"
    assert "wrong_kind" in {f.rule for f in outcome.findings}
    assert fingerprint(home) == seeded


def test_warnings_land_and_are_recorded(seeded, write, load, home):
    rows = rows_of("deals",
                   {"bid_section_code": "W1", "budget_amount": "100", "deal_amount": "151",
                    "savings_amount": ""},
                   {"bid_section_code": "W2", "bidder_count": "1"},
                   {"bid_section_code": "W3", "deal_date": "2024-02-27", "contract_sign_date": ""},
                   {"bid_section_code": "W4", "附注": "x"})
    rows = [{**r, "附注": r.get("附注", "")} for r in rows]
    outcome = load(write("deals_2024-03.csv", csv_text(rows)), mode="append")
    assert outcome.status == "landed"
    assert sorted((f.line, f.rule) for f in outcome.findings) == [
        (1, "unknown_column"), (2, "suspicious_price"), (3, "single_bid"), (4, "late_entry")]
    assert query(home, f"""select rule, n_unexpected from meta.validation_results
                           where load_id = {outcome.load_id} and n_unexpected > 0 order by rule""") == [
        ("late_entry", 1), ("single_bid", 1), ("suspicious_price", 1)]


def test_a_zero_deal_and_a_failed_section_with_a_deal_amount_land_with_warnings(seeded, write, load):
    rows = rows_of("deals", {"bid_section_code": "Z", "deal_amount": "0", "savings_amount": ""},
                   {"bid_section_code": "F", "deal_status": "流标", "savings_amount": ""})
    outcome = load(write("deals_2024-03-b.csv", csv_text(rows)), mode="append")
    assert outcome.status == "landed"
    assert sorted((f.line, f.column, f.value, f.rule) for f in outcome.findings) == [
        (2, "deal_amount", "0", "zero_deal_amount"),
        (3, "deal_amount", "900.00", "unconcluded_has_deal_amount")]


def test_reloading_the_same_bytes_is_a_no_op(seeded, home):
    path = next(home.parent.glob("deals_2024-03.csv"))
    outcome = load_file(path, home)
    assert outcome.status == "unchanged" and "identical to load #1" in outcome.message
    assert fingerprint(home) == seeded


def test_corrected_resubmission_replaces_and_never_double_counts(seeded, write, load, home):
    rows = rows_of("deals", {"deal_amount": "800.00", "savings_amount": "200.00"},
                   {"bid_section_code": "S2"})
    outcome = load(write("deals_2024-03-corrected.csv", csv_text(rows)))
    assert (outcome.status, outcome.n_rows, outcome.n_replaced) == ("landed", 2, 1)
    assert "1 行有改动 changed, 0 行未变 unchanged, 1 行新增 added" in outcome.message
    assert query(home, "select count(*) from raw.deals") == [(3,)]  # append-only history
    assert query(home, f"""select bid_section_code, deal_amount from ({latest_sql(BY_NAME['deals'])})
                           order by 1""") == [("S1-0", Decimal("800.00")), ("S2", Decimal("900.00"))]


def test_a_security_moved_to_another_month_warns_and_cannot_move_after_its_refunds(seeded, write, load):
    guarantee = {"security_id": "G1-1", "pay_form": "电子保函", "issuer": "某保险公司", "guarantee_fee": "50",
                 "received_date": "2024-04-02"}
    moved = load(write("securities_2024-04.csv", csv_text([{**SECURITY, **guarantee}])))
    assert moved.status == "landed" and [(f.line, f.rule) for f in moved.findings] == [(2, "moved_month")]
    assert moved.findings[0].message_en.endswith(
        "it was: 2024-03, load #2, received_date 2024-03-01, e_guarantee, amount 100.00")
    deposit = load(write("securities_2024-04-b.csv", csv_text([
        {**SECURITY, "security_id": "G1-0", "received_date": "2024-04-02"}])), mode="append")
    assert deposit.status == "rejected"
    assert [(f.line, f.column, f.value, f.rule) for f in deposit.findings if f.severity == "error"] == [
        (2, "received_date", "2024-04-02", "received_after_settled")]


def test_refund_totals_count_earlier_loads_but_not_the_rows_being_replaced(seeded, write, load):
    # R1-0 refunded 60 of 100 earlier: a new refund of 40.01 exceeds it (tested above),
    # but correcting R1-0 itself to 100 does not.
    corrected = rows_of("refunds", {"security_id": "G1-0", "refund_amount": "100.00"})
    assert load(write("refunds_2024-03-b.csv", csv_text(corrected))).status == "landed"


def test_unload_retracts_and_a_retracted_file_can_land_again(seeded, home):
    deals = next(home.parent.glob("deals_2024-03.csv"))
    assert "retracted" in unload(1, home)
    assert query(home, "select retracted from meta.load_log where load_id = 1") == [(True,)]
    assert query(home, f"select count(*) from ({latest_sql(BY_NAME['deals'])})") == [(0,)]
    assert load_file(deals, home).status == "landed"
    assert query(home, f"select count(*) from ({latest_sql(BY_NAME['deals'])})") == [(1,)]


def test_files_load_in_dependency_order_whatever_order_they_are_named(write, home):
    paths = [write("refunds_2024-03.csv", csv_text(rows_of("refunds", {"security_id": "G1-0"}))),
             write("securities_2024-03.csv", csv_text(rows_of("securities", {}))),
             write("deals_2024-03.csv", csv_text(rows_of("deals", {})))]
    outcomes = load_files(paths, home)
    assert [(o.kind, o.status) for o in outcomes] == [
        ("deals", "landed"), ("securities", "landed"), ("refunds", "landed")]


def test_a_folder_loads_its_csv_files_in_dependency_order(write, home, tmp_path):
    write("refunds_2024-03.csv", csv_text(rows_of("refunds", {"security_id": "G1-0"})))
    write("securities_2024-03.csv", csv_text(rows_of("securities", {})))
    write("deals_2024-03.csv", csv_text(rows_of("deals", {})))
    said = []
    outcomes = load_files([tmp_path], home, progress=said.append)
    assert [(o.kind, o.status) for o in outcomes] == [
        ("deals", "landed"), ("securities", "landed"), ("refunds", "landed")]
    assert said[0] == f"文件夹 folder {tmp_path}: 3 个文件 files"


def test_dry_run_validates_without_landing(write, home):
    [outcome] = load_files([write("deals_2024-03.csv", csv_text(rows_of("deals", {})))], home, dry_run=True)
    assert outcome.status == "checked"
    assert not home.exists()


def test_rule_keys_are_unique_in_each_suite():
    for kind in ("deals", "securities", "refunds"):
        keys = [(e.meta["rule"], e.meta["column"]) for e in load_suite(f"input_{kind}").expectations]
        assert len(keys) == len(set(keys))


def test_files_of_a_kind_checked_in_one_run_land_as_they_would_one_by_one(tmp_path):
    """A command's files of a kind are validated in one GX run; what each is checked against still
    includes the files landed before it in the command: a section concluded again a month later
    (moved, naming the earlier load), a security refunded over two months and then beyond its
    amount, an error in the second of two files (its own line, not the first file's)."""
    files = {
        "deals_2024-03.csv": rows_of("deals", {}),
        "deals_2024-04.csv": rows_of("deals", {"deal_date": "2024-04-05",
                                                "contract_sign_date": "2024-04-08"}),
        "deals_2024-05.csv": rows_of("deals", {"bid_section_code": "S9", "deal_date": "2024-05-05",
                                                "contract_sign_date": "2024-05-08"},
                                     {"bid_section_code": "S8", "deal_date": "2024-05-06",
                                      "contract_sign_date": "2024-05-09", "deal_amount": "-1.00"}),
        "securities_2024-03.csv": rows_of("securities", {}),
        "refunds_2024-03.csv": rows_of("refunds", {"security_id": "G1-0", "refund_amount": "60.00"}),
        "refunds_2024-04.csv": rows_of("refunds", {"refund_id": "R2", "security_id": "G1-0",
                                                   "settle_date": "2024-04-10", "refund_amount": "30.00"}),
        "refunds_2024-05.csv": rows_of("refunds", {"refund_id": "R3", "security_id": "G1-0",
                                                   "settle_date": "2024-05-10", "refund_amount": "20.00"}),
    }
    paths = []
    for name, rows in files.items():
        paths.append(tmp_path / name)
        paths[-1].write_text(csv_text(rows), encoding="utf-8")
    progress: list[str] = []
    together = load_files(paths, tmp_path / "together", progress=progress.append)
    apart = [o for path in paths for o in load_files([path], tmp_path / "apart")]

    def said(outcomes):
        return [(o.path.name, o.status, o.load_id, [(f.line, f.column, f.value, f.rule, f.message_en)
                                                      for f in o.findings]) for o in outcomes]

    assert said(together) == said(apart)
    assert [m for m in progress if m.startswith("校验")] == [  # one run per kind
        "校验 validating 3 个文件 files, 4 行 rows …", "校验 validating 1 个文件 files, 1 行 rows …",
        "校验 validating 3 个文件 files, 3 行 rows …"]
    assert [(o.path.name, o.status) for o in together] == [
        ("deals_2024-03.csv", "landed"), ("deals_2024-04.csv", "landed"), ("deals_2024-05.csv", "rejected"),
        ("securities_2024-03.csv", "landed"), ("refunds_2024-03.csv", "landed"),
        ("refunds_2024-04.csv", "landed"), ("refunds_2024-05.csv", "rejected")]
    moved = together[1].findings
    assert [(f.line, f.rule) for f in moved] == [(2, "moved_month")]
    assert "it was: 2024-03, load #1, deal_date 2024-03-05, concluded" in moved[0].message_en
    assert [(f.line, f.column, f.rule) for f in together[2].findings if f.severity == "error"] == [
        (3, "deal_amount", "amount_non_negative"), (3, "savings_amount", "savings_matches")]  # 1000 - -1
    assert [(f.line, f.rule) for f in together[6].findings if f.severity == "error"] == [
        (2, "refunds_within_amount")]  # 60 + 30 + 20 of 100
    for table in ("raw.deals", "raw.securities", "raw.refunds", "meta.validation_results"):
        assert query(tmp_path / "together", f"from {table} order by all") == \
            query(tmp_path / "apart", f"from {table} order by all")
