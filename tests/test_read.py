"""Encodings, delimiters, header spellings and line numbers (ggzy/ingest/read.py)."""

import pytest
from conftest import DEAL, csv_text, query, rows_of

from ggzy.common.contract import BY_NAME
from ggzy.ingest.load import load_file
from ggzy.ingest.mapping import national

DEAL_HEADER = (",".join(DEAL) + "\n").encode()
CHINESE = {c.name: next(s for s in c.spellings if not s.isascii()) for c in BY_NAME["deals"].columns}
NATIONAL = {name: next((code.upper() for code, c in national().columns.items() if c == name and code != name),
                      name) for name in DEAL}


def _renamed(rows: list[dict[str, str]], names: dict[str, str]) -> list[dict[str, str]]:
    return [{names[k]: v for k, v in row.items()} for row in rows]


def _current_deals(home) -> list[tuple]:
    return query(home, """select * exclude (load_id, source_file, attempt_month) from raw.deals
                          order by line_number""")


@pytest.mark.parametrize("names", [{k: k for k in DEAL}, NATIONAL, CHINESE,
                                   {k: f"  {k.upper()} " for k in DEAL}],
                         ids=["canonical", "national", "chinese", "upper-spaced"])
def test_deals_load_from_every_header_spelling(names, write, load, home):
    rows = rows_of("deals", {}, {"deal_status": "failed", "deal_amount": "", "savings_amount": ""})
    outcome = load(write("deals_2024-03.csv", csv_text(_renamed(rows, names))))
    assert outcome.status == "landed", outcome.findings
    assert query(home, """select tender_project_code, bid_section_code, deal_amount, savings_amount,
                                 deal_status from raw.deals order by line_number""") == [
        ("P1", "S1-0", 900, 100, "concluded"), ("P1", "S1-1", None, None, "failed")]


def test_securities_and_refunds_load_from_national_and_chinese_headers(write, load, home):
    securities = {"security_id": "GUARANTEE_NO", "tender_project_code": "TENDER_PROJECT_CODE",
                  "bid_section_code": "BID_SECTION_CODE", "bidder_code": "BIDDER_ORG_CODE",
                  "security_kind": "GUARANTEE_TYPE", "pay_form": "MARGIN_PAY_FORM",
                  "amount": "MARGIN_PAY", "received_date": "MARGIN_RECEIVE_TIME", "issuer": "INSURER",
                  "guarantee_fee": "GUARANTEE_COST"}
    refunds = {"refund_id": "退还编号", "security_id": "保证金编号", "refund_type": "处理方式",
               "settle_date": "退还日期", "refund_amount": "退还金额", "interest_amount": "利息",
               "refund_route": "退还路径"}
    s = load(write("s.csv", csv_text(_renamed(rows_of("securities", {}), securities))))
    r = load(write("r.csv", csv_text(_renamed(rows_of("refunds", {"security_id": "G1-0"}), refunds))))
    assert (s.kind, s.status, r.kind, r.status) == ("securities", "landed", "refunds", "landed")
    assert query(home, "select security_id, amount, pay_form from raw.securities") == [("G1-0", 100, "cash")]
    assert query(home, "select refund_id, refund_amount, refund_route from raw.refunds") == [
        ("R1-0", 100, "original")]


def test_gb18030_and_utf8_bom_files_land_identical_rows(write, load, home, tmp_path):
    rows = _renamed(rows_of("deals", {"platform_code": "杭州市公共资源交易中心"},
                            {"region_code": "330102", "trade_category": "政府采购"}), CHINESE)
    text = csv_text(rows)
    gb = load(write("gb.csv", text, "gb18030"))
    assert gb.status == "landed", gb.findings
    first = _current_deals(home)
    bom_home = tmp_path / "bom"
    bom = load_file(write("bom.csv", text, "utf-8-sig"), bom_home)
    assert bom.status == "landed", bom.findings
    assert _current_deals(bom_home) == first
    [first_platform, _] = query(home, "select platform_code from raw.deals order by line_number")
    assert first_platform == ("杭州市公共资源交易中心",)


def test_tab_separated_and_crlf_files_load(write, load, home):
    text = csv_text(rows_of("deals", {}, {}), delimiter="\t").replace("\n", "\r\n")
    assert load(write("deals.tsv", text)).status == "landed"
    assert query(home, "select count(*) from raw.deals") == [(2,)]


def test_line_numbers_count_quoted_newlines_and_blank_lines(write, load):
    rows = rows_of("deals", {"platform_code": "two\nlines"}, {}, {"region_code": "999999"})
    text = csv_text(rows)
    lines = text.split("\n")
    with_blank = "\n".join(lines[:4] + [""] + lines[4:])  # a blank line after the 2nd record
    # header 1, first record 2-3, second 4, blank 5, bad record 6
    outcome = load(write("deals.csv", with_blank))
    assert outcome.status == "rejected"
    assert [(f.line, f.column, f.value, f.rule) for f in outcome.findings if f.severity == "error"] == [
        (6, "region_code", "999999", "region_exists")]
    outcome = load(write("deals2.csv", text))
    assert [f.line for f in outcome.findings if f.severity == "error"] == [5]


def test_all_empty_rows_are_skipped_but_counted_as_lines(write, load, home):
    text = csv_text(rows_of("deals", {}, {"region_code": "999999"}))
    lines = text.split("\n")
    text = "\n".join(lines[:2] + ["," * (len(DEAL) - 1)] + lines[2:])
    outcome = load(write("deals.csv", text))
    assert [(f.line, f.rule) for f in outcome.findings if f.severity == "error"] == [(4, "region_exists")]


@pytest.mark.parametrize(("content", "expected"), [
    (b"", "the file is empty"),
    (DEAL_HEADER, "a header but no rows"),
    (DEAL_HEADER + b"P1,S1\xff\xfe\n", "line 2 has bytes that are neither UTF-8 nor GB18030"),
], ids=["empty", "header-only", "undecodable"])
def test_unreadable_files_are_rejected_with_one_clear_message(content, expected, tmp_path, load, home):
    path = tmp_path / "deals_2024-03.csv"
    path.write_bytes(content)
    outcome = load(path, kind_name="deals")
    assert outcome.status == "rejected" and expected in outcome.message
    assert not home.exists()


def test_broken_csv_lines_are_rejected_with_their_line_numbers(write, load):
    good, bad = csv_text(rows_of("deals", {}, {})).splitlines()[1:]
    text = "\n".join([",".join(DEAL), good, bad + ",extra", good.replace("P1", '"P1'), ""])
    outcome = load(write("deals_2024-03.csv", text))
    assert [(f.line, f.rule) for f in outcome.findings] == [(3, "csv_structure"), (4, "csv_structure")]


def test_period_comes_from_a_chinese_file_name(write, load):
    rows = rows_of("deals", {"deal_date": "2024-02-10", "contract_sign_date": ""})
    outcome = load(write("成交项目 2024年03月.csv", csv_text(rows)))
    assert outcome.period.isoformat() == "2024-03-01"
    assert [f.rule for f in outcome.findings] == ["late_entry"]
