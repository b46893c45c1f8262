"""Which changes the dashboard and the report mark: one beyond its threshold (异常, worth a look),
and a 同比 whose base is too weak to be news. The thresholds are dbt vars in dbt_project.yml
(anomaly_rate_change_points, anomaly_change_percent, anomaly_min_sections, yoy_min_base_cases),
their one home."""

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


def weak_base(metric: str, definitions: pd.DataFrame, value: Callable[[str, bool], object],
              base_month: date, first_month: date) -> str | None:
    """Why a 同比 of ``metric`` is not news, or None: ``first_year`` — a month-end stock whose
    base month lies in the warehouse's first twelve months (less than a year of deposits behind
    it, so the stock was understated); ``few_cases`` — the figure or its base rests on fewer than
    yoy_min_base_cases cases (a ratio's denominator, or the figure itself, when it is a count).
    ``definitions``: dim_metric by metric; ``value(metric, now)``: a metric's value in the month
    (now) or in its base period."""
    row = definitions.loc[metric]
    if row.is_stock and base_month < date(first_month.year + 1, first_month.month, 1):
        return "first_year"
    cases = row.denominator if row.metric_type == "ratio" else metric
    if definitions.at[cases, "unit"] != "count":
        return None
    known = [v for v in (value(cases, True), value(cases, False)) if not _missing(v)]
    return "few_cases" if known and min(known) < thresholds()["yoy_min_base_cases"] else None
