"""Total rows (合计, 总计, 小计): not data, but a statement about the data, checked.

``read.py`` labels a row whose first cell or key cell says 合计/总计/小计 (本月合计, 合计：); ``normalise``
parses it like any row into ``total_rows``. Here each of its amounts is checked against the sum
of the rows it totals: a 小计 the rows since the previous total row, a 合计 or 总计 those since the
previous 合计 or 总计. A total agrees when the rows' sum, rounded to the places the total is
written with (in its unit), is the total: ``19,723.07`` 万元 may stand for 197,230,654.00 yuan.
This is how a report's arithmetic slip is caught before it is published.
"""

import re
import unicodedata
from decimal import Decimal

import duckdb

from ggzy.common.codes import unit_multipliers
from ggzy.common.findings import Finding
from ggzy.ingest.header import Layout

NUMBER = re.compile(r"\d[\d,]*(?:\.(\d+))?")


def _written(raw: str, stated: Decimal | None, header_multiplier: str) -> tuple[Decimal, str, int]:
    """The unit's multiplier and name, and the decimal places, of a total as written."""
    number = NUMBER.search(unicodedata.normalize("NFKC", raw))
    places = len(number[1] or "") if number else 0
    value = Decimal(number[0].replace(",", "")) if number else Decimal(0)
    multiplier = stated / value if stated is not None and value else Decimal(header_multiplier)
    name = next((n for n, m in unit_multipliers()[1].items() if Decimal(m) == multiplier), "元")
    return multiplier, name, places


def _in_unit(amount: Decimal, multiplier: Decimal, places: int) -> str:
    return f"{amount / multiplier:,.{max(places, 2)}f}"


def check_totals(con: duckdb.DuckDBPyConnection, layout: Layout) -> list[Finding]:
    """A note for each total row, and an error for each amount it states that the rows do not add up to."""
    labels = con.execute("select line_number, total_label from total_rows order by 1").fetchall()
    findings = [Finding(line, "", label, "total_row", f"{label}行：不是数据，不入库，已与所合计的各行核对",
                        "a total row: not data, not landed; checked against the rows it totals", "info")
                for line, label in labels]
    amounts = [c.name for c in layout.kind.columns if c.type == "amount" and c.name in layout.positions]
    for column in amounts if labels else []:
        for line, raw, stated, computed, first, last in con.execute(f"""
            with t as (
                select line_number, total_label, {column}__raw as raw, {column} as stated,
                    coalesce(lag(line_number) over (order by line_number), 0) as after_any,
                    coalesce(max(case when total_label <> '小计' then line_number end) over (
                        order by line_number rows unbounded preceding exclude current row), 0) as after_grand
                from total_rows)
            select t.line_number, t.raw, t.stated, coalesce(sum(d.{column}), 0),
                min(d.line_number), max(d.line_number)
            from t left join typed as d
                on d.line_number > (case when t.total_label = '小计' then t.after_any else t.after_grand end)
                and d.line_number < t.line_number
            where t.raw is not null
            group by all order by 1""").fetchall():
            multiplier, unit, places = _written(raw, stated, layout.units.get(column, "1"))
            tolerance = Decimal(5).scaleb(-places - 1) * multiplier
            if stated is not None and abs(stated - computed) <= tolerance:
                continue
            rows = f"第 {first}–{last} 行" if first else "没有数据行"
            rows_en = f"lines {first}–{last}" if first else "no data rows"
            total = f"{_in_unit(computed, multiplier, places)} {unit}"
            findings.append(Finding(
                line, layout.spelled[column], raw, "total_mismatch",
                f"所列合计 {raw}（{unit}）与{rows}之和 {total} 不符",
                f"the stated total {raw} ({unit}) is not the sum of {rows_en}, {total}"))
    return findings
