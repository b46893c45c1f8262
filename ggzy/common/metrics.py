"""The headline metrics as declared once in ``models/marts/_metrics.yml`` (dbt's semantic layer
spec): the additive parts (measures) and the ratios over them. The dashboard's and the report's
sums and ratios are generated from here, as the marts' are by ``macros/kpi_columns.sql``.
"""

from dataclasses import dataclass
from functools import cache

import yaml

from ggzy.common.dbt_macros import PROJECT_DIR, macro

DECLARATION = PROJECT_DIR / "models" / "marts" / "_metrics.yml"


@dataclass(frozen=True)
class Part:
    """An additive part: a column of mart_kpi_category_monthly, summed at any rollup."""
    name: str
    is_stock: bool  # a balance at month end: its value for a period is the last month's


@dataclass(frozen=True)
class Ratio:
    """numerator / denominator of summed parts, never an average."""
    name: str
    numerator: str
    denominator: str


@cache
def _declaration() -> dict:
    return yaml.safe_load(DECLARATION.read_text(encoding="utf-8"))


@cache
def parts() -> tuple[Part, ...]:
    (kpi,) = (m for m in _declaration()["semantic_models"] if m["name"] == "kpi")
    return tuple(Part(m["name"], "non_additive_dimension" in m) for m in kpi["measures"])


@cache
def ratios() -> tuple[Ratio, ...]:
    return tuple(Ratio(m["name"], m["type_params"]["numerator"], m["type_params"]["denominator"])
                 for m in _declaration()["metrics"] if m["type"] == "ratio")


def ratio_sql(numerator: str, denominator: str) -> str:
    """numerator / denominator as ``macros/ratio.sql`` writes it (null when the denominator is
    0, to 6 decimal places): that macro file, rendered."""
    return macro("ratio.sql", "ratio")(numerator, denominator).strip()


def ratio_column(name: str) -> str:
    """``<ratio> as <name>`` for the declared ratio ``name``, on parts named as declared."""
    (r,) = (r for r in ratios() if r.name == name)
    return f"{ratio_sql(r.numerator, r.denominator)} as {name}"


def ratio_columns() -> str:
    """Every declared ratio, on parts named as declared."""
    return ", ".join(ratio_column(r.name) for r in ratios())
