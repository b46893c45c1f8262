"""Which changes the dashboard marks for a look (异常): the thresholds are dbt vars in
dbt_project.yml (anomaly_rate_change_points, anomaly_change_percent, anomaly_min_sections), their
one home."""

from functools import cache

import yaml

from ggzy.common.dbt_macros import PROJECT_DIR


@cache
def thresholds() -> dict:
    project = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))
    return {k: v for k, v in project["vars"].items() if k.startswith("anomaly_")}


def is_anomaly(change, change_unit: str, base_sections) -> bool:
    """A change (mart_kpi_periods: percentage points for rates, percent otherwise) beyond its
    threshold, on a base month with enough concluded sections to mean something."""
    if change is None or change != change or base_sections is None or base_sections != base_sections:
        return False
    limits = thresholds()
    rate = change_unit == "percentage_points"
    limit = limits["anomaly_rate_change_points" if rate else "anomaly_change_percent"]
    return int(base_sections) >= limits["anomaly_min_sections"] and abs(float(change)) > limit
