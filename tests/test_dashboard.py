"""The Streamlit dashboard (app/) through AppTest: every page runs on a snapshot built from known
sample data, the figures shown equal the marts', the filters change them, the empty state helps."""

import io
import json
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import duckdb
import openpyxl
import pytest
from conftest import land
from streamlit.testing.v1 import AppTest

from ggzy import sample
from ggzy.cli import main
from ggzy.common import metrics
from ggzy.common.warehouse import snapshot_path
from ggzy.serve import dashboard_queries as queries
from ggzy.serve.adhoc_sql import open_snapshot
from ggzy.transform.build import build

APP = str(Path(__file__).resolve().parent.parent / "app" / "streamlit_app.py")
PAGES = ("overview", "trading", "savings", "e_bidding", "deposits", "guarantees", "quality", "sql")
MONTHS = [f"{2024 + i // 12}-{i % 12 + 1:02d}" for i in range(14)]  # 2024-01 — 2025-02: a year's sediment
LAST = MONTHS[-1]


@pytest.fixture(scope="module")
def sample_home(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("dashboard")
    home = folder / "warehouse"
    files = sample.generate(folder / "sample", months=len(MONTHS), scale=0.05)
    land(files, home)
    assert build(home).published
    return home


@pytest.fixture
def app(sample_home, monkeypatch):
    monkeypatch.setenv("GGZY_HOME", str(sample_home))

    def run(page: str = "overview", **state) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=60)
        for key, value in state.items():
            at.session_state[key] = value
        at.run()
        if page != "overview":
            at.switch_page(f"views/{page}.py").run()
        assert not at.exception, [e.value for e in at.exception]
        return at
    return run


def mart(home: Path, sql: str, *params):
    """The snapshot opened the way the dashboard opens it (one process may not mix configurations)."""
    with open_snapshot(home) as con:
        return con.execute(sql, params).fetchone()


def mart_rows(home: Path, sql: str) -> list[tuple]:
    with open_snapshot(home) as con:
        return con.execute(sql).fetchall()


def cards(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


KPI = """select n_concluded, deal_amount, savings_rate, premium_rate, e_bidding_rate, on_time_rate,
                amount_outstanding, amount_sediment, substitution_rate
         from marts.mart_kpi_monthly where month = '2025-02-01' and region_level = ? and region_code = ?"""


CARD_LABELS = ("成交宗数", "成交金额", "节约率", "溢价率", "电子化率", "按时退还率",
               "未退保证金（月末）", "沉淀保证金（月末）", "保函替代率")  # stocks say they are month-end


def shown(row) -> dict[str, str]:
    """The cards as the dashboard should show them: 亿元 from 1 亿元 on, else 万元, with
    separators and two places (half up); rates in % to 0.01."""
    n, deal, savings, premium, e_bidding, on_time, outstanding, sediment, substitution = row
    return dict(zip(CARD_LABELS, (f"{n:,}", amount(deal), pct(savings), pct(premium), pct(e_bidding),
                                  pct(on_time), amount(outstanding), amount(sediment), pct(substitution)),
                    strict=True))


def amount(yuan: Decimal) -> str:
    unit, divisor = ("亿元", Decimal(10**8)) if yuan >= 10**8 else ("万元", Decimal(10**4))
    return f"{(yuan / divisor).quantize(Decimal('0.01'), ROUND_HALF_UP):,}{unit}"


def pct(rate) -> str:
    return f"{rate * 100:.2f}%"


def test_overview_cards_show_the_marts_figures(app, sample_home):
    at = app()
    assert cards(at) == shown(mart(sample_home, KPI, "all", "000000"))  # in Chinese by default
    assert f"数据月份: {LAST}" in [c.value for c in at.caption]
    assert at.metric[1].delta is not None  # month-on-month change
    under = [c.value for c in at.caption if c.value.startswith("同比")]
    lines = {m.label: line for m, line in zip(at.metric, under, strict=True)}
    deal, deal_last_year = mart(sample_home, """select value, value_last_year from marts.mart_kpi_periods
        where metric = 'deal_amount' and month = '2025-02-01' and region_level = 'all'
            and trade_category = 'all'""")
    change = (deal / deal_last_year - 1) * 100
    assert lines["成交金额"] == f"同比 {change:+.2f}%（上年同期 {amount(deal_last_year)}）"
    # the base month, 2024-02, has one month of loads behind it: a stock then was understated
    assert lines["未退保证金（月末）"].endswith(" · 同比基期前的数据不足 12 个月，仅供参考")
    assert lines["沉淀保证金（月末）"].startswith("同比 —")  # no sediment a year before: no base at all


def test_a_province_filter_shows_that_province_recomputed(app, sample_home):
    province = mart(sample_home, """select region_code from marts.mart_kpi_monthly
        where region_level = 'province' and month = '2025-02-01' order by deal_amount desc limit 1""")[0]
    at = app(province=province)
    assert cards(at) == shown(mart(sample_home, KPI, "province", province))
    assert cards(at) != cards(app())


def test_a_category_filter_changes_the_figures(app, sample_home):
    at = app(categories=["engineering"])
    n, deal = mart(sample_home, """select sum(n_concluded), sum(deal_amount) from marts.mart_trading_volume
                                   where month = '2025-02-01' and trade_category = 'engineering'""")
    assert cards(at)["成交宗数"] == f"{n:,}" and cards(at)["成交金额"] == amount(deal)


def test_every_page_states_its_scope_and_the_sediment_figures_agree(app, sample_home):
    """The header: region path, categories, months, the build's date; the deposits page shows the
    month-end sediment the overview shows, and the one as at the build beside it."""
    province = "330000"
    at = app(province=province, categories=["engineering"])
    (build_date,) = mart(sample_home, "select max(finished_at)::date from meta.build_log")
    assert at.caption[0].value == ("地区：浙江省 · 交易类别：工程建设 · 期间：2024-03 — 2025-02 · "
                                   f"数据截至 2025-02-28 · 构建 #1（{build_date:%Y-%m-%d}）")
    deposits = app("deposits", province=province, categories=["engineering"])
    assert deposits.caption[0].value == at.caption[0].value
    sediment = {m.label: m.value for m in deposits.metric}
    assert sediment[f"沉淀保证金（{LAST} 月末）"] == cards(at)["沉淀保证金（月末）"]
    (n_sediment,) = mart(sample_home, """select count(*) from marts.fct_deposit_month_ends
        where is_sediment and month = '2025-02-01' and province_code = ?
            and trade_category = 'engineering'""", province)
    assert sediment[f"沉淀笔数（{LAST} 月末）"] == f"{n_sediment:,}" and n_sediment > 0


def test_english_is_one_click_away(app):
    at = app(language="English")
    assert "Deal amount" in cards(at) and at.title[0].value == "Overview · Public-resource trading metrics"
    assert cards(at)["Deal amount"].startswith("CNY ")


@pytest.mark.parametrize("page", PAGES[1:])
def test_every_page_draws_without_error(app, page):
    at = app(page)
    assert at.subheader or at.text_area, page


def test_charts_come_with_their_data(app):
    at = app("trading")
    assert len(at.get("vega_lite_chart")) == 3
    assert len(at.get("download_button")) >= 3


def test_sediment_list_drills_down_to_the_security(app, sample_home):
    at = app("deposits")
    n_sediment = mart(sample_home, """select count(*) from marts.fct_deposit_month_ends
        where is_sediment and month = '2025-02-01'""")[0]
    (listed,) = [h.value for h in at.subheader if h.value.startswith("沉淀保证金清单")]
    assert n_sediment > 0 and f"{n_sediment:,}" in listed
    security = at.selectbox(key="sediment_security").value
    detail = dict(at.dataframe[-1].value.itertuples(index=False))  # in words, not fct_securities' columns
    amount, outstanding, project, bidder, overdue, deal_date, kind = mart(sample_home, """
        select held.amount, held.outstanding_amount, held.tender_project_code, held.bidder_code,
               held.days_overdue, deal.deal_date, kind.name_zh
        from marts.fct_securities as held
        join marts.fct_deals as deal using (tender_project_code, bid_section_code, attempt_month)
        join marts.dim_security_kind as kind on held.security_kind = kind.code
        where held.security_id = ?""", security)
    assert detail["保证金编号"] == security and detail["沉淀保证金"] == "是"
    assert detail["金额（元）"] == f"{amount:,.2f}" and detail["未退金额（元）"] == f"{outstanding:,.2f}"
    assert (detail["招标项目编号"], detail["投标人"], detail["担保类型"]) == (project, bidder, kind)
    assert detail["逾期天数"] == f"{overdue:,}" and detail["成交日期"] == f"{deal_date:%Y-%m-%d}"
    assert detail["地区"].count(" / ") == 2 and detail["结清日期"] == "—"
    # the list is as at the month end, the security's state (days overdue) as at the build date
    (built,) = mart(sample_home, "select max(finished_at)::date from meta.build_log")
    assert detail["状态截至"] == f"{built:%Y-%m-%d}"
    assert any(h.value.startswith("保证金详情（当前状态，截至构建日") for h in at.subheader)


def test_sql_page_runs_read_only_queries(app):
    at = app("sql")
    at.text_area(key="sql_query").set_value("select count(*) as n from marts.fct_deals")
    at.button(key="sql_run").click().run()
    assert at.dataframe[0].value["n"][0] == 3500  # 14 months × 250 sections at scale 0.05
    for attempt, answer in [("create table marts.x (a int)", "快照是只读的"),
                            ("select * from read_csv('/etc/passwd')", "不能读写文件"),
                            ("attach '/tmp/x.duckdb' as x", "连接其他数据库")]:
        at.text_area(key="sql_query").set_value(attempt).run()
        at.button(key="sql_run").click().run()
        assert "拒绝 refused" in at.error[0].value and answer in at.error[0].value


def test_a_fresh_warehouse_shows_how_to_load(tmp_path, monkeypatch):
    monkeypatch.setenv("GGZY_HOME", str(tmp_path / "empty"))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert "先入库并构建" in at.info[0].value and "ggzy --home" in at.code[0].value


def test_a_snapshot_built_by_an_earlier_release_asks_for_a_build(tmp_path, monkeypatch, capsys):
    """After an upgrade the snapshot's tables are those of the earlier release (its digest of the
    dbt project differs, or it has none): the dashboard and ggzy report say to run ggzy build
    rather than fail on a missing column; after the build both work."""
    home = tmp_path / "warehouse"
    land(sample.generate(tmp_path / "sample", months=1, scale=0.02), home)
    assert build(home).published
    with duckdb.connect(str(snapshot_path(home))) as con:  # as a build of the earlier release left it
        con.execute("alter table meta.build_log drop column models_digest")
    cli = ["--home", str(home), "report", "--month", "2024-01", "--out", str(tmp_path / "r.xlsx")]
    assert main(cli) == 2
    assert "run ggzy build first" in capsys.readouterr().err
    monkeypatch.setenv("GGZY_HOME", str(home))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception and queries.STALE in at.info[0].value and at.code[0].value.endswith(" build")
    assert main(["--home", str(home), "build"]) == 0
    at = AppTest.from_file(APP, default_timeout=60).run()  # reopens the new snapshot in this process
    assert not at.exception and not at.info
    assert main(cli) == 0


def test_quality_page_shows_rows_loaded_by_month_and_kind(app, sample_home):
    at = app("quality")
    loaded = at.dataframe[0].value
    assert list(loaded.index) == MONTHS
    n_deals = mart(sample_home, "select sum(n_rows) from meta.load_log where kind = 'deals'")[0]
    assert loaded["成交"].sum() == n_deals == 250 * len(MONTHS)
    (n_single,) = mart(sample_home, """select count(*) from marts.fct_deals
        where is_single_bid and deal_status = 'concluded' and province_code = '330000'
            and deal_date >= '2025-02-01'""")
    assert f"- 浙江省 — 单一投标 {n_single:,} 个标段" in at.markdown[-1].value.splitlines()
    warnings = at.dataframe[-1].value
    assert "只有一家投标" in set(warnings["规则"])  # the rule in the users' words, not single_bid


def test_the_dashboards_totals_for_all_regions_are_the_marts(sample_home):
    """Every query the pages draw, over all regions, categories and months, adds up to the
    marts' `all` level: the same populations, the same declared ratios."""
    with open_snapshot(sample_home) as con:
        months = queries.months(con)
        everything = queries.Selection(months[0], months[-1])

        def kpi(sql: str):
            return con.execute(f"""select {sql} from marts.mart_kpi_monthly
                where region_level = 'all' and month between ? and ?""", [months[0], months[-1]]).fetchone()

        def at_last_month_end(column: str):
            return con.execute(f"""select {column} from marts.mart_kpi_monthly
                where region_level = 'all' and month = ?""", [months[-1]]).fetchone()[0]

        headline = queries.headline_by_month(con, everything).set_index("month").loc[str(months[0]):]
        for part in metrics.parts():
            if not part.is_stock:
                assert headline[part.name].sum() == kpi(f"sum({part.name})")[0], part.name
        rates = [r.name for r in metrics.ratios()]
        expected = con.execute(f"""select month, {', '.join(rates)} from marts.mart_kpi_monthly
            where region_level = 'all' and month between ? and ? order by month""",
                               [months[0], months[-1]]).df()
        assert headline[rates].reset_index(drop=True).equals(expected[rates])

        deal_amount, n_settled, amount_total = kpi("sum(deal_amount), sum(n_settled), sum(amount_total)")
        assert queries.trading_by_category(con, everything).deal_amount.sum() == deal_amount
        assert queries.regions_ranked(con, everything).deal_amount.sum() == deal_amount
        assert queries.tender_modes(con, everything).deal_amount.sum() == deal_amount
        assert queries.e_bidding_by_category(con, everything).deal_amount.sum() == deal_amount
        assert queries.days_to_refund_distribution(con, everything).n_settled.sum() == n_settled > 0

        ages = queries.outstanding_by_age(con, everything)
        assert ages.amount_outstanding.sum() == at_last_month_end("amount_outstanding") > 0
        assert list(ages.age_bucket)[-1] == "sediment"
        assert queries.sediment_totals(con, everything) == (at_last_month_end("n_sediment"),
                                                            at_last_month_end("amount_sediment"))
        assert at_last_month_end("n_sediment") > 0

        forms = queries.guarantee_forms_by_month(con, everything)
        codes = list(queries.pay_forms(con).code)
        assert codes[0] == "cash" and len(codes) == 5
        assert (forms[codes].sum(axis=1) == forms.amount_total).all()
        assert forms.amount_total.sum() == amount_total


def test_the_overviews_changes_come_from_the_period_mart(sample_home):
    """One category or all: mart_kpi_periods' own rows. Several: their parts summed per period,
    each ratio recomputed — equal to the month-by-month query over the same categories."""
    with open_snapshot(sample_home) as con:
        months = queries.months(con)
        end = months[-1]
        everything = queries.Selection(months[0], end)
        periods = queries.headline_periods(con, everything)
        expected = con.execute("""select metric, value, change_mom, change_yoy from marts.mart_kpi_periods
            where month = ? and region_level = 'all' and trade_category = 'all' order by metric""",
                               [end]).fetchall()
        assert len(expected) == len(metrics.parts()) + len(metrics.ratios())
        shown = periods[["value", "change_mom", "change_yoy"]].astype(object)
        assert list(shown.where(shown.notna(), None).itertuples(name=None)) == expected

        two = queries.Selection(months[0], end, categories=("engineering", "government_procurement"))
        periods = queries.headline_periods(con, two)
        by_month = queries.headline_by_month(con, two).set_index("month")
        now, before = by_month.loc[str(end)], by_month.loc[str(months[-2])]
        assert periods.at["deal_amount", "value"] == now.deal_amount  # both exact Decimal
        assert isinstance(periods.at["deal_amount", "value"], Decimal)
        assert periods.at["deal_amount", "value_prev_month"] == before.deal_amount
        change = (now.deal_amount - before.deal_amount) / before.deal_amount * 100
        assert periods.at["deal_amount", "change_mom"] == float(round(change, 4))
        assert periods.at["savings_rate", "value"] == Decimal(str(now.savings_rate))
        points = (Decimal(str(now.savings_rate)) - Decimal(str(before.savings_rate))) * 100
        assert periods.at["savings_rate", "change_mom"] == float(round(points, 4))
        assert periods.at["savings_rate", "unit"] == "rate"


def test_the_report_buttons_give_the_report_ggzy_report_writes(app, sample_home, tmp_path, monkeypatch):
    """下载月报: xlsx and PDF of the selection's last month and region, made when clicked; the
    workbook's every cell is the command's."""
    at = app(province="330000")
    buttons = {b.proto.label: b.proto for b in at.get("download_button")}
    assert buttons["XLSX"].deferred_file_id and buttons["PDF"].deferred_file_id
    selection = at.session_state["selection"]
    month = f"{selection.end:%Y-%m}"
    monkeypatch.syspath_prepend(str(Path(APP).parent))
    monkeypatch.setenv("GGZY_HOME", str(sample_home))
    import data  # the app's module: what the button's callable returns

    assert main(["--home", str(sample_home), "report", "--month", month, "--region", "330000",
                 "--out", str(tmp_path / "cli.xlsx")]) == 0
    shown = openpyxl.load_workbook(io.BytesIO(data.report_bytes(selection, "zh", "xlsx")))
    written = openpyxl.load_workbook(tmp_path / "cli.xlsx")
    assert shown.sheetnames == written.sheetnames
    for sheet in shown.sheetnames:
        assert list(shown[sheet].values) == list(written[sheet].values)
    assert data.report_bytes(selection, "zh", "pdf").startswith(b"%PDF")


def test_the_sediment_work_list_filters_ranks_and_downloads_whole(app, sample_home):
    """Filtered by days overdue and amount; counties and bidders holding most above it; the xlsx
    download (written as the monthly report is) holds every deposit of the filtered list."""
    from ggzy.report.report import sediment_workbook

    at = app("deposits", sediment_min_days=380, sediment_min_wan=0.5)
    expected = mart(sample_home, """select count(*), sum(outstanding_amount) from marts.fct_deposit_month_ends
        where month = '2025-02-01' and is_sediment and days_overdue >= 380 and outstanding_amount >= 5000""")
    with open_snapshot(sample_home) as con:
        selection = at.session_state["selection"]
        whole = queries.sediment_deposits(con, selection, None, 380, Decimal("5000.00"))
        counties = queries.sediment_ranking(con, selection, "county")
    assert (len(whole), whole.outstanding_amount.sum()) == expected and expected[0] > 0
    assert (whole.days_overdue >= 380).all() and whole.days_overdue.is_monotonic_decreasing
    listed = [d.value for d in at.dataframe if "逾期天数" in d.value.columns][0]
    assert len(listed) == min(len(whole), queries.SEDIMENT_LIST_ROWS)
    top = mart(sample_home, """select count(*), sum(outstanding_amount) from marts.fct_deposit_month_ends
        where month = '2025-02-01' and is_sediment group by region_code order by 2 desc limit 1""")
    assert (counties.n_sediment[0], counties.amount_sediment[0]) == top
    book = openpyxl.load_workbook(io.BytesIO(sediment_workbook(whole, "全部", "2026-11-25", "zh")))
    rows = list(book.active.values)
    header = rows.index(next(r for r in rows if r[0] == "省"))
    assert len([r for r in rows[header + 1:] if r[0] is not None]) == expected[0]


def test_bars_are_ranked_by_value_or_kept_in_their_buckets_order(app, sample_home):
    """Regions and tender modes largest first (every region: none cut); days to refund and ages in
    their buckets' order (5 天以内, 6–10 天, 11–30 天 …; sediment last), never by label text."""
    def sorts(at: AppTest) -> list:
        specs = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
        return [spec.get("encoding", {}).get("y", {}).get("sort") for spec in specs]  # layered: no sort

    assert [s for s in sorts(app("trading")) if s] == ["-x", "-x"]
    days, ages = [s for s in sorts(app("deposits")) if isinstance(s, list)]
    buckets = mart_rows(sample_home, """select bucket_set, name_zh from marts.dim_deposit_bucket
        order by bucket_set, sort_order""")
    assert days == [n for kind, n in buckets if kind == "days_to_refund" and n in days] and len(days) > 2
    assert ages == [n for kind, n in buckets if kind == "age" and n in ages] and ages[-1] == "沉淀保证金"


def test_categories_come_in_their_usual_order(app, sample_home):
    """工程建设、政府采购、土地使用权、矿业权、国有产权、其他 (the code list's order), then the unknown:
    in the category filter, the trading page's table and the report's category sheet alike."""
    usual = ["工程建设", "政府采购", "土地使用权", "矿业权", "国有产权", "其他"]
    with open_snapshot(sample_home) as con:
        assert queries.categories(con).name_zh.tolist() == [*usual, "类别未知（标段尚未入库）"]
    shown = app("trading").dataframe[0].value.index.tolist()
    assert shown[:-1] == [c for c in usual if c in shown] and len(shown) >= 5 and shown[-1] == "合计"


def test_tables_add_up_say_dash_where_nothing_applies_and_give_the_year_so_far(app, sample_home):
    """The trading table's 合计 is the range's deal amount; the savings table shows — for savings
    of land and premium of procurement, and a 合计 whose rates are recomputed from the summed
    parts; the last month by category carries 同比 and the year to date; the guarantee page's
    period cards are the range's flows and their ratio; the SQL page says the filters do not
    apply to it."""
    in_range = "region_level = 'all' and month between '2024-03-01' and '2025-02-01'"
    (deal,) = mart(sample_home, f"select sum(deal_amount) from marts.mart_kpi_monthly where {in_range}")
    trading = app("trading")
    assert trading.dataframe[0].value.loc["合计", "成交金额（万元）"] == f"{deal / 10_000:,.2f}"
    by_category = trading.dataframe[1].value.set_index("交易类别")
    value, ytd, change = mart(sample_home, """select value, value_ytd, change_yoy
        from marts.mart_kpi_periods where month = '2025-02-01' and region_level = 'all'
            and trade_category = 'land' and metric = 'deal_amount'""")
    land = by_category.loc["土地使用权"]
    assert land["成交金额（万元）"] == f"{value / 10_000:,.2f}"
    assert land["本年累计（万元）"] == f"{ytd / 10_000:,.2f}"
    assert land["同比"] == f"{change:+.2f}%"

    savings = app("savings").dataframe[0].value.set_index("交易类别")
    assert savings.loc["土地使用权", "节约资金（万元）"] == savings.loc["政府采购", "溢价（万元）"] == "—"
    budget, saved = mart(sample_home, f"""select sum(savings_base_amount), sum(savings_amount)
        from marts.mart_kpi_monthly where {in_range}""")
    assert savings.loc["合计", "采购预算（万元）"] == f"{budget / 10_000:,.2f}"
    assert savings.loc["合计", "节约率"] == f"{saved / budget * 100:.2f}%"

    guarantee, fee = mart(sample_home, f"""select sum(amount_guarantee), sum(guarantee_fee)
        from marts.mart_kpi_monthly where {in_range}""")
    rate = (fee / guarantee * 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
    assert cards(app("guarantees"))["平均保函费率"] == f"{rate}%"
    assert app("sql").caption[0].value.startswith("查询结果只由 SQL 语句决定")


def test_a_kind_nobody_sent_reads_not_sent_on_the_cards(tmp_path, monkeypatch):
    """February's refunds file never came: the cards counted from refunds read 未报送, the deals'
    stand."""
    home = tmp_path / "warehouse"
    files = sample.generate(tmp_path / "sample", months=2, scale=0.02)
    land([f for f in files if f.name != "refunds_2024-02.csv"], home)
    assert build(home).published
    monkeypatch.setenv("GGZY_HOME", str(home))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    shown = cards(at)
    assert shown["按时退还率"] == shown["未退保证金（月末）"] == "未报送"
    assert shown["成交金额"] != "未报送" and shown["保函替代率"] != "未报送"


def test_red_is_for_what_is_better_lower(app):
    """On the deposits page's due bars the late ones are red (n_due_late is better lower) and the
    on-time ones are not; no other series anywhere takes that red."""
    def colours(page: str) -> dict:
        found = {}
        for chart in app(page).get("vega_lite_chart"):
            spec = json.loads(chart.proto.spec)
            for layer in [spec, *spec.get("layer", [])]:
                scale = layer.get("encoding", {}).get("color", {}).get("scale", {})
                found.update(zip(scale.get("domain", []), scale.get("range", []), strict=True))
        return found

    due = colours("deposits")
    assert due["逾期退还或未退笔数"] == "#e15759" and due["按时退还笔数"] != "#e15759"
    for page in ("overview", "savings", "e_bidding", "guarantees"):
        assert "#e15759" not in colours(page).values(), page


@pytest.mark.parametrize("page", ["overview", "e_bidding", "deposits", "guarantees"])
def test_every_card_says_what_it_counts(app, page):
    """Each card's help opens with its 口径 in the page's language (dim_metric.description_zh on a
    Chinese page), never empty and never only the thresholds or the as-at date."""
    cards = app(page).metric
    assert cards
    for card in cards:
        first = card.proto.help.split("\n\n")[0]
        assert re.search(r"[\u4e00-\u9fff]{4}", first) and not first.startswith("本页"), (card.label, first)
