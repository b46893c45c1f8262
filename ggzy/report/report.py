"""The monthly statistical report (统计月报): its sheets of tables and its narrative, gathered
from the published snapshot for one month and one region (or all regions).

Every figure is read from the marts (``ggzy/serve/queries/report_*.sql`` and the dashboard's
queries): the declared metrics with their changes and year to date from mart_kpi_periods, the
deposit ages and sediment list, the pay forms, the loads. The only arithmetic here is a share of
a total. ``ggzy.report.xlsx`` and ``ggzy.report.pdf`` write the same ``Report``; its words, metric
lists and narrative sentences are in ``ggzy/report/report.toml``.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import duckdb
import pandas as pd

from ggzy.common.contract import KINDS, column_words
from ggzy.common.errors import UsageError
from ggzy.ingest.validate import rule_words, subject_words
from ggzy.report import narrative
from ggzy.report.format import (
    LANGUAGES,
    Cell,
    Report,
    Sheet,
    Table,
    exact_share,
    exact_yuan,
    in_currency,
    month_name,
    present,
    region_path,
    spec,
    table,
    word,
)
from ggzy.report.pdf import pdf_bytes
from ggzy.report.xlsx import xlsx_bytes
from ggzy.serve import dashboard_queries as queries
from ggzy.serve.anomaly import too_early, weak_base, weak_words

FORMATS = {"xlsx": xlsx_bytes, "pdf": pdf_bytes}  # the report's bytes in each format
MIME = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "pdf": "application/pdf"}

CHANGE_KIND = {"percent": "percent", "percentage_points": "pp"}  # mart_kpi_periods.change_unit


class Figures:
    """The declared metrics of the month (mart_kpi_periods) for a region by category ('all':
    every category), or for the regions below it by region code, with their units and names from
    dim_metric. ``month`` knows what the month lacks: the kinds of file nobody sent (their
    figures are 未报送, never 0), the categories' price kinds (节约 does not apply to land: —) and
    the warehouse's first month (a 同比 on a first-year stock is not news)."""

    def __init__(self, rows: pd.DataFrame, metrics: pd.DataFrame, lang: str, month: "MonthFacts",
                 key: str = "trade_category"):
        self.rows = {(getattr(r, key), r.metric): r for r in rows.itertuples()}
        self.metrics = metrics
        self.lang = lang
        self.month = month

    def label(self, metric: str) -> str:
        return self.metrics.at[metric, "label_zh" if self.lang == "zh" else "label_en"]

    def unit(self, metric: str) -> str:
        return self.metrics.at[metric, "unit"]

    def applies(self, metric: str, key: str) -> bool:
        """Whether the metric applies to a category (savings to procurement, premium to sales)."""
        price_kind = self.metrics.at[metric, "price_kind"]
        return not present(price_kind) or self.month.price_kinds.get(key, price_kind) == price_kind

    def value(self, metric: str, position: str, key: str = "all"):
        row = self.rows.get((key, metric))
        month = self.month.month  # the figure's own month, a year before for last year's; a 同比 needs both
        base = month.replace(year=month.year - 1)
        months = [base] if position.endswith("last_year") else [month, base] if "yoy" in position else [month]
        summed = "ytd" not in position or not self.metrics.at[metric, "is_stock"]  # a stock has no ytd
        exists = summed and self.applies(metric, key) and not any(
            too_early(metric, self.metrics, m, self.month.first_month) for m in months)
        value = getattr(row, position) if row is not None and exists else None
        return value if present(value) else None

    def cell(self, metric: str, position: str = "value", key: str = "all") -> Cell:
        """The metric at position value / value_ytd / value_last_year (in its unit) or change_mom /
        change_yoy / change_ytd_yoy (percent or pp); — where it does not apply or has no base (a
        month-end stock has no year to date), 未报送 for the month's figure of a kind of file nobody
        sent."""
        value = self.value(metric, position, key)
        unsent = position == "value" and self.month.unsent & set(self.metrics.at[metric, "file_kinds"])
        blank = word("not_reported", self.lang) if unsent and self.applies(metric, key) else "—"
        if position.startswith("change"):
            row = self.rows.get((key, metric))
            return Cell(value, CHANGE_KIND[row.change_unit] if row is not None else "percent", blank)
        if value is not None and self.unit(metric) == "count":
            value = int(value)
        return Cell(value, self.unit(metric), blank)

    def has(self, metric: str, position: str = "value", key: str = "all") -> bool:
        value = self.value(metric, position, key)
        return value is not None and value != 0

    def weak(self, metric: str, position: str = "change_yoy", key: str = "all") -> str | None:
        """Why a 同比 (change_yoy, or change_ytd_yoy) is not news (ggzy.serve.anomaly.weak_base)."""
        now, base = ("value_ytd", "value_ytd_last_year") if position == "change_ytd_yoy" else \
            ("value", "value_last_year")
        return weak_base(metric, self.metrics, lambda m, is_now: self.value(m, now if is_now else base, key),
                         self.month.month, self.month.first_month)

    def weak_note(self, metric: str) -> Cell:
        """The reason a row's 同比 is not news, in words (empty when it is, or when there is no 同比)."""
        weak = self.weak(metric) if self.value(metric, "change_yoy") is not None else None
        return Cell(weak_words(weak, metric, self.metrics, self.lang) if weak else None)

    def unit_word(self, metric: str) -> str:
        """万元 ({unit}), 天, %; a count of sections in 宗, of deposits in 笔."""
        unit = self.unit(metric)
        if unit == "count":
            unit = "sections" if list(self.metrics.at[metric, "file_kinds"]) == ["deals"] else "deposits"
        return "{unit}" if unit == "amount" else word(f"unit_{unit}", self.lang)


@dataclass(frozen=True)
class MonthFacts:
    """What the report's month lacks, for ``Figures``: the kinds of file not loaded for it, each
    category's price kind, and the warehouse's first month."""
    month: date
    unsent: frozenset[str]
    price_kinds: dict
    first_month: date


def _resolve_region(con: duckdb.DuckDBPyConnection, region_code: str | None, lang: str) -> tuple[str, str]:
    """The region's level and its name with its parents' (e.g. 甘肃省 兰州市), or all regions."""
    if region_code is None:
        return "all", word("all_regions", lang)
    found = queries.frame(con, "report_region", queries.Selection(date.min, date.min, "county", region_code))
    if found.empty or found.region_level[0] not in ("province", "prefecture", "county"):
        raise UsageError(f"没有这个地区代码 no region with the code {region_code!r} "
                         "(ggzy sql \"select * from marts.dim_region\")")
    region = found.iloc[0]
    path = region_path([region.province_name_zh, region.prefecture_name_zh, region.name_zh])
    return region.region_level, " ".join(path)


def _held(months: list[date]) -> str:
    """The months as runs: 2024-01 — 2024-03, 2024-05."""
    runs: list[list[date]] = []
    for month in months:
        if runs and (runs[-1][1].replace(day=28) + timedelta(days=4)).replace(day=1) == month:
            runs[-1][1] = month
        else:
            runs.append([month, month])
    return ", ".join(f"{a:%Y-%m}" + (f" — {b:%Y-%m}" if b != a else "") for a, b in runs) or "—"


def _check_month(con: duckdb.DuckDBPyConnection, month: date) -> None:
    """A month is reported when its deals file was loaded: a month nobody sent is refused."""
    held = queries.months(con)
    if month not in held:
        raise UsageError(f"数据仓库没有 {month:%Y-%m} 的成交数据（没有报送该月的成交文件）/ the warehouse "
                         f"holds no {month:%Y-%m}: no deals file was loaded for it (它有 it holds "
                         f"{_held(held)})")


def monthly_report(con: duckdb.DuckDBPyConnection, month: date, region_code: str | None = None,
                   lang: str = "zh") -> Report:
    """The report for ``month`` (its first day) and the region (None: all regions)."""
    month = month.replace(day=1)
    if queries.built_by_another_release(con):
        raise UsageError(queries.STALE)
    _check_month(con, month)
    level, region_name = _resolve_region(con, region_code, lang)
    selection = queries.Selection(month, month, level, region_code)
    categories = queries.categories(con)
    loads = queries.month_loads(con, selection)
    lacks = MonthFacts(month, queries.unsent_kinds(con, selection),
                       dict(zip(categories.code, categories.price_kind, strict=True)), queries.months(con)[0])
    figures = Figures(queries.frame(con, "report_figures", selection), queries.metric_definitions(con), lang,
                      lacks)
    build = queries.builds(con).query("status == 'published'").iloc[0]
    as_of = f"{queries.as_at(con, selection):%Y-%m-%d}"  # the month's end, or the build date within it
    flags = queries.risk_flags(con, selection)
    paragraph = narrative.paragraph(figures, categories, month, "" if level == "all" else region_name, lang,
                                    _risk_sentence(flags, lang))
    facts = ((word("region", lang), region_name), (word("period", lang), month_name(month, lang)),
             (word("as_of", lang), as_of),
             (word("build", lang), f"#{build.build_id} · {build.finished_at:%Y-%m-%d}"))
    sheets = (
        Sheet(word("overview", lang), (_headline(figures, lang),), paragraph),
        Sheet(word("categories", lang), (_by_category(figures, categories, lang),)),
        Sheet(word("regions", lang), (_by_region(con, selection, figures, lang),)),
        Sheet(word("deposits", lang), _deposits(con, selection, figures, as_of, lang)),
        Sheet(word("guarantees", lang), _guarantees(con, selection, figures, lang)),
        Sheet(word("quality", lang), _quality(con, selection, loads, lacks.unsent, lang)),
        Sheet(word("risk", lang), _risk(flags, queries.risk_indicators(con), lang)),
    )
    whole = Report(word("title", lang), facts, f"{region_name} {month_name(month, lang)}", sheets, lang)
    return in_currency(whole, queries.currency(con))


def file_name(month: date, region_code: str | None, lang: str, fmt: str) -> str:
    """统计月报_620100_2024-08.xlsx: what a download or ``ggzy report`` without --out is called."""
    return word("file_name", lang, region=region_code or "all", month=f"{month:%Y-%m}") + f".{fmt}"


def _metric_rows(figures: Figures, metrics: list[str], positions: list[str]) -> list[list[Cell]]:
    """A row per metric: name, unit, the figures at ``positions``, and why its 同比 is not news."""
    return [[Cell(figures.label(m)), Cell(figures.unit_word(m)), *(figures.cell(m, p) for p in positions),
             figures.weak_note(m)] for m in metrics]


def _metric_table(title: str, figures: Figures, metrics: list[str], positions: list[str], lang: str) -> Table:
    headers = [word("metric", lang), word("unit", lang), *(word(POSITION_WORDS[p], lang) for p in positions),
               word("note", lang)]
    return table(title, headers, _metric_rows(figures, metrics, positions), lang)


POSITION_WORDS = {"value": "this_month", "change_mom": "mom", "change_yoy": "yoy",
                  "value_last_year": "last_year", "value_ytd": "ytd", "change_ytd_yoy": "ytd_yoy"}
WITH_YEAR = ["value", "change_mom", "change_yoy", "value_last_year", "value_ytd", "change_ytd_yoy"]
MONTH_ONLY = ["value", "change_mom", "change_yoy", "value_last_year"]


def _headline(figures: Figures, lang: str) -> Table:
    return _metric_table(word("headline", lang), figures, spec()["headline"], WITH_YEAR, lang)


def _by_category(figures: Figures, categories: pd.DataFrame, lang: str) -> Table:
    metrics = spec()["by_category"]
    headers = [word("category", lang), *(_header(figures, m) for m in metrics), word("deal_yoy", lang)]
    named = [(c.code, c.name_zh if lang == "zh" else c.name_en) for c in categories.itertuples()]
    rows = [[Cell(name), *(figures.cell(m, key=code) for m in metrics),
             figures.cell("deal_amount", "change_yoy", code)]
            for code, name in [*named, ("all", word("total", lang))]
            if any(figures.has(m, key=code) for m in metrics)]
    return table(word("categories", lang), headers, rows, lang)


def _header(figures: Figures, metric: str) -> str:
    unit = figures.unit(metric)
    return figures.label(metric) + {"amount": "（{unit}）", "rate": "（%）"}.get(unit, "")


def _share(part, whole) -> Cell:
    return Cell((Decimal(part) / Decimal(whole)).quantize(Decimal("0.000001"))
                if present(part) and present(whole) and whole else None, "rate")


def _by_region(con: duckdb.DuckDBPyConnection, selection: queries.Selection, figures: Figures,
               lang: str) -> Table:
    """Every region one level below, ranked by deal amount, with its share of the whole."""
    title = word("regions", lang)
    long = queries.sub_regions(con, selection)
    if long.empty:
        return table(title, [], [], lang, note=word("no_sub_regions", lang))
    metrics = spec()["by_region"]
    headers = [word("rank", lang), word("region", lang), _header(figures, "deal_amount"), word("share", lang),
               word("deal_yoy", lang), *(_header(figures, m) for m in metrics)]
    regions = Figures(long, figures.metrics, lang, figures.month, key="region_code")
    names = dict(zip(long.region_code, long.name_zh, strict=True))
    ranked = sorted(names, key=lambda code: -(regions.cell("deal_amount", key=code).value or -1))
    total = figures.cell("deal_amount").value
    rows = []
    for rank, code in enumerate(ranked, start=1):
        own = f" {word('own_level', lang)}" if code == selection.region_code else ""
        deal = regions.cell("deal_amount", key=code)
        rows.append([Cell(rank, "count"), Cell(names[code] + own), deal, _share(deal.value, total),
                     regions.cell("deal_amount", "change_yoy", code),
                     *(regions.cell(m, key=code) for m in metrics)])
    return table(title, headers, rows, lang)


def _deposits(con: duckdb.DuckDBPyConnection, selection: queries.Selection, figures: Figures, as_of: str,
              lang: str) -> tuple[Table, ...]:
    """Refunds due and made in the month with the month-end stocks; the deposits held at the
    month's end (``as_of``) by age, and the sediment deposits then one by one, oldest first."""
    refunds = _metric_table(word("refunds", lang), figures, spec()["deposits"], MONTH_ONLY, lang)
    amount = word("amount", lang) + "（{unit}）"
    ages = queries.outstanding_by_age(con, selection)
    aged = table(word("ages", lang, date=as_of), [word("age", lang), word("n_deposits", lang), amount],
                  [[Cell(a.name_zh if lang == "zh" else a.name_en), Cell(a.n_outstanding, "count"),
                    Cell(a.amount_outstanding, "amount")] for a in ages.itertuples()], lang)
    listed = queries.sediment_deposits(con, selection, list_rows=None)
    return refunds, aged, sediment_table(listed, as_of, lang)


def sediment_table(listed: pd.DataFrame, as_of: str, lang: str) -> Table:
    """The sediment deposits (dashboard_queries.sediment_deposits) one by one, as the report and
    the dashboard's download list them."""
    columns = ("province", "prefecture", "county", "category", "project", "section", "bidder_name", "bidder")
    headers = [*(word(k, lang) for k in columns), word("amount", lang) + "（{unit}）",
               *(word(k, lang) for k in ("received_date", "due_date", "days_overdue"))]
    rows = [[Cell(s.province_name_zh), Cell(s.prefecture_name_zh), Cell(s.region_name),
             Cell(s.category_zh if lang == "zh" else s.category_en), Cell(s.tender_project_code),
             Cell(s.bid_section_code), Cell(s.bidder_name, blank="—"), Cell(s.bidder_code),
             Cell(s.outstanding_amount, "amount"),
             Cell(s.received_date, "date"), Cell(s.due_date, "date"), Cell(s.days_overdue, "count")]
            for s in listed.itertuples()]
    return table(word("sediment_list", lang, date=as_of), headers, rows, lang,
                 note="" if rows else word("none", lang))


def sediment_workbook(listed: pd.DataFrame, region_name: str, as_of: str, lang: str) -> bytes:
    """The sediment list as a workbook written as the monthly report's is (one sheet)."""
    sheet = Sheet(word("deposits", lang), (sediment_table(listed, as_of, lang),))
    return _workbook((sheet,), region_name, as_of, lang)


def _workbook(sheets: tuple[Sheet, ...], region_name: str, as_of: str, lang: str) -> bytes:
    """A dashboard download written as the monthly report is: its title, region and date."""
    facts = ((word("region", lang), region_name), (word("as_of", lang), as_of))
    return xlsx_bytes(Report(word("title", lang), facts, f"{region_name} {as_of}", sheets, lang))


def risk_workbook(flags: pd.DataFrame, indicators: pd.DataFrame, evidence: pd.DataFrame, region_name: str,
                  as_of: str, lang: str) -> bytes:
    """For inspectors: the selection's risk flags by indicator, every flagged entity, and the
    deposits behind them (accounts masked)."""
    headers = [word(k, lang) for k in ("metric", "risk_entity", "bidder", "bidder_name", "security",
                                       "pay_form", "issuer", "payer_account", "payer_name", "received_date")]
    rows = [[Cell(e.indicator_name), Cell(e.entity_key), Cell(e.bidder_code), Cell(e.bidder_name, blank="—"),
             Cell(e.security_id), Cell(e.pay_form), Cell(e.issuer, blank="—"),
             Cell(e.payer_account_masked, blank="—"), Cell(e.payer_name, blank="—"),
             Cell(e.received_date, "date"), Cell(exact_yuan(e.amount))] for e in evidence.itertuples()]
    deposits = table(word("risk_evidence", lang), [*headers, word("amount_yuan", lang)], rows, lang,
                     note="" if rows else word("none", lang))
    sheets = (Sheet(word("risk", lang), _risk(flags, indicators, lang, listed_at_most=None)),
              Sheet(word("risk_evidence", lang), (deposits,)))
    return _workbook(sheets, region_name, as_of, lang)


def _guarantees(con: duckdb.DuckDBPyConnection, selection: queries.Selection, figures: Figures,
                lang: str) -> tuple[Table, ...]:
    """Securities received in the month by pay form with shares, and the substitution figures."""
    forms = queries.frame(con, "report_pay_forms", selection)
    total = sum(forms.amount, Decimal(0))
    rows = [[Cell(f.name_zh if lang == "zh" else f.name_en), Cell(f.n_securities, "count"),
             Cell(f.amount, "amount"), _share(f.amount, total), Cell(f.guarantee_fee, "amount")]
            for f in forms.itertuples()]
    if rows:
        rows.append([Cell(word("total", lang)), Cell(int(forms.n_securities.sum()), "count"),
                     Cell(total, "amount"), _share(total, total),
                     Cell(sum(forms.guarantee_fee, Decimal(0)), "amount")])
    amount = "（{unit}）"
    by_form = table(word("pay_forms", lang), [
        word("pay_form", lang), word("n_deposits", lang), word("amount", lang) + amount, word("share", lang),
        word("fees", lang) + amount], rows, lang, note="" if rows else word("none", lang))
    substitution = _metric_table(word("guarantee_figures", lang), figures, spec()["guarantees"], WITH_YEAR,
                                 lang)
    return by_form, substitution


def _quality(con: duckdb.DuckDBPyConnection, selection: queries.Selection, loads: pd.DataFrame,
             unsent: frozenset[str], lang: str) -> tuple[Table, ...]:
    """The month's loads (and which kinds have none), and the validation warnings by rule."""
    missing = [k for k in KINDS if k in unsent]
    speaks, kinds, rules = LANGUAGES.index(lang), subject_words(), rule_words()
    note = (word("missing_kinds", lang, kinds="、".join(kinds[k][speaks] for k in missing)) if missing
            else word("no_missing_kinds", lang))
    columns = ("load_id", "file", "kind", "mode", "rows", "replaced", "warnings", "status", "loaded_at",
               "retracted")
    loaded = table(word("loads", lang), [word(k, lang) for k in columns], [
        [Cell(r.load_id, "count"), Cell(r.file_name), Cell(kinds[r.kind][speaks]),
         Cell(word(f"mode_{r.mode}", lang)), Cell(r.n_rows, "count"), Cell(r.n_replaced, "count"),
         Cell(r.n_warnings, "count"), Cell(word(f"status_{r.status}", lang)),
         Cell(r.loaded_at, "datetime"), Cell(word("retracted", lang) if r.retracted else "")]
        for r in loads.itertuples()], lang, note=note)
    flagged = queries.frame(con, "report_warnings", selection)
    columns = ("kind", "rule", "column", "severity", "rows")
    warned = table(word("warnings_by_rule", lang), [word(k, lang) for k in columns], [
        [Cell(kinds[w.kind][speaks]), Cell(rules.get(w.rule, (w.rule, w.rule))[speaks]),
         Cell(column_words(w.kind, w.column_name)[speaks]), Cell(word(f"severity_{w.severity}", lang)),
         Cell(w.n_rows, "count")]
        for w in flagged.itertuples()], lang, note="" if len(flagged) else word("none", lang))
    return loaded, warned


RISK_LISTED = 50  # flagged entities a report lists (the dashboard lists them all)
RISK_CELL_KINDS = {"count": "count", "days": "days"}  # dim_risk_indicator.unit (share, amount: exact)


def _indicator_name(row, lang: str) -> str:
    return row.indicator_zh if lang == "zh" else row.indicator_en


def flagged_only(flags: pd.DataFrame) -> pd.DataFrame:
    """The risk flags (dashboard_queries.risk_flags) that fired, in their indicators' order."""
    return flags[flags.flagged.fillna(False).astype(bool)].sort_values(["sort_order", "month", "entity_key"])


def risk_counts(flags: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """Each indicator (dashboard_queries.risk_indicators) with its results by status and the
    columns that would make the rest calculable: those its results lack, or for an indicator
    without a result (its tenderers or agencies unknown) those it reads — what the report's
    sheet and the dashboard's coverage table show."""
    rows = []
    for indicator in indicators.itertuples():
        own = flags[flags.indicator == indicator.indicator]
        rows.append({"indicator_zh": indicator.indicator_zh, "indicator_en": indicator.indicator_en,
                     "n_calculated": int((own.status == "calculated").sum()),
                     "n_flagged": len(flagged_only(own)),
                     "n_insufficient": int((own.status == "insufficient_data").sum()),
                     "n_undefined": int((own.status == "undefined").sum()),
                     "missing": indicator.needs.split() if own.empty
                     else list(own.missing.dropna().unique())})
    return pd.DataFrame(rows)


def _risk_sentence(flags: pd.DataFrame, lang: str) -> str:
    """One sentence for the paragraph when the month has flags: how many, and the indicator
    with the most."""
    flagged = flagged_only(flags)
    if flagged.empty:
        return ""
    counts = flagged.groupby(["indicator_zh", "indicator_en", "sort_order"]).size().reset_index(name="n")
    top = next(counts.sort_values(["n", "sort_order"], ascending=[False, True]).itertuples())
    item = word("risk_item", lang, name=_indicator_name(top, lang), n=f"{top.n:,}")
    return word("risk_sentence", lang, n=f"{len(flagged):,}", top=item)


def _risk_figure(value, unit: str) -> Cell:
    """A flag's figure or threshold: a share or an amount to the precision it fired at, else as
    its unit says."""
    if unit in ("share", "amount"):
        return Cell(exact_share(value) if unit == "share" else exact_yuan(value))
    return Cell(value, RISK_CELL_KINDS.get(unit, "text"), "—")


def _risk(flags: pd.DataFrame, indicators: pd.DataFrame, lang: str,
          listed_at_most: int | None = RISK_LISTED) -> tuple[Table, ...]:
    """The risk flags by indicator (calculated, flagged, insufficient data), and the first
    ``listed_at_most`` (None: all) flagged entities with the figure that fired and its threshold."""
    rows = [[Cell(_indicator_name(c, lang)), Cell(c.n_calculated, "count"), Cell(c.n_flagged, "count"),
             Cell(c.n_insufficient, "count")] for c in risk_counts(flags, indicators).itertuples()]
    by_indicator = table(word("risk_by_indicator", lang), [
        word("metric", lang), word("risk_calculated", lang), word("risk_flagged", lang),
        word("risk_insufficient", lang)], rows, lang, note=word("risk_rules", lang))
    flagged = flagged_only(flags)
    listed = [[Cell(_indicator_name(f, lang)), Cell(f.entity_key),
               Cell(f.region_zh if present(f.region_zh) else ""),
               *(_risk_figure(v, f.unit) for v in (f.value, f.threshold)),
               Cell(word(f"risk_source_{f.threshold_source}", lang))]
              for f in flagged.head(listed_at_most).itertuples()]
    note = word("risk_listed_note", lang, n=f"{len(flagged):,}", shown=len(listed)) \
        if len(listed) < len(flagged) else ("" if listed else word("none", lang))
    entities = table(word("risk_listed", lang), [
        word("metric", lang), word("risk_entity", lang), word("region", lang), word("risk_figure", lang),
        word("risk_threshold", lang), word("risk_source", lang)], listed, lang, note=note)
    return by_indicator, entities
