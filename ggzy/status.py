"""``ggzy status``: what is loaded, by kind and month; which months are missing; last build; open warnings."""

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

from ggzy.contract import KINDS
from ggzy.warehouse import attach, database_path


@dataclass
class Status:
    months: list[date]  # every month from the first loaded to the last
    loaded: dict[tuple[str, date], int]  # (kind, month) → current rows landed for that period
    open_warnings: list[tuple[str, str, int]]  # (kind, rule, rows) over current loads
    last_build: tuple | None  # (build_id, finished_at, status, dbt_summary, n_check_warnings, message)

    def missing(self, kind: str) -> list[date]:
        return [m for m in self.months if (kind, m) not in self.loaded]


def _month_range(first: date, last: date) -> list[date]:
    months, month = [], first
    while month <= last:
        months.append(month)
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return months


def read_status(home_dir: Path) -> Status | None:
    """None when there is no warehouse yet."""
    path = database_path(home_dir)
    if not path.exists():
        return None
    with duckdb.connect() as con:
        attach(con, path, read_only=True)
        loaded = {(kind, period): n for kind, period, n in con.execute("""
            select kind, period, sum(n_rows) from wh.meta.load_log
            where not retracted group by all""").fetchall()}
        warnings = con.execute("""
            select l.kind, v.rule, sum(v.n_unexpected)::bigint
            from wh.meta.validation_results as v
            join wh.meta.load_log as l on l.load_id = v.load_id and not l.retracted
            where v.n_unexpected > 0 group by all order by 1, 3 desc""").fetchall()
        last_build = con.execute("""
            select build_id, finished_at, status, dbt_summary, n_check_warnings, message
            from wh.meta.build_log order by build_id desc limit 1""").fetchone()
    periods = [period for _, period in loaded]
    months = _month_range(min(periods), max(periods)) if periods else []
    return Status(months, loaded, warnings, last_build)


def _format_build(build: tuple | None) -> str:
    if build is None:
        return "最近构建 last build: 尚未构建 not built yet (ggzy build)"
    build_id, finished_at, result, summary, n_warnings, message = build
    outcome = "已发布 published" if result == "published" else "失败 failed"
    text = f"最近构建 last build: #{build_id} {finished_at:%Y-%m-%d %H:%M} {outcome} ({summary}"
    text += f", {n_warnings} 条警告 warnings)" if n_warnings else ")"
    return text + (f"\n    {message}" if message else "")


def format_status(status: Status | None) -> str:
    if status is None:
        return "数据仓库为空：先运行 ggzy load / the warehouse is empty: run ggzy load first"
    if not status.months:
        return "尚未入库任何文件 / nothing loaded yet"
    lines = ["月份 month   " + "".join(f"{k:>14}" for k in KINDS)]
    for month in status.months:
        cells = "".join(f"{status.loaded.get((k, month), 0):>14,}" if (k, month) in status.loaded
                        else f"{'缺 missing':>13}" for k in KINDS)
        lines.append(f"{month:%Y-%m}      {cells}")
    gaps = {k: status.missing(k) for k in KINDS if status.missing(k)}
    lines.append("")
    lines += [f"缺报月份 missing months ({k}): " + ", ".join(f"{m:%Y-%m}" for m in ms)
              for k, ms in gaps.items()] or ["各类文件月份齐全 / no month is missing"]
    lines.append(_format_build(status.last_build))
    if status.open_warnings:
        lines.append("数据质量警告 data-quality warnings in current loads:")
        lines += [f"  {kind:<11} {rule:<22} {n:>10,} 行 rows" for kind, rule, n in status.open_warnings]
    return "\n".join(lines)
