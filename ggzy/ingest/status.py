"""``ggzy status``: current rows by kind and month; which months are missing; loads waiting for a
build; the last build and, if it failed, its findings; open warnings; sections with securities
and no deal yet."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from ggzy.common.contract import BY_NAME, KINDS
from ggzy.common.warehouse import attach, connect, currency, database_path
from ggzy.ingest.current import current_sql
from ggzy.ingest.history import current_rows_by_load, waiting_sql

SHOWN_LINES = 10  # of a list (a failed build's findings, loads waiting), then a count


@dataclass
class Status:
    months: list[date]  # every month from the first loaded to the last
    loaded: dict[tuple[str, date], int]  # (kind, month) → current rows of that period's loads
    open_warnings: list[tuple[str, str, int]]  # (kind, rule, rows) over loads with current rows
    last_build: tuple | None  # (build_id, finished_at, status, dbt_summary, n_check_warnings, message)
    waiting: list[tuple[int, str, bool]]  # (load_id, file_name, retracted) the next build takes
    # (tender_project_code, bid_section_code, n_securities, cash amount, first received_date)
    without_deal: list[tuple[str, str, int, Decimal, date]]
    currency: str  # of every amount in the warehouse (ggzy init --currency)
    ocds: tuple[int, int, int]  # OCDS loads not retracted, their releases, their deals rows still current

    def missing(self, kind: str) -> list[date]:
        return [m for m in self.months if (kind, m) not in self.loaded]


def _month_range(first: date, last: date) -> list[date]:
    months, month = [], first
    while month <= last:
        months.append(month)
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return months


def sections_without_deal_sql(catalog: str) -> str:
    """Sections with current securities and no current deal, oldest first deposit first."""
    securities, deals = (current_sql(BY_NAME[k], catalog) for k in ("securities", "deals"))
    return f"""
        select s.tender_project_code, s.bid_section_code, count(*),
            coalesce(sum(s.amount) filter (where s.pay_form = 'cash'), 0), min(s.received_date)
        from ({securities}) as s
        where not exists (select 1 from ({deals}) as d
            where d.tender_project_code = s.tender_project_code and d.bid_section_code = s.bid_section_code)
        group by all order by 5, 1, 2"""


def read_status(home_dir: Path, wait: float = 0) -> Status | None:
    """None when there is no warehouse yet. While a load or build writes it, waits up to ``wait``
    seconds, then says who is writing (exit 3)."""
    path = database_path(home_dir)
    if not path.exists():
        return None
    with connect() as con:
        attach(con, path, read_only=True, wait=wait)
        current = current_rows_by_load(con, "wh")
        loads = [(*load, None)[:4] for load in con.execute(  # no n_releases in a warehouse before OCDS
            "select columns(lambda c: c in ('load_id', 'kind', 'period', 'n_releases')) "
            "from wh.meta.load_log where not retracted").fetchall()]
        loaded: dict[tuple[str, date], int] = {}
        for load_id, kind, period, n_releases in loads:  # OCDS files are no month's report
            if n_releases is None:
                loaded[kind, period] = loaded.get((kind, period), 0) + current.get(load_id, 0)
        ocds = [(n, current.get(load_id, 0)) for load_id, kind, _, n in loads  # a file's bids load aside
                if n is not None and kind == "deals"]
        warnings = con.execute("""
            select l.kind, v.rule, sum(v.n_unexpected)::bigint
            from wh.meta.validation_results as v
            join wh.meta.load_log as l on l.load_id = v.load_id and not l.retracted
            where v.n_unexpected > 0 and l.load_id in (select unnest(?::bigint[]))
            group by all order by 1, 3 desc""", [[i for i, n in current.items() if n]]).fetchall()
        last_build = con.execute("""
            select build_id, finished_at, status, dbt_summary, n_check_warnings, message
            from wh.meta.build_log order by build_id desc limit 1""").fetchone()
        waiting = con.execute(f"""select load_id, file_name, retracted from wh.meta.load_log as l
            where {waiting_sql('wh')} order by load_id""").fetchall()
        without_deal = con.execute(sections_without_deal_sql("wh")).fetchall()
        money = currency(con)
    periods = [period for _, period in loaded]
    months = _month_range(min(periods), max(periods)) if periods else []
    return Status(months, loaded, warnings, last_build, waiting, without_deal, money,
                  (len(ocds), sum(n for n, _ in ocds), sum(c for _, c in ocds)))


def _format_build(build: tuple | None) -> str:
    if build is None:
        return "最近构建 last build: 尚未构建 not built yet (ggzy build)"
    build_id, finished_at, result, summary, n_warnings, message = build
    outcome = "已发布 published" if result == "published" else "失败 failed"
    text = f"最近构建 last build: #{build_id} {finished_at:%Y-%m-%d %H:%M} {outcome} ({summary}"
    text += f", {n_warnings} 条警告 warnings)" if n_warnings else ")"
    problems = message.splitlines() if message else []
    text += "".join(f"\n    {p}" for p in problems[:SHOWN_LINES])
    if len(problems) > SHOWN_LINES:
        text += f"\n    … 另有 {len(problems) - SHOWN_LINES:,} 条 more (meta.build_log.message)"
    return text


def _format_without_deal(sections: list[tuple[str, str, int, Decimal, date]], today: date) -> list[str]:
    n_securities = sum(n for _, _, n, _, _ in sections)
    cash = sum((amount for _, _, _, amount, _ in sections), Decimal(0))
    lines = [f"尚无成交记录的标段 sections with securities and no deal yet: {len(sections):,} 个标段 "
             f"sections, {n_securities:,} 笔担保 securities, 现金 cash {cash:,.2f} "
             "(按文件所给地区或“地区未知”计入 counted where their file says, else under 'unknown')"]
    lines += [f"    {project} / {section}: {n:,} 笔 securities, 现金 cash {amount:,.2f}, "
              f"最早递交 first received {first:%Y-%m-%d}, 已 {(today - first).days:,} 天 days ago"
              for project, section, n, amount, first in sections[:SHOWN_LINES]]
    if len(sections) > SHOWN_LINES:
        lines.append(f"    … 另有 {len(sections) - SHOWN_LINES:,} 个 more")
    return lines


def format_status(status: Status | None) -> str:
    if status is None:
        return "数据仓库为空：先运行 ggzy load / the warehouse is empty: run ggzy load first"
    n_ocds, n_releases, n_ocds_rows = status.ocds
    if not status.months and not n_ocds:
        return "尚未入库任何文件 / nothing loaded yet"
    lines = [f"币种 currency: {status.currency}"]
    if n_ocds:
        lines.append(f"OCDS: {n_ocds:,} 个文件 files, {n_releases:,} 个发布 releases, {n_ocds_rows:,} 行当前"
                     "成交 current deals rows (按 ocid 与标段更新，不按月报送 updated by ocid and lot, "
                     "not by month)")
    if not status.months:
        lines.append(_format_build(status.last_build))
        return "\n".join(lines)
    lines.append("当前行数，按报送期 current rows by reporting period")
    lines += ["月份 month   " + "".join(f"{k:>14}" for k in KINDS)]
    for month in status.months:
        cells = "".join(f"{status.loaded.get((k, month), 0):>14,}" if (k, month) in status.loaded
                        else f"{'缺 missing':>13}" for k in KINDS)
        lines.append(f"{month:%Y-%m}      {cells}")
    gaps = {k: status.missing(k) for k in KINDS if status.missing(k)}
    lines.append("")
    lines += [f"缺报月份 missing months ({k}): " + ", ".join(f"{m:%Y-%m}" for m in ms)
              for k, ms in gaps.items()] or ["各类文件月份齐全 / no month is missing"]
    lines.append(_format_build(status.last_build))
    if status.waiting:
        names = [f"#{i} {name}" + (" (已撤回 retracted)" if retracted else "")
                 for i, name, retracted in status.waiting]
        more = len(names) - SHOWN_LINES
        lines.append(f"待构建 waiting for a build ({len(names)} 次入库 loads; ggzy build): "
                     + ", ".join(names[:SHOWN_LINES]) + (f", … 另有 {more:,} more" if more > 0 else ""))
    if status.without_deal:
        lines += _format_without_deal(status.without_deal, date.today())
    if status.open_warnings:
        lines.append("数据质量警告 data-quality warnings in current loads:")
        lines += [f"  {kind:<11} {rule:<22} {n:>10,} 行 rows" for kind, rule, n in status.open_warnings]
    return "\n".join(lines)
