"""The monthly report (ggzy report): the workbook read back with openpyxl, every figure against
the marts it comes from — and, where a figure is a sum or a ratio, against the marts' own parts
summed here — the narrative's numbers parsed back, the PDF, the CLI, and the edge cases: a
month before any previous year, a region with no sub-regions, a region with no data."""

import io
import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import openpyxl
import pytest
from conftest import land
from pypdf import PdfReader

from ggzy import sample
from ggzy.cli import main
from ggzy.report.report import FORMATS, monthly_report
from ggzy.serve.adhoc_sql import open_snapshot
from ggzy.transform.build import build

MONTH = date(2025, 1, 1)  # the sample's thirteenth month: a year before it is in the warehouse
FEN = Decimal("0.01")
UNITS = {"万元": Decimal(10_000), "亿元": Decimal(100_000_000), "10k yuan": Decimal(10_000),
         "100m yuan": Decimal(100_000_000)}


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("report")
    home = folder / "warehouse"
    land(sample.generate(folder / "sample", months=13, scale=0.05), home)
    assert build(home).published
    return home


@pytest.fixture(scope="module")
def marts(home):
    with open_snapshot(home) as con:  # one configuration per file in a process, as the report's
        yield con


def workbook(marts, month: date = MONTH, region: str | None = None, lang: str = "zh"):
    report = monthly_report(marts, month, region, lang)
    return report, openpyxl.load_workbook(io.BytesIO(FORMATS["xlsx"](report)))


def table(sheet, title: str) -> list[dict]:
    """The rows of the table titled ``title`` (its header row is the next), as dicts."""
    rows = list(sheet.iter_rows(values_only=True))
    (start,) = [i for i, row in enumerate(rows) if row[0] is not None and str(row[0]).startswith(title)]
    headers = rows[start + 1]
    found = []
    for row in rows[start + 2:]:
        if row[0] is None or all(v is None for v in row[1:]):
            break
        found.append(dict(zip(headers, row, strict=True)))
    return found


def yuan(stored: float, unit: str) -> Decimal:
    """An amount cell back in yuan: the stored number in the table's unit, times the unit."""
    return (Decimal(repr(stored)) * UNITS[unit]).quantize(FEN)


def unit_of(header: str) -> str:
    return re.search(r"（(.+)）$", header)[1]


def exact(stored: float) -> Decimal:
    """A stored number as the decimal it was written from (a rate of the marts: 6 places)."""
    return Decimal(repr(stored))


def one(marts, sql: str, *params) -> dict:
    """One row of the marts, values as DuckDB gives them (Decimal, never float)."""
    row = marts.execute(sql, list(params)).fetchone()
    return dict(zip([d[0] for d in marts.description], row, strict=True))


def stocks_n_outstanding(marts) -> int:
    return marts.execute("select sum(n_outstanding) from marts.mart_deposit_refunds where month = ?",
                         [MONTH]).fetchone()[0]


def test_overview_figures_are_the_marts_month_and_year_to_date(home, marts):
    report, book = workbook(marts)
    rows = {r["指标"]: r for r in table(book["概况"], "主要指标")}
    month = one(marts, "select * from marts.mart_kpi_monthly where region_level = 'all' and month = ?",
                MONTH)
    deal = rows["成交金额"]
    assert yuan(deal["本月"], deal["单位"]) == month["deal_amount"]
    assert yuan(deal["本年累计"], deal["单位"]) == month["deal_amount"]  # January: the month itself
    assert rows["成交宗数"]["本月"] == month["n_concluded"]
    assert exact(rows["电子化率"]["本月"]) == exact(month["e_bidding_rate"])  # a rate: 6 places
    assert exact(rows["保函替代率"]["本月"]) == exact(month["substitution_rate"])
    sediment = rows["沉淀保证金（月末）"]
    assert yuan(sediment["本月"], sediment["单位"]) == month["amount_sediment"]
    # 同比 against the same month a year earlier, in percent; rates in percentage points
    last_year = marts.execute("""select deal_amount, e_bidding_rate from marts.mart_kpi_monthly
        where region_level = 'all' and month = ?""", [date(2024, 1, 1)]).fetchone()
    expected = ((month["deal_amount"] - last_year[0]) / last_year[0] * 100).quantize(Decimal("0.0001"))
    assert (exact(deal["同比"]) * 100).quantize(Decimal("0.0001")) == expected
    pp = ((exact(month["e_bidding_rate"]) - exact(last_year[1])) * 100).quantize(Decimal("0.0001"))
    assert exact(rows["电子化率"]["同比"]) == pp
    cells = {c.value: c for c in book["概况"]["C"] if c.value is not None}
    assert cells[rows["成交金额"]["本月"]].number_format == "#,##0.00"
    assert cells[rows["电子化率"]["本月"]].number_format == "0.00%"


def test_categories_regions_deposits_and_guarantees_against_the_marts(home, marts):
    _, book = workbook(marts)
    by_category = {r["交易类别"]: r for r in table(book["分类别"], "分类别")}
    expected = dict(marts.execute("""
        select category.name_zh, sum(traded.deal_amount)
        from marts.mart_trading_volume as traded
        inner join marts.dim_trade_category as category on traded.trade_category = category.code
        where traded.month = ? group by 1""", [MONTH]).fetchall())
    header = next(h for h in by_category["合计"] if h.startswith("成交金额"))
    assert {name: yuan(r[header], unit_of(header)) for name, r in by_category.items() if name != "合计"} \
        == expected
    assert yuan(by_category["合计"][header], unit_of(header)) == sum(expected.values())
    n_concluded, n_electronic = marts.execute("""select sum(n_concluded), sum(n_electronic)
        from marts.mart_e_bidding where month = ? and trade_category = 'engineering'""", [MONTH]).fetchone()
    assert exact(by_category["工程建设"]["电子化率（%）"]) == \
        (Decimal(n_electronic) / n_concluded).quantize(Decimal("0.000001"), ROUND_HALF_UP)

    regions = table(book["分地区"], "分地区")
    header = next(h for h in regions[0] if h.startswith("成交金额（"))
    provinces = dict(marts.execute("""select region.name_zh, kpi.deal_amount
        from marts.mart_kpi_monthly as kpi
        inner join marts.dim_region as region on kpi.region_code = region.region_code
        where kpi.region_level = 'province' and kpi.month = ?""", [MONTH]).fetchall())
    assert [r["地区"] for r in regions] == sorted(provinces, key=provinces.get, reverse=True)
    assert [r["排名"] for r in regions] == list(range(1, len(provinces) + 1))
    assert {r["地区"]: yuan(r[header], unit_of(header)) for r in regions} == provinces
    total = sum(provinces.values())
    assert [exact(r["占比"]) for r in regions] == [
        (provinces[r["地区"]] / total).quantize(Decimal("0.000001")) for r in regions]

    sediment = table(book["保证金"], "沉淀保证金清单")
    header = next(h for h in sediment[0] if h.startswith("金额"))
    n, amount = marts.execute("""select count(*), sum(outstanding_amount) from marts.fct_deposit_month_ends
        where is_sediment and month = ?""", [MONTH]).fetchone()  # as at the month's end, not the build date
    assert len(sediment) == n > 0
    assert (n, amount) == marts.execute("""select sum(n_sediment), sum(amount_sediment)
        from marts.mart_deposit_refunds where month = ?""", [MONTH]).fetchone()
    ages = table(book["保证金"], "未退保证金账龄（截至 2025-01-31）")
    assert sum(r["笔数"] for r in ages) == stocks_n_outstanding(marts)
    assert sum(yuan(r[header], unit_of(header)) for r in sediment) == amount
    assert [r["逾期天数"] for r in sediment] == sorted((r["逾期天数"] for r in sediment), reverse=True)
    stocks = {r["指标"]: r for r in table(book["保证金"], "保证金退还")}
    month_end = marts.execute("""select sum(n_outstanding), sum(amount_outstanding)
        from marts.mart_deposit_refunds where month = ?""", [MONTH]).fetchone()
    row = stocks["未退保证金（月末）"]
    assert (stocks["未退笔数（月末）"]["本月"], yuan(row["本月"], row["单位"])) == month_end

    forms = table(book["保函替代"], "保证金递交方式")
    header = next(h for h in forms[0] if h.startswith("金额"))
    total, guarantees, fees = marts.execute("""
        select sum(amount_total), sum(amount_guarantee), sum(guarantee_fee)
        from marts.mart_guarantee_substitution where month = ?""", [MONTH]).fetchone()
    by_form = {r["递交方式"]: yuan(r[header], unit_of(header)) for r in forms}
    assert by_form.pop("合计") == total == sum(by_form.values())
    assert total - by_form["现金"] == guarantees
    fee_header = next(h for h in forms[0] if h.startswith("保函费用"))
    assert yuan(forms[-1][fee_header], unit_of(fee_header)) == fees

    loads = table(book["数据质量"], "本月入库记录")
    assert sorted(r["类型"] for r in loads) == sorted(["成交", "保证金", "退还", "投标记录"])  # in words
    assert all(r["文件"].endswith("2025-01.csv") and r["方式"] == "常规" for r in loads)
    warned = table(book["数据质量"], "校验警告")
    n_warned = marts.execute("""select sum(n_unexpected) from meta.validation_results as flagged
        join meta.load_log using (load_id) where period = ? and n_unexpected > 0""", [MONTH]).fetchone()[0]
    assert warned and sum(r["行数"] for r in warned) == n_warned
    single = next(r for r in warned if r["规则"] == "只有一家投标")  # the suite's words for single_bid
    assert (single["类型"], single["列"], single["级别"]) == ("成交", "投标人数", "警告")


def numbers(paragraph: str, pattern: str) -> tuple[str, ...]:
    match = re.search(pattern, paragraph)
    assert match, (pattern, paragraph)
    return match.groups()


def as_shown(yuan: Decimal, unit: str) -> Decimal:
    """An amount as the narrative shows it: in 万元 or 亿元, to two places."""
    return (yuan / UNITS[unit]).quantize(FEN, ROUND_HALF_UP)


def figure(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def test_narrative_states_the_marts_figures(home, marts):
    report, book = workbook(marts, date(2025, 1, 1))
    paragraph = report.narrative
    assert book["概况"]["A5"].value == paragraph
    n, deal, unit = numbers(paragraph, r"共完成进场交易([\d,]+)宗，成交金额([\d,.]+)(万元|亿元)")
    month = marts.execute("""select n_concluded, deal_amount, e_bidding_rate, on_time_rate, n_sediment,
            amount_sediment, substitution_rate
        from marts.mart_kpi_monthly where region_level = 'all' and month = ?""", [MONTH]).fetchone()
    assert int(n.replace(",", "")) == month[0]
    assert figure(deal) == as_shown(month[1], unit)
    (rate,) = numbers(paragraph, r"电子化交易率([\d.]+)%")
    assert Decimal(rate) == (exact(month[2]) * 100).quantize(FEN, ROUND_HALF_UP)
    (rate,) = numbers(paragraph, r"按时退还率([\d.]+)%")
    assert Decimal(rate) == (exact(month[3]) * 100).quantize(FEN, ROUND_HALF_UP)
    n, amount, unit = numbers(paragraph, r"沉淀保证金([\d,]+)笔、([\d,.]+)(万元|亿元)")
    assert int(n.replace(",", "")) == month[4]
    assert figure(amount) == as_shown(month[5], unit)
    (rate,) = numbers(paragraph, r"保函替代率([\d.]+)%")
    assert Decimal(rate) == (exact(month[6]) * 100).quantize(FEN, ROUND_HALF_UP)
    assert "同比" in paragraph  # January 2024 is in the warehouse


def test_a_month_without_a_year_before_and_english(marts):
    report, book = workbook(marts, date(2024, 6, 1), lang="en")
    assert "year on year" not in report.narrative and "sections were concluded" in report.narrative
    rows = {r["Figure"]: r for r in table(book["Overview"], "Headline figures")}
    assert rows["Deal amount"]["YoY"] == "—" and rows["Deal amount"]["MoM"] is not None  # no base: —
    assert rows["Deal amount"]["Year to date"] > rows["Deal amount"]["This month"]
    assert book.sheetnames == ["Overview", "By category", "By region", "Deposits", "Guarantees",
                               "Data quality", "Risk flags"]


def test_a_county_has_no_sub_regions_and_a_region_without_data_says_so(home, marts):
    (county,) = marts.execute("""select region_code from marts.mart_kpi_monthly
        where region_level = 'county' and month = ? order by deal_amount desc limit 1""", [MONTH]).fetchone()
    report, book = workbook(marts, MONTH, county)
    assert report.sheets[2].tables[0].rows == ()
    assert "没有下级地区" in report.sheets[2].tables[0].note
    assert "共完成进场交易" in report.narrative
    report, book = workbook(marts, MONTH, "110229")  # 延庆县, abolished in 2015: no figures
    assert report.narrative == "本月所选地区没有数据。"
    assert table(book["概况"], "主要指标")[0]["本月"] == "—"


def test_pdf_and_the_command_line(home, tmp_path):
    out = tmp_path / "r.pdf"
    assert main(["--home", str(home), "report", "--month", "2025-01", "--out", str(out)]) == 0
    pdf = out.read_bytes()
    assert pdf.startswith(b"%PDF") and len(re.findall(rb"/Type /Page[^s]", pdf)) >= 6
    assert main(["--home", str(home), "report", "--month", "2023-01"]) == 2  # before the warehouse
    assert main(["--home", str(home), "report", "--month", "2025-01", "--region", "999999"]) == 2


def test_an_old_month_reads_the_same_from_a_later_build(tmp_path, monkeypatch):
    """Ages, days overdue and the sediment list are as at the month's end, not the build date:
    February's report from a build on 2024-03-10 and from one on 2026-06-30 (no new data) has the
    same cells, all but the build named in the facts line."""
    home = tmp_path / "warehouse"
    land(sample.generate(tmp_path / "sample", months=2, scale=0.02), home)

    def sheets(as_of: str) -> dict:
        monkeypatch.setenv("GGZY_AS_OF_DATE", as_of)
        assert build(home).published
        with open_snapshot(home) as con:
            report = monthly_report(con, date(2024, 2, 1))
            book = openpyxl.load_workbook(io.BytesIO(FORMATS["xlsx"](report)))
        return {name: [row for row in book[name].iter_rows(values_only=True)
                       if not str(row[0]).startswith("地区")]  # the facts line names the build
                for name in book.sheetnames}

    early = sheets("2024-03-10")
    ages = early["保证金"][[r[0] for r in early["保证金"]].index("未退保证金账龄（截至 2024-02-29）") + 2:]
    assert ages and ages[0][0] is not None  # the table is there, dated the month's end
    assert sheets("2026-06-30") == early


def test_one_unit_a_row_and_a_dash_where_a_figure_does_not_apply(marts):
    """Amounts in 万元 in every month (never 亿元 in one month and 万元 the next), counts of
    sections in 宗 and of deposits in 笔; budgets and starting prices in two rows, not one sum;
    — where a figure does not apply (节约 for land, 溢价 for procurement); 上年同期 beside 同比,
    and a 同比 on a base too young to be whole marked."""
    for month in (date(2024, 6, 1), MONTH):
        _, book = workbook(marts, month)
        for sheet, title in (("概况", "主要指标"), ("保证金", "保证金退还"), ("保函替代", "保函替代指标")):
            assert {r["单位"] for r in table(book[sheet], title)} <= {"宗", "笔", "万元", "%", "天"}
    _, book = workbook(marts)
    rows = {r["指标"]: r for r in table(book["概况"], "主要指标")}
    assert "预算金额" not in rows and rows["成交宗数"]["单位"] == "宗"
    month = one(marts, "select * from marts.mart_kpi_monthly where region_level = 'all' and month = ?", MONTH)
    before = one(marts, "select * from marts.mart_kpi_monthly where region_level = 'all' and month = ?",
                 date(2024, 1, 1))
    assert yuan(rows["采购预算"]["本月"], "万元") == month["savings_base_amount"] > 0
    assert yuan(rows["出让起始价"]["本月"], "万元") == month["premium_base_amount"] > 0
    assert yuan(rows["成交金额"]["上年同期"], "万元") == before["deal_amount"]
    assert rows["成交金额"]["说明"] is None
    # the base, 2024-01, is the warehouse's first month: what is outstanding needs a year behind it
    # to be whole; sediment cannot exist in it at all, so it has no 同比 and nothing to explain
    assert rows["未退保证金（月末）"]["同比"] != "—"
    assert rows["未退保证金（月末）"]["说明"] == "同比基期前的数据不足 12 个月，仅供参考"
    assert rows["沉淀保证金（月末）"]["上年同期"] == rows["沉淀保证金（月末）"]["同比"] == "—"
    assert rows["沉淀保证金（月末）"]["说明"] is None
    # a month-end stock is not summed over the year: no 本年累计, no 累计同比
    assert rows["未退保证金（月末）"]["本年累计"] == rows["未退保证金（月末）"]["累计同比"] == "—"
    by_category = {r["交易类别"]: r for r in table(book["分类别"], "分类别")}
    land = by_category["土地使用权"]
    assert land["节约资金（万元）"] == land["采购预算（万元）"] == "—"
    assert by_category["政府采购"]["溢价（万元）"] == by_category["其他"]["溢价率（%）"] == "—"
    assert yuan(by_category["土地使用权"]["出让起始价（万元）"], "万元") > 0


def test_the_pdf_reads_as_typeset(home, tmp_path):
    """The PDF's text as a reader copies it: no zero-width spaces, no line starting with closing
    punctuation, no number split from its unit, January said once, each title once."""
    out = tmp_path / "r.pdf"
    assert main(["--home", str(home), "report", "--month", "2025-01", "--out", str(out)]) == 0
    pages = [page.extract_text() for page in PdfReader(out).pages]
    lines = [line for page in pages for line in page.splitlines()]
    assert "\u200b" not in "".join(pages)
    assert [line for line in lines if line[:1] in "，。、；：）%"] == []
    assert [(a, b) for a, b in zip(lines, lines[1:], strict=False)
            if a[-1:].isdigit() and b[:1] in "亿万元%个宗笔天"] == []
    assert "2025年1月，共完成进场交易" in pages[0] and "其中1月" not in pages[0]
    assert pages[1].count("分类别") == 1 and "成交宗数" in pages[1]


def test_a_kind_nobody_sent_reads_not_sent(tmp_path):
    """February's refunds file never came: its figures read 未报送, never 0, and the narrative says
    which kind is missing; the deals' figures stand."""
    home = tmp_path / "warehouse"
    files = sample.generate(tmp_path / "sample", months=2, scale=0.02)
    land([f for f in files if f.name != "refunds_2024-02.csv"], home)
    assert build(home).published
    with open_snapshot(home) as con:
        report = monthly_report(con, date(2024, 2, 1))
        book = openpyxl.load_workbook(io.BytesIO(FORMATS["xlsx"](report)))
        deal = con.execute("""select deal_amount from marts.mart_kpi_monthly
            where region_level = 'all' and month = '2024-02-01'""").fetchone()[0]
    rows = {r["指标"]: r for r in table(book["概况"], "主要指标")}
    assert rows["退还保证金"]["本月"] == rows["按时退还率"]["本月"] == "未报送"
    assert yuan(rows["成交金额"]["本月"], "万元") == deal
    assert report.narrative.endswith("本月未报送退还数据，相关指标标为“未报送”。")


def test_sediment_reads_dash_before_a_deposit_can_be_a_year_overdue(marts):
    """In June 2024, the warehouse's sixth month, no deposit can be a year past due: 沉淀保证金 and
    its clearing read —, not 0; in January 2025, the thirteenth, they are figures."""
    _, book = workbook(marts, date(2024, 6, 1))
    rows = {r["指标"]: r for r in table(book["保证金"], "保证金退还")}
    assert rows["沉淀保证金（月末）"]["本月"] == rows["清理沉淀保证金笔数"]["本月"] == "—"
    assert isinstance(rows["未退保证金（月末）"]["本月"], float)
    _, book = workbook(marts)
    rows = {r["指标"]: r for r in table(book["保证金"], "保证金退还")}
    assert isinstance(rows["沉淀保证金（月末）"]["本月"], float)
