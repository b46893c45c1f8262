"""Amounts whose units disagree: the unit written in the cell (``1000元``), the one its column is
in (the header ``预算金额（万元）``, a title line ``金额单位：万元`` or the mapping) and the row's
``price_unit`` (金额单位). Where two of them are given and differ, the amount could be off by
10,000: the row is rejected, naming all of them, rather than one of them silently winning.
"""

import duckdb

from ggzy.common.codes import unit_multipliers
from ggzy.common.findings import Finding
from ggzy.ingest.header import Layout
from ggzy.ingest.normalise import unit_whens


def _says(zh: str, en: str, unit: str | None) -> list[tuple[str, str]]:
    return [(f"{zh} {unit}", f"{en} {unit}")] if unit else []


def unit_conflicts(con: duckdb.DuckDBPyConnection, layout: Layout) -> list[Finding]:
    """A finding for each amount of ``typed`` whose cell, column and row units are not all alike."""
    by_code, by_suffix = unit_multipliers()
    has_row_unit = "price_unit" in layout.positions
    row_unit = "price_unit__raw" if has_row_unit else "null"
    # the row's unit as given: a blank 金额单位 gives none (it defaults to 元 only when nothing else does)
    row_multiplier = f"case when price_unit__raw is null then null {unit_whens('price_unit', by_code)} end" \
        if has_row_unit else "null"
    findings = []
    for column in [c.name for c in layout.kind.columns if c.type == "amount" and c.name in layout.positions]:
        said = layout.unit_sources.get(column)
        cell_multiplier = f"case {unit_whens(column + '__suffix', by_suffix)} end"
        units = [cell_multiplier, said and by_suffix[said.unit] or "null", row_multiplier]
        rows = con.execute(f"""
            select line_number, {column}__raw, {column}__suffix, {row_unit} from typed
            where len(list_distinct(list_filter([{', '.join(units)}], lambda x: x is not null))) > 1
            order by line_number""").fetchall()
        column_unit = _says(f"{said.where_zh} 为", f"{said.where_en} says", said.unit) if said else []
        for line, cell, cell_unit, price_unit in rows:
            parts = [*_says("单元格写", "the cell says", cell_unit), *column_unit,
                     *_says("本行金额单位为", "the row's unit is", price_unit)]
            findings.append(Finding(
                line, layout.spelled[column], cell, "unit_conflict",
                "金额单位不一致：" + "，".join(zh for zh, _ in parts) + "；请统一后重新导出",
                "the units disagree: " + ", ".join(en for _, en in parts) + "; make them one and export "
                "again"))
    return findings
