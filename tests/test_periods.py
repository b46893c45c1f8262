"""mart_kpi_periods: months, years, year to date and their changes, worked by hand.

Remote evaluation (远程异地评标), engineering, every section electronic unless said:
- 2022-03, 330106 (杭州): 25 remote sections × 2,000,000.00 and 10 others, not electronic,
  × 1,000,000.00; 2022-07, 330106: 15 remote × 2,000,000.00; 2022-10: 5 remote × 1,000,000.00.
  January–August 2022: 40 remote, 80,000,000.00; 50 concluded, 40 electronic.
- 2023-02, 330106: 100 remote × 3,000,000.00; 2023-08, 330205 (宁波): 58 remote × 3,800,000.00,
  1 remote × 5,992,000.00 and 21 others, not electronic, × 1,000,000.00.
  January–August 2023: 159 remote, 526,392,000.00; 180 concluded, 159 electronic.
So year to date in August 2023 against 2022: count (159 − 40) / 40 = +297.5 %, amount
(526,392,000 − 80,000,000) / 80,000,000 = +557.99 % — the published seed check; e-bidding rate
159/180 = 88.3333 % against 40/50 = 80 %: +8.3333 percentage points (the average of the monthly
rates, (100 % + 73.75 %) / 2 = 86.875 %, would be wrong).

Every month from January 2022 to August 2023 is loaded, one file a month: a month without the
sections above has one failed procurement section in 330106 (nothing concluded, nothing remote),
so that it is loaded and zero rather than unknown.
"""

from datetime import date
from decimal import Decimal

import duckdb
import pytest
from conftest import csv_text, rows_of

from ggzy.common.warehouse import snapshot_path
from ggzy.ingest.load import load_file
from ggzy.transform.build import build


def _sections(month: str, region: str, n: int, amount: str, remote: bool,
              electronic: bool = True) -> list[dict]:
    flag = {True: "Y", False: "N"}
    return [{"tender_project_code": f"{month}-{region}-{amount}-{remote}", "bid_section_code": str(i),
             "region_code": region, "budget_amount": amount, "deal_amount": amount, "savings_amount": "",
             "deal_date": f"{month}-15", "contract_sign_date": f"{month}-18",
             "is_remote_evaluation": flag[remote], "is_electronic": flag[electronic]} for i in range(n)]


DEALS = [
    *_sections("2022-03", "330106", 25, "2000000.00", remote=True),
    *_sections("2022-03", "330106", 10, "1000000.00", remote=False, electronic=False),
    *_sections("2022-07", "330106", 15, "2000000.00", remote=True),
    *_sections("2022-10", "330106", 5, "1000000.00", remote=True),
    *_sections("2023-02", "330106", 100, "3000000.00", remote=True),
    *_sections("2023-08", "330205", 58, "3800000.00", remote=True),
    *_sections("2023-08", "330205", 1, "5992000.00", remote=True),
    *_sections("2023-08", "330205", 21, "1000000.00", remote=False, electronic=False),
]


def _failed_section(month: str) -> dict:
    return {"tender_project_code": f"{month}-empty", "bid_section_code": "1", "region_code": "330106",
            "trade_category": "government_procurement", "tender_mode": "inquiry", "deal_status": "failed",
            "budget_amount": "1000.00", "deal_amount": "", "savings_amount": "", "winner_code": "",
            "deal_date": f"{month}-15", "contract_sign_date": "", "is_remote_evaluation": "N",
            "is_electronic": "N"}


MONTHS = [f"{year}-{month:02d}" for year in (2022, 2023) for month in range(1, 13)][:20]  # to 2023-08


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory):
    folder = tmp_path_factory.mktemp("periods")
    home = folder / "warehouse"
    for month in MONTHS:
        sections = [d for d in DEALS if d["deal_date"].startswith(month)] or [_failed_section(month)]
        path = folder / f"deals_{month}.csv"
        path.write_text(csv_text(rows_of("deals", *sections)), encoding="utf-8")
        outcome = load_file(path, home)
        assert outcome.status == "landed", [f.describe() for f in outcome.findings if f.severity == "error"]
    built = build(home)
    assert built.published, built.problems
    with duckdb.connect(str(snapshot_path(home)), read_only=True) as con:
        yield con


def periods(con, metric: str, month: str, level: str = "all", region: str = "000000",
            category: str = "all") -> dict:
    rows = con.execute("""
        select * exclude (month, region_level, region_code, trade_category, metric)
        from marts.mart_kpi_periods
        where metric = ? and month = ? and region_level = ? and region_code = ? and trade_category = ?""",
                       [metric, month, level, region, category]).fetchall()
    assert len(rows) == 1, rows
    columns = [d[0] for d in con.description]
    return dict(zip(columns, rows[0], strict=True))


def test_remote_evaluation_year_to_date_against_last_year(snapshot):
    count = periods(snapshot, "n_remote_evaluation", "2023-08-01")
    assert (count["value"], count["value_ytd"], count["value_ytd_last_year"]) == (59, 159, 40)
    assert count["change_ytd_yoy"] == 297.5 and count["change_unit"] == "percent"
    amount = periods(snapshot, "deal_amount_remote_evaluation", "2023-08-01")
    assert amount["value_ytd"] == Decimal("526392000.00")
    assert amount["value_ytd_last_year"] == Decimal("80000000.00")
    assert amount["change_ytd_yoy"] == 557.99


def test_the_month_against_the_previous_month_and_last_year(snapshot):
    # 2023-08 has 59 remote sections; 2023-07 and 2022-08 none: no change against nothing
    count = periods(snapshot, "n_remote_evaluation", "2023-08-01")
    assert (count["value_prev_month"], count["value_last_year"]) == (0, 0)
    assert count["change_mom"] is None and count["change_yoy"] is None
    # 2022-07: 15 remote; June none, and 2021 is before the warehouse: last year unknown
    july = periods(snapshot, "n_remote_evaluation", "2022-07-01")
    assert (july["value"], july["value_prev_month"], july["value_ytd"]) == (15, 0, 40)
    assert july["value_last_year"] is None and july["value_ytd_last_year"] is None
    assert july["change_yoy"] is None


def test_a_rate_is_recomputed_from_summed_parts_and_changes_in_points(snapshot):
    rate = periods(snapshot, "e_bidding_rate", "2023-08-01")
    assert rate["value"] == Decimal("0.737500")  # 59 / 80
    assert rate["value_ytd"] == Decimal("0.883333")  # 159 / 180, not (1 + 0.7375) / 2
    assert rate["value_ytd_last_year"] == Decimal("0.800000")  # 40 / 50
    assert rate["change_ytd_yoy"] == 8.3333 and rate["change_unit"] == "percentage_points"
    assert rate["unit"] == "rate"


def test_every_region_level_and_category(snapshot):
    # 杭州 330100 had only the February 2023 sections: 100 remote, 300,000,000.00
    prefecture = periods(snapshot, "deal_amount_remote_evaluation", "2023-08-01", "prefecture", "330100")
    assert prefecture["value"] == 0 and prefecture["value_ytd"] == Decimal("300000000.00")
    assert prefecture["change_ytd_yoy"] == 275.0  # against 80,000,000.00
    province = periods(snapshot, "n_remote_evaluation", "2023-08-01", "province", "330000")
    county = periods(snapshot, "n_remote_evaluation", "2023-08-01", "county", "330205", "engineering")
    assert (province["value_ytd"], county["value_ytd"]) == (159, 59)
    assert county["value_ytd_last_year"] == 0  # 宁波 traded nothing in 2022


def test_the_periods_agree_with_mart_kpi_monthly(snapshot):
    differing = snapshot.execute("""
        select k.month, k.region_level, k.region_code
        from marts.mart_kpi_monthly as k
        join marts.mart_kpi_periods as p
            on p.month = k.month and p.region_level = k.region_level and p.region_code = k.region_code
            and p.trade_category = 'all' and p.metric = 'deal_amount'
        where p.value <> k.deal_amount""").fetchall()
    assert differing == []
    n_compared = snapshot.execute("select count(*) from marts.mart_kpi_monthly").fetchone()[0]
    assert n_compared > 0


def test_the_report_narrative_states_the_published_seed_figures(snapshot):
    """The monthly report's paragraph for August 2023 states the year-to-date figures with their
    changes as the seed report does; deposits, land and guarantees have no figures: no sentence,
    but one saying the securities and refunds files were not sent.
    Deal amount January–August 2023: 300,000,000 + 220,400,000 + 5,992,000 + 21,000,000 =
    547,392,000 (5.47亿元) against 2022's 50,000,000 + 10,000,000 + 30,000,000 = 90,000,000:
    +508.21 %; August 2023 alone 247,392,000 (2.47亿元)."""
    from ggzy.report.report import monthly_report

    paragraph = monthly_report(snapshot, date(2023, 8, 1)).narrative
    assert paragraph.startswith("2023年1—8月，共完成进场交易180宗，成交金额5.47亿元，同比增长508.21%；"
                                "其中8月完成80宗，成交金额2.47亿元。")
    assert "开展远程异地评标159个标段，同比增长297.50%，成交金额5.26亿元，同比增长557.99%。" in paragraph
    assert "电子化交易率88.33%，同比提高8.33个百分点" in paragraph
    assert "分类别看，工程建设180宗、5.47亿元。" in paragraph
    said, unsent = paragraph.split("本月未报送")  # only deals were loaded: the last sentence says so
    assert unsent == "保证金、退还数据，相关指标标为“未报送”。"
    assert not any(word in said for word in ("保证金", "溢价", "保函"))
    english = monthly_report(snapshot, date(2023, 8, 1), lang="en").narrative
    assert "159 sections were evaluated remotely, up 297.50% year on year, for CNY 526.39 million, " \
           "up 557.99% year on year." in english
