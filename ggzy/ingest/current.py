"""Which rows are current: the one definition, on the loader's side, of what the files say now.

A row of ``raw.<kind>`` is current when it is the latest version of its version key among the
loads not retracted, and no later ``--replace`` load of the same kind and period (not retracted)
has withdrawn it. The version key is the business key; for deals also the attempt
(``attempt_month``): a section that failed or was terminated and is tendered again in a later
month is a new attempt, and both count, each in its own month. ``macros/latest_version.sql`` is
the one definition: dbt's staging calls it, and ``current_sql`` renders the same file.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import duckdb

from ggzy.common.contract import BY_NAME, Kind
from ggzy.common.dbt_macros import macro

SIMILAR_WITHIN = Decimal("0.1")  # counts and totals this close (relative) look like the same month re-keyed


def current_sql(kind: Kind, catalog: str = "", keys: str = "") -> str:
    """The current rows of ``raw.<kind>`` with their load's period (``load_period``), as
    ``macros/latest_version.sql`` defines them for dbt (this renders that file). ``keys``, a
    query of business-key columns named as the kind's key, restricts them to those keys (every
    attempt of a deal's section), so a check of a file costs what the file does, not the history."""
    prefix = f"{catalog}." if catalog else ""
    return macro("latest_version.sql", "current_rows")(
        f"{prefix}raw.{kind.name}", f"{prefix}meta.load_log", kind.name, list(kind.version_key),
        wanted=keys or None, wanted_key=list(kind.key))


def period_keys_sql(kind: Kind, catalog: str, period: date) -> str:
    """The business keys with rows in the period's loads (a superset of its current rows)."""
    return f"""select distinct {', '.join(f'r.{c}' for c in kind.key)}
        from {catalog}.raw.{kind.name} as r
        join {catalog}.meta.load_log as l on l.load_id = r.load_id and not l.retracted
        where l.kind = '{kind.name}' and l.period = '{period.isoformat()}'"""


def attempts_sql(catalog: str) -> str:
    """For each row of ``typed`` (a deals file): the attempt it belongs to (``attempt_month``)
    and, when it replaces a current row dated in another month, what that row said
    (``moved_from``). A row replaces the current attempt of its section in its own month;
    else the latest one it does not follow as a new attempt — it does when the earlier of the
    two, by month, did not conclude. Otherwise it is a new attempt, in its own month."""
    deals = BY_NAME["deals"]
    keys = f"select distinct {', '.join(deals.key)} from typed"
    return f"""
        with file_rows as (
            select line_number, tender_project_code, bid_section_code, deal_status,
                date_trunc('month', deal_date)::date as month
            from typed
        ),
        earlier as (
            select *, date_trunc('month', deal_date)::date as month
            from ({current_sql(deals, catalog, keys)})
        ),
        matched as (
            select file_rows.line_number, file_rows.month, earlier.attempt_month,
                earlier.month as earlier_month, earlier.load_id, earlier.deal_date,
                earlier.deal_status, earlier.deal_amount
            from file_rows
            left join earlier
                on earlier.tender_project_code = file_rows.tender_project_code
                and earlier.bid_section_code = file_rows.bid_section_code
                and (earlier.month = file_rows.month
                     or case when earlier.month < file_rows.month then earlier.deal_status
                             else file_rows.deal_status end = 'concluded')
            qualify row_number() over (partition by file_rows.line_number
                order by earlier.month = file_rows.month desc, earlier.attempt_month desc nulls last) = 1
        )
        select line_number, coalesce(attempt_month, month) as attempt_month,
            case when earlier_month <> month then strftime(earlier_month, '%Y-%m')
                || ', load #' || load_id || ', deal_date ' || deal_date || ', ' || deal_status
                || coalesce(', deal_amount ' || deal_amount, '') end as moved_from
        from matched"""


def moved_securities_sql(catalog: str) -> str:
    """For each row of ``typed`` (a securities file) that replaces a current security received
    in another month: what that security said (``moved_from``)."""
    securities = BY_NAME["securities"]
    earlier = current_sql(securities, catalog, "select security_id__raw as security_id from typed")
    return f"""
        select typed.line_number,
            strftime(earlier.received_date, '%Y-%m') || ', load #' || earlier.load_id
                || ', received_date ' || earlier.received_date || ', ' || earlier.pay_form
                || ', amount ' || earlier.amount as moved_from
        from typed
        join ({earlier}) as earlier on earlier.security_id = typed.security_id__raw
        where date_trunc('month', earlier.received_date) <> date_trunc('month', typed.received_date)"""


@dataclass
class EarlierLoad:
    load_id: int
    file_name: str
    n_current: int  # its current rows of the period
    n_missing: int  # of which the new file lacks: they stay current unless --replace


@dataclass
class Resubmission:
    """How a file relates to the current rows of its kind and period."""

    n_replaced: int  # file rows that are new versions of current rows (of any period)
    n_unchanged: int  # of those, the rows that say what the current row says
    earlier: list[EarlierLoad]  # loads with current rows in the period

    @property
    def n_missing(self) -> int:
        return sum(e.n_missing for e in self.earlier)

    @property
    def n_current(self) -> int:
        return sum(e.n_current for e in self.earlier)


def _scope_sql(kind: Kind, catalog: str, period: date) -> str:
    """Current rows of the file's keys and of the period's keys."""
    keys = f"select {', '.join(kind.key)} from typed union {period_keys_sql(kind, catalog, period)}"
    return current_sql(kind, catalog, keys)


def _version_match(kind: Kind, left: str, right: str) -> str:
    return " and ".join(f"{left}.{c} = {right}.{c}" for c in kind.version_key)


def resubmission(con: duckdb.DuckDBPyConnection, kind: Kind, catalog: str, period: date) -> Resubmission:
    """Compare ``typed`` (the file, with its version keys) with the warehouse's current rows."""
    scope = _scope_sql(kind, catalog, period)
    con.execute(f"create or replace temp table scope as {scope}")
    alike = " and ".join(f"s.{c.name} is not distinct from t.{c.name}" for c in kind.columns)
    n_replaced, n_unchanged = con.execute(f"""select
            count(*) filter (where exists (select 1 from scope as s where {_version_match(kind, 's', 't')})),
            count(*) filter (where exists (
                select 1 from scope as s where {_version_match(kind, 's', 't')} and {alike}))
        from typed as t""").fetchone()
    earlier = [EarlierLoad(*row) for row in con.execute(f"""
        select s.load_id, l.file_name, count(*),
            count(*) filter (where not exists (
                select 1 from typed as t where {_version_match(kind, 's', 't')}))
        from scope as s join {catalog}.meta.load_log as l on l.load_id = s.load_id
        where s.load_period = ? group by all order by 1""", [period]).fetchall()]
    return Resubmission(n_replaced, n_unchanged, earlier)


def rekeyed_hint(con: duckdb.DuckDBPyConnection, kind: Kind, resub: Resubmission, period: date) -> str:
    """When none of the file's keys match the period's current rows but the counts and totals are
    close, say so, and whether codes that lost their leading zeros would match (``1`` vs ``001``).
    Reads the ``scope`` table of ``resubmission``."""
    if resub.n_replaced or not resub.n_current:
        return ""
    (n_file, file_total), (n_now, now_total) = con.execute(f"""
        select count(*), coalesce(sum({kind.amount_column}), 0) from typed
        union all
        select count(*), coalesce(sum({kind.amount_column}), 0) from scope where load_period = ?
        """, [period]).fetchall()

    def close(a, b) -> bool:
        return abs(a - b) <= SIMILAR_WITHIN * max(abs(a), abs(b))

    if not (close(n_file, n_now) and close(file_total, now_total)):
        return ""
    stripped = " and ".join(f"ltrim(s.{c}, '0') = ltrim(t.{c}, '0')" for c in kind.key)
    n_zeros = con.execute(f"""select count(*) from typed as t
        where exists (select 1 from scope as s where {stripped})""").fetchone()[0]
    hint = (f"\n    本文件的编号与该月当前数据无一相同，但行数 ({n_file:,} / {n_now:,}) 和金额合计 "
            f"({file_total:,.2f} / {now_total:,.2f}) 相近：是同一个月的编号被改写了吗？"
            f"\n    none of this file's keys match the month's current rows, but the row counts "
            f"({n_file:,} / {n_now:,}) and totals ({file_total:,.2f} / {now_total:,.2f}) are close: "
            "is this the same month with its codes rewritten?")
    if n_zeros:
        hint += (f"\n    去掉前导零后有 {n_zeros:,} 行编号相同（如 1 与 001）：Excel 另存时常会丢掉前导零，"
                 "请把编号列设为文本后重新导出 / "
                 f"{n_zeros:,} rows match once leading zeros are ignored (1 vs 001): a spreadsheet "
                 "re-saved from Excel often drops them; export again with the code columns as text")
    return hint


def withdrawn_sql(kind: Kind, period: date) -> str:
    """The current rows of the period that ``typed`` lacks: what ``--replace`` withdraws.
    Reads the ``scope`` table of ``resubmission``."""
    return f"""select * from scope as s where s.load_period = '{period.isoformat()}'
        and not exists (select 1 from typed as t where {_version_match(kind, 's', 't')})"""


def n_current_rows(con: duckdb.DuckDBPyConnection, kind: Kind, catalog: str, load_id: int) -> int:
    """How many rows of a load are still current."""
    keys = f"select {', '.join(kind.key)} from {catalog}.raw.{kind.name} where load_id = {int(load_id)}"
    return con.execute(f"select count(*) from ({current_sql(kind, catalog, keys)}) "
                       f"where load_id = {int(load_id)}").fetchone()[0]
