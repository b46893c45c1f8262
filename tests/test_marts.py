"""Known answers for every metric of docs/metrics.md: small hand-made files, figures worked by hand.

One warehouse is loaded and built (real loader, real dbt build, real mart suites) for the
module; each test reads the published snapshot. Regions: 330106 西湖区 (杭州 330100) and
330205 江北区 (宁波 330200) in 浙江 330000; 320104 秦淮区 and 320102 玄武区 in 南京 / 江苏.
"""

from datetime import date
from decimal import Decimal

import duckdb
import pytest
from conftest import csv_text, rows_of

from ggzy.common.warehouse import snapshot_path
from ggzy.ingest.load import load_file
from ggzy.transform.build import build

WINNER = "91320000MA1XYZ0001"
OTHER = "91320000MA1XYZ0002"


def _deals() -> list[dict]:
    savings = [  # 2024-03, engineering, amounts in 万元: the 13.62 % / 14.84 % / 9.24 % case
        {"tender_project_code": "SAV", "region_code": "330106", "budget_amount": "70929.74",
         "deal_amount": "60403.77", "savings_amount": "", "price_unit": "万元"},
        {"tender_project_code": "SAV", "region_code": "330205", "budget_amount": "19692.17",
         "deal_amount": "17872.61", "savings_amount": "", "price_unit": "万元"},
        {"tender_project_code": "SAV", "region_code": "330205", "deal_status": "failed",
         "budget_amount": "500", "deal_amount": "", "savings_amount": "", "price_unit": "万元",
         "winner_code": ""},
    ]
    premium = [  # land, 2024-03: starting price 5,000 万 → 6,250 万, and 3,000 万 → 3,000 万
        {"tender_project_code": "LAND", "trade_category": "land", "tender_mode": "listing",
         "budget_amount": "50000000", "deal_amount": "62500000", "savings_amount": "",
         "deal_date": "2024-03-15", "contract_sign_date": "", "winner_code": WINNER},
        {"tender_project_code": "LAND", "trade_category": "land", "tender_mode": "auction",
         "budget_amount": "30000000", "deal_amount": "30000000", "savings_amount": ""},
    ]
    deposits = [  # 320104: the deals the deposits below belong to
        {"tender_project_code": "E1", "bid_section_code": "1", "region_code": "320104",
         "deal_date": "2024-03-05", "contract_sign_date": "2024-03-08", "winner_code": WINNER},
        {"tender_project_code": "GP1", "bid_section_code": "1", "region_code": "320104",
         "trade_category": "government_procurement", "deal_date": "2024-02-08",
         "contract_sign_date": "2024-02-09", "winner_code": WINNER},
        {"tender_project_code": "GP2", "bid_section_code": "1", "region_code": "320104",
         "trade_category": "government_procurement", "deal_date": "2024-05-08",
         "contract_sign_date": "2024-05-10", "winner_code": ""},
    ]
    e_bidding = [  # 2024-05, 320102: 292 concluded engineering sections, 266 electronic, 10 remote
        {"tender_project_code": "EB", "region_code": "320102", "deal_date": "2024-05-20",
         "contract_sign_date": "2024-05-22", "budget_amount": "100.00", "deal_amount": "100.00",
         "savings_amount": "", "is_electronic": "Y" if i < 266 else "N",
         "is_remote_evaluation": "Y" if i < 10 else "N"}
        for i in range(292)
    ]
    return [*rows_of("deals", *savings), *rows_of("deals", *premium),
            *(dict(row, bid_section_code="1") for row in rows_of("deals", *deposits)),
            *rows_of("deals", *e_bidding)]


def _security(security_id, project, bidder, amount, received, **more) -> dict:
    return {"security_id": security_id, "tender_project_code": project, "bid_section_code": "1",
            "bidder_code": bidder, "amount": amount, "received_date": received, **more}


def _securities() -> list[dict]:
    rows = [
        _security("S1", "E1", WINNER, "100.00", "2024-03-01"),
        _security("S2", "E1", OTHER, "200.00", "2024-03-01"),
        _security("S3", "E1", "B3", "300.00", "2024-03-02"),
        _security("S4", "E1", "B4", "400.00", "2024-03-02"),
        _security("S5", "E1", "B5", "50.00", "2024-03-02"),
        _security("S6", "E1", "B6", "1000.00", "2024-03-01", pay_form="电子保函",
                  issuer="某保险公司", guarantee_fee="5.00"),
        _security("S7", "E1", "B7", "500.00", "2024-03-01", pay_form="银行保函",
                  issuer="某银行", guarantee_fee="2.00"),
        _security("S10", "GP1", WINNER, "100.00", "2024-02-01"),
        _security("S11", "GP1", OTHER, "100.00", "2024-02-01"),
        _security("S20", "GP2", OTHER, "100.00", "2024-05-06"),
    ]
    land = [
        {"security_id": "L-W", "tender_project_code": "LAND", "bid_section_code": "S1-0",
         "bidder_code": WINNER, "amount": "1000.00", "received_date": "2024-03-10"},
        {"security_id": "L-O", "tender_project_code": "LAND", "bid_section_code": "S1-0",
         "bidder_code": OTHER, "amount": "1000.00", "received_date": "2024-03-10"},
    ]
    return rows_of("securities", *rows, *land)


def _refund(refund_id, security_id, settle_date, amount, refund_type="refund", interest="") -> dict:
    return {"refund_id": refund_id, "security_id": security_id, "refund_type": refund_type,
            "settle_date": settle_date, "refund_amount": amount, "interest_amount": interest}


def _refunds() -> list[dict]:
    return rows_of("refunds", *[
        _refund("R1", "S1", "2024-03-12", "100.00", interest="0.10"),  # on time (due 03-13)
        _refund("R2", "S2", "2024-03-20", "200.00"),  # late
        _refund("R3a", "S3", "2024-03-11", "100.00"),  # partial …
        _refund("R3b", "S3", "2024-04-02", "200.00"),  # … settled late
        _refund("R4", "S4", "2025-06-10", "400.00"),  # sediment from 2025-03-14, cleared in June
        _refund("R5", "S5", "2024-03-10", "50.00", refund_type="不予退还"),  # forfeit, on time
        _refund("R10", "S10", "2024-02-22", "100.00"),  # winner, due 02-22: on time
        _refund("R11", "S11", "2024-02-22", "100.00"),  # other, due 02-21: one day late
        _refund("R20", "S20", "2024-05-15", "100.00"),  # unknown winner → due 05-16: on time
        _refund("RLW", "L-W", "2024-03-20", "1000.00", refund_type="转为价款"),  # land winner
        _refund("RLO", "L-O", "2024-03-22", "1000.00"),  # due 03-22: on time
    ])


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory):
    folder = tmp_path_factory.mktemp("marts")
    home = folder / "warehouse"
    for kind, rows in (("deals", _deals()), ("securities", _securities()), ("refunds", _refunds())):
        path = folder / f"{kind}_2025-12.csv"
        path.write_text(csv_text(rows), encoding="utf-8")
        outcome = load_file(path, home)
        assert outcome.status == "landed", [f.describe() for f in outcome.findings if f.severity == "error"]
    outcome = build(home)
    assert outcome.published, outcome.problems
    with duckdb.connect(str(snapshot_path(home)), read_only=True) as con:
        yield con


def one(con, sql: str, *params):
    rows = con.execute(sql, params).fetchall()
    assert len(rows) == 1, rows
    return rows[0]


def pct(rate: float) -> Decimal:
    return round(Decimal(rate) * 100, 2)


def test_trading_volume_counts_sections_by_status(snapshot):
    assert one(snapshot, """select n_sections, n_concluded, n_failed, n_terminated, budget_amount,
                                   deal_amount from marts.mart_trading_volume
                            where month = '2024-03-01' and region_code = '330205'""") == (
        2, 1, 1, 0, Decimal("196921700.00"), Decimal("178726100.00"))


def test_savings_rates_per_county_and_recomputed_for_the_province(snapshot):
    a = one(snapshot, "select savings_amount, savings_rate from marts.mart_savings "
                      "where region_code = '330106' and trade_category = 'engineering'")
    b = one(snapshot, "select savings_amount, savings_rate from marts.mart_savings "
                      "where region_code = '330205'")
    assert (a[0], pct(a[1])) == (Decimal("105259700.00"), Decimal("14.84"))
    assert (b[0], pct(b[1])) == (Decimal("18195600.00"), Decimal("9.24"))
    province = one(snapshot, """select savings_base_amount, deal_amount, savings_amount, savings_rate
                                from marts.mart_kpi_monthly where month = '2024-03-01'
                                and region_level = 'province' and region_code = '330000'""")
    # published: budget 90,621.91 万元, deal 78,276.38 万元 → savings 12,345.53 万元, 13.62 %
    assert province[:3] == (Decimal("906219100.00"), Decimal("782763800.00") + Decimal("92500000.00"),
                            Decimal("123455300.00"))
    assert pct(province[3]) == Decimal("13.62")  # not (14.84 + 9.24) / 2 = 12.04
    prefectures = snapshot.execute("""select region_code, round(savings_rate * 100, 2)
        from marts.mart_kpi_monthly where month = '2024-03-01' and region_level = 'prefecture'
        and region_code like '33%' order by 1""").fetchall()
    assert prefectures == [("330100", 14.84), ("330200", 9.24)]


def test_premium_of_auction_type_sections(snapshot):
    row = one(snapshot, """select n_priced, budget_amount_priced, premium_amount, premium_rate,
                                  savings_amount from marts.mart_savings where trade_category = 'land'""")
    assert row[:3] == (2, Decimal("80000000.00"), Decimal("12500000.00"))
    assert row[3] == pytest.approx(0.15625) and row[4] is None


def test_e_bidding_266_of_292(snapshot):
    row = one(snapshot, """select n_concluded, n_electronic, e_bidding_rate, deal_amount_electronic,
                                  e_bidding_rate_amount, n_remote_evaluation, deal_amount_remote_evaluation
                           from marts.mart_e_bidding where region_code = '320102'""")
    assert row[:2] == (292, 266) and pct(row[2]) == Decimal("91.10")
    assert row[3] == Decimal("26600.00") and pct(row[4]) == Decimal("91.10")
    assert row[5:] == (10, Decimal("1000.00"))


def test_due_dates_roles_and_settlement_per_security(snapshot):
    rows = {r[0]: r[1:] for r in snapshot.execute("""
        select security_id, bidder_role, due_date, is_settled, is_refunded_on_time, days_to_refund,
               days_overdue, outstanding_amount
        from marts.fct_securities where is_bid_deposit""").fetchall()}
    assert rows["S1"] == ("winner", date(2024, 3, 13), True, True, 7, 0, Decimal("0.00"))
    assert rows["S2"] == ("other", date(2024, 3, 13), True, False, 15, 7, Decimal("0.00"))
    # partial refund on 03-11, the rest on 04-02: settled late, 28 days after the deal
    assert rows["S3"] == ("other", date(2024, 3, 13), True, False, 28, 20, Decimal("0.00"))
    assert rows["S5"][2:4] == (True, True)  # a forfeit settles it, on time
    # Spring Festival 2024 (02-10 … 02-17 off, 02-18 a make-up Sunday)
    assert rows["S10"][:2] == ("winner", date(2024, 2, 22)) and rows["S10"][3] is True
    assert rows["S11"][:2] == ("other", date(2024, 2, 21)) and rows["S11"][3] is False
    # no winner_code: the later, winner's date (contract 05-10 + 5 working days, 05-11 a make-up Saturday)
    assert rows["S20"][:2] == ("unknown", date(2024, 5, 16)) and rows["S20"][3] is True
    # the land winner's deposit is converted into the price: no due date, settled
    assert rows["L-W"][:4] == ("winner", None, True, None)
    assert rows["L-O"][:2] == ("other", date(2024, 3, 22)) and rows["L-O"][3] is True


def test_deposit_flows_and_on_time_rate(snapshot):
    march = one(snapshot, """select n_received, amount_received, n_settled, amount_refunded,
            amount_forfeited, interest_paid, n_due, n_due_on_time, on_time_rate, avg_days_to_refund,
            n_due_late
        from marts.mart_deposit_refunds
        where month = '2024-03-01' and region_code = '320104' and trade_category = 'engineering'""")
    assert march[:8] == (5, Decimal("1050.00"), 3, Decimal("400.00"), Decimal("50.00"),
                         Decimal("0.10"), 5, 2)
    assert march[10] == 3  # 5 due, 2 on time: 3 late or not refunded
    assert march[8] == pytest.approx(0.4) and march[9] == pytest.approx((7 + 15 + 5) / 3)
    land = one(snapshot, """select amount_converted, amount_refunded, n_due, n_due_on_time
        from marts.mart_deposit_refunds where month = '2024-03-01' and trade_category = 'land'""")
    assert land == (Decimal("1000.00"), Decimal("1000.00"), 1, 1)  # the converted winner is never due
    february = one(snapshot, """select n_due, n_due_on_time from marts.mart_deposit_refunds
        where month = '2024-02-01' and region_code = '320104'""")
    assert february == (2, 1)


def test_month_end_stocks_overdue_and_sediment(snapshot):
    stocks = {r[0]: r[1:] for r in snapshot.execute("""
        select month, n_outstanding, amount_outstanding, n_overdue, amount_overdue, n_sediment,
               amount_sediment, amount_refunded
        from marts.mart_deposit_refunds
        where region_code = '320104' and trade_category = 'engineering'""").fetchall()}
    assert stocks[date(2024, 3, 1)][:6] == (2, Decimal("600.00"), 2, Decimal("600.00"), 0, 0)
    assert stocks[date(2024, 4, 1)][:6] == (1, Decimal("400.00"), 1, Decimal("400.00"), 0, 0)
    # due 2024-03-13: sediment from 2025-03-14, 365 days after the due date
    assert stocks[date(2025, 2, 1)][4:6] == (0, 0)
    assert stocks[date(2025, 3, 1)][4:6] == (1, Decimal("400.00"))
    # refunded 2025-06-10: gone from every stock at June's end, the row is there for the flow
    assert stocks[date(2025, 6, 1)] == (0, 0, 0, 0, 0, 0, Decimal("400.00"))
    assert date(2025, 7, 1) not in stocks
    assert len([m for m in stocks if date(2024, 5, 1) <= m <= date(2025, 5, 1)]) == 13  # no gaps


def test_guarantee_substitution(snapshot):
    row = one(snapshot, """select n_securities, amount_total, n_guarantee, amount_guarantee,
            amount_e_guarantee, amount_bank_guarantee, guarantee_fee, substitution_rate,
            substitution_rate_count
        from marts.mart_guarantee_substitution
        where month = '2024-03-01' and region_code = '320104' and security_kind = 'bid'""")
    assert row[:7] == (7, Decimal("2550.00"), 2, Decimal("1500.00"), Decimal("1000.00"),
                       Decimal("500.00"), Decimal("7.00"))
    assert row[7] == pytest.approx(1500 / 2550) and row[8] == pytest.approx(2 / 7)


def test_kpi_all_level_adds_up(snapshot):
    total = one(snapshot, """select sum(n_sections), sum(amount_guarantee) from marts.mart_kpi_monthly
                             where region_level = 'all'""")
    assert total == (3 + 2 + 3 + 292, Decimal("1500.00"))


def test_every_mart_column_is_documented_in_the_snapshot(snapshot):
    undocumented = snapshot.execute("""select table_name, column_name from duckdb_columns()
        where schema_name = 'marts' and comment is null""").fetchall()
    assert undocumented == []
