"""Which figures and changes the dashboard and the report mark: a change beyond its threshold
(异常, worth a look), a 同比 whose base is too weak to be news, a figure too early to exist. The
thresholds are dbt vars in dbt_project.yml (anomaly_rate_change_points, anomaly_change_percent,
anomaly_min_sections, yoy_min_base_cases), their one home; what a metric needs behind it is its
declaration's (dim_metric.history_months, exists_after_months)."""

from collections.abc import Callable
from datetime import date
from functools import cache

import pandas as pd
import yaml

from ggzy.common.dbt_macros import PROJECT_DIR


@cache
def thresholds() -> dict:
    project = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))
    return {k: v for k, v in project["vars"].items() if k.startswith(("anomaly_", "yoy_"))}


def _missing(value) -> bool:
    return value is None or pd.isna(value)


def is_anomaly(change, change_unit: str, base_sections) -> bool:
    """A change (mart_kpi_periods: percentage points for rates, percent otherwise) beyond its
    threshold, on a base month with enough concluded sections to mean something."""
    if _missing(change) or _missing(base_sections):
        return False
    limits = thresholds()
    rate = change_unit == "percentage_points"
    limit = limits["anomaly_rate_change_points" if rate else "anomaly_change_percent"]
    return int(base_sections) >= limits["anomaly_min_sections"] and abs(float(change)) > limit


def _months_behind(month: date, first_month: date) -> int:
    return (month.year - first_month.year) * 12 + month.month - first_month.month


def too_early(metric: str, definitions: pd.DataFrame, month: date, first_month: date) -> bool:
    """Whether ``metric`` cannot exist yet in ``month``: fewer months of loads behind it than
    dim_metric.exists_after_months (no deposit is a year past due in a warehouse's first year),
    so its 0 would claim what the warehouse cannot know; shown as —."""
    needed = definitions.at[metric, "exists_after_months"]
    return not _missing(needed) and _months_behind(month, first_month) < needed


def weak_base(metric: str, definitions: pd.DataFrame, value: Callable[[str, bool], object],
              month: date, first_month: date) -> str | None:
    """Why a 同比 of ``metric`` in ``month`` is not news, or None: ``short_history`` — a month-end
    stock whose base month (a year before) has fewer months of loads behind it than the stock
    needs to be whole (dim_metric.history_months: a year for what is outstanding, two for
    sediment), so the base was understated; ``few_cases`` — the figure or its base rests on fewer than
    yoy_min_base_cases cases (a ratio's denominator, or the figure itself, when it is a count).
    ``definitions``: dim_metric by metric; ``value(metric, now)``: a metric's value in the month
    (now) or in its base period."""
    row = definitions.loc[metric]
    base_month = date(month.year - 1, month.month, 1)
    if not _missing(row.history_months) and _months_behind(base_month, first_month) < row.history_months:
        return "short_history"
    cases = row.denominator if row.metric_type == "ratio" else metric
    if definitions.at[cases, "unit"] != "count":
        return None
    known = [v for v in (value(cases, True), value(cases, False)) if not _missing(v)]
    return "few_cases" if known and min(known) < thresholds()["yoy_min_base_cases"] else None


def weak_words(reason: str, metric: str, definitions: pd.DataFrame, lang: str) -> str:
    """The reason in words, zh or en."""
    months, cases = definitions.at[metric, "history_months"], thresholds()["yoy_min_base_cases"]
    months = int(months) if not _missing(months) else months
    words = {"short_history": (f"同比基期前的数据不足 {months} 个月，仅供参考",
                               f"fewer than {months} months of data behind the YoY base: indicative only"),
             "few_cases": (f"同比基数不足 {cases} 笔，仅供参考",
                           f"YoY on fewer than {cases} cases: indicative only")}
    return words[reason][0 if lang == "zh" else 1]
