"""The dashboard's data: every query the Streamlit pages draw, on the published snapshot.

Each function takes a connection to the snapshot (``adhoc_sql.open_snapshot``) and returns a
DataFrame; ``Selection`` carries the page filters. Ratios are recomputed from the summed parts
(never averaged), from their one declaration (``ggzy.metrics``), as the marts do.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ggzy import metrics

REGION_COLUMN = {"province": "province_code", "prefecture": "prefecture_code", "county": "region_code"}
CHILD_LEVEL = {"all": "province", "province": "prefecture", "prefecture": "county", "county": "county"}
GUARANTEE_FORMS = ("bank_guarantee", "e_guarantee", "insurance", "guarantor")
DAYS_TO_REFUND_BUCKETS = ((0, 5), (6, 10), (11, 30), (31, 90), (91, 365), (366, None))
OVERDUE_BUCKETS = ((1, 30), (31, 90), (91, 365))
SEDIMENT_LIST_ROWS = 500
AGE_STATES = ("no_due_date", "not_yet_due", "overdue", "sediment")  # outstanding_by_age's named buckets


@dataclass(frozen=True)
class Selection:
    """What the filters chose: a month range, one region (or all) and some categories (or all)."""
    start: date
    end: date
    region_level: str = "all"  # all / province / prefecture / county
    region_code: str | None = None
    categories: tuple[str, ...] = ()


def _where(selection: Selection, months: bool = True, prefix: str = "") -> tuple[str, list]:
    """``where`` clause and parameters for the selection, on columns with ``prefix``."""
    clauses, params = ["true"], []
    if months:
        clauses.append(f"{prefix}month between ? and ?")
        params += [selection.start, selection.end]
    if selection.region_level != "all":
        clauses.append(f"{prefix}{REGION_COLUMN[selection.region_level]} = ?")
        params.append(selection.region_code)
    if selection.categories:
        clauses.append(f"{prefix}trade_category in ({', '.join('?' * len(selection.categories))})")
        params += list(selection.categories)
    return " and ".join(clauses), params


def _frame(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> pd.DataFrame:
    """The result with amounts as exact ``Decimal`` yuan (sums of counts as integers, dates as
    datetime64): a float never stands in for money."""
    with con.cursor() as cursor:  # one cursor per query: the dashboard serves several sessions
        table = cursor.sql(sql, params=params or []).to_arrow_table()
    whole = [i for i, f in enumerate(table.schema) if pa.types.is_decimal(f.type) and f.type.scale == 0]
    for i in whole:
        table = table.set_column(i, table.schema[i].name, pc.cast(table.column(i), pa.int64()))
    return table.to_pandas(date_as_object=False)


def months(con: duckdb.DuckDBPyConnection) -> list[date]:
    """The months with sections traded: what the month filter offers."""
    frame = _frame(con, "select distinct month from marts.mart_trading_volume order by month")
    return [m.date() for m in frame["month"]]


def regions(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The regions that have figures, with their level, names and parents."""
    return _frame(con, """
        select r.region_code, k.region_level, r.name_zh, r.prefecture_code, r.province_code
        from (select distinct region_level, region_code from marts.mart_kpi_monthly
              where region_level in ('province', 'prefecture', 'county')) as k
        join marts.dim_region as r on r.region_code = k.region_code
        order by k.region_level, r.region_code""")


def categories(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return _frame(con, "select code, name_zh, name_en from marts.dim_trade_category order by code")


def headline_by_month(con: duckdb.DuckDBPyConnection, selection: Selection) -> pd.DataFrame:
    """Every month up to the selection's end (for the deltas and trends): parts and ratios."""
    where, params = _where(selection, months=False)
    sums = ", ".join(f"sum({p.name}) as {p.name}" for p in metrics.parts())
    return _frame(con, f"""
        with summed as (
            select month, {sums} from marts.mart_kpi_category_monthly
            where {where} and month <= ? group by month
        )
        select *, {metrics.ratio_columns()} from summed order by month""", [*params, selection.end])


def trading_by_category(con: duckdb.DuckDBPyConnection, selection: Selection) -> pd.DataFrame:
    where, params = _where(selection, prefix="v.")
    return _frame(con, f"""
        select v.month, c.name_zh, c.name_en, sum(v.n_sections) as n_sections,
               sum(v.n_concluded) as n_concluded, sum(v.n_failed) as n_failed,
               sum(v.n_terminated) as n_terminated, sum(v.deal_amount) as deal_amount
        from marts.mart_trading_volume as v join marts.dim_trade_category as c on c.code = v.trade_category
        where {where} group by all order by all""", params)


def regions_ranked(con: duckdb.DuckDBPyConnection, selection: Selection) -> pd.DataFrame:
    """The regions one level below the selection, by deal amount over the month range."""
    column = REGION_COLUMN[CHILD_LEVEL[selection.region_level]]
    where, params = _where(selection, prefix="v.")
    return _frame(con, f"""
        select v.{column} as region_code, r.name_zh, sum(v.n_concluded) as n_concluded,
               sum(v.deal_amount) as deal_amount
        from marts.mart_trading_volume as v join marts.dim_region as r on r.region_code = v.{column}
        where {where} group by all order by deal_amount desc""", params)


def tender_modes(con: duckdb.DuckDBPyConnection, selection: Selection) -> pd.DataFrame:
    where, params = _where(selection, prefix="d.")
    return _frame(con, f"""
        select m.name_zh, m.name_en, count(*) as n_concluded, sum(d.deal_amount) as deal_amount
        from marts.fct_deals as d join marts.dim_tender_mode as m on m.code = d.tender_mode
        where {where} and d.deal_status = 'concluded' group by all order by deal_amount desc""", params)


def savings_by_category(con: duckdb.DuckDBPyConnection, selection: Selection) -> pd.DataFrame:
    where, params = _where(selection, prefix="s.")
    procurement_base = "case when price_kind = 'procurement' then budget_amount_priced end"
    auction_base = "case when price_kind = 'auction' then budget_amount_priced end"
    return _frame(con, f"""
        with summed as (
            select c.name_zh, c.name_en, c.price_kind, sum(s.n_priced) as n_priced,
                   sum(s.budget_amount_priced) as budget_amount_priced,
                   sum(s.deal_amount_priced) as deal_amount_priced,
                   sum(s.savings_amount) as savings_amount, sum(s.premium_amount) as premium_amount
            from marts.mart_savings as s join marts.dim_trade_category as c on c.code = s.trade_category
            where {where} group by all
        )
        select *, {metrics.ratio_column("savings_rate", savings_base_amount=procurement_base)},
                  {metrics.ratio_column("premium_rate", premium_base_amount=auction_base)}
        from summed order by price_kind desc, budget_amount_priced desc""", params)


def e_bidding_by_category(con: duckdb.DuckDBPyConnection, selection: Selection) -> pd.DataFrame:
    where, params = _where(selection, prefix="e.")
    return _frame(con, f"""
        with summed as (
            select c.name_zh, c.name_en, sum(e.n_concluded) as n_concluded,
                   sum(e.n_electronic) as n_electronic, sum(e.deal_amount) as deal_amount,
                   sum(e.deal_amount_electronic) as deal_amount_electronic,
                   sum(e.n_remote_evaluation) as n_remote_evaluation,
                   sum(e.deal_amount_remote_evaluation) as deal_amount_remote_evaluation
            from marts.mart_e_bidding as e join marts.dim_trade_category as c on c.code = e.trade_category
            where {where} group by all
        )
        select *, {metrics.ratio_column("e_bidding_rate")}, {metrics.ratio_column("e_bidding_rate_amount")}
        from summed order by n_concluded desc""", params)


def _label(bucket: tuple[int, int | None]) -> str:
    low, high = bucket
    return f"{low}+" if high is None else f"{low}–{high}"


def _bucket_index_sql(column: str, buckets: tuple, first: int = 0) -> str:
    """``when`` branches numbering the buckets from ``first``."""
    return " ".join(f"when {column} >= {low} then {first + i}" if high is None
                    else f"when {column} between {low} and {high} then {first + i}"
                    for i, (low, high) in enumerate(buckets))


def _labels_sql(labels: list[str]) -> str:
    return "[" + ", ".join(f"'{label}'" for label in labels) + "]"


def days_to_refund_distribution(con: duckdb.DuckDBPyConnection, selection: Selection) -> pd.DataFrame:
    """Deposits settled in the month range, by days from the deal to the last settlement."""
    where, params = _where(selection, months=False)
    labels = _labels_sql([_label(b) for b in DAYS_TO_REFUND_BUCKETS])
    return _frame(con, f"""
        with bucketed as (
            select amount, case {_bucket_index_sql("days_to_refund", DAYS_TO_REFUND_BUCKETS)} end as bucket
            from marts.fct_securities
            where is_bid_deposit and settled_date is not null and days_to_refund >= 0
              and date_trunc('month', settled_date) between ? and ? and {where}
        )
        select {labels}[bucket + 1] as days_bucket, count(*) as n_settled, sum(amount) as amount
        from bucketed group by bucket order by bucket""", [selection.start, selection.end, *params])


def outstanding_by_age(con: duckdb.DuckDBPyConnection, selection: Selection) -> pd.DataFrame:
    """Deposits still held at the build date, by how long past their due date (sediment last)."""
    where, params = _where(selection, months=False)
    no_due_date, not_yet_due, overdue, sediment = AGE_STATES
    labels = [no_due_date, not_yet_due, *(_label(b) for b in OVERDUE_BUCKETS), overdue, sediment]
    return _frame(con, f"""
        with aged as (
            select outstanding_amount,
                   case when is_sediment then {len(labels) - 1}
                        when due_date is null then 0
                        when days_overdue = 0 then 1
                        {_bucket_index_sql("days_overdue", OVERDUE_BUCKETS, first=2)}
                        else {len(labels) - 2} end as age_order
            from marts.fct_securities
            where is_bid_deposit and not is_settled and region_code is not null and {where}
        )
        select {_labels_sql(labels)}[age_order + 1] as age_bucket,
               count(*) as n_outstanding, sum(outstanding_amount) as amount_outstanding
        from aged group by age_order order by age_order""", params)


def sediment_totals(con: duckdb.DuckDBPyConnection, selection: Selection) -> tuple[int, Decimal]:
    """How many sediment deposits (沉淀保证金) there are, and how much they hold."""
    where, params = _where(selection, months=False)
    n, amount = con.execute(f"""
        select count(*), coalesce(sum(outstanding_amount), 0) from marts.fct_securities
        where is_sediment and {where}""", params).fetchone()
    return n, amount


def sediment_deposits(con: duckdb.DuckDBPyConnection, selection: Selection) -> pd.DataFrame:
    """The SEDIMENT_LIST_ROWS sediment deposits overdue longest: the first to clear. (A nation has
    over 100,000; the whole list is one ``ggzy sql`` away.)"""
    where, params = _where(selection, months=False, prefix="s.")
    return _frame(con, f"""
        select s.security_id, s.tender_project_code, s.bid_section_code, s.bidder_code,
               r.name_zh as region_name, c.name_zh as category_zh, c.name_en as category_en,
               s.amount, s.outstanding_amount, s.received_date, s.due_date, s.days_overdue
        from marts.fct_securities as s
        join marts.dim_region as r on r.region_code = s.region_code
        join marts.dim_trade_category as c on c.code = s.trade_category
        where s.is_sediment and {where}
        order by s.days_overdue desc, s.security_id
        limit {SEDIMENT_LIST_ROWS}""", params)


def security_detail(con: duckdb.DuckDBPyConnection, security_id: str) -> pd.DataFrame:
    """One security with its section: everything a centre needs to chase the refund."""
    return _frame(con, """
        select s.*, d.deal_date, d.contract_sign_date, d.deal_status, d.winner_code,
               d.deal_amount, d.tender_mode, d.platform_code
        from marts.fct_securities as s
        left join marts.fct_deals as d
            on d.tender_project_code = s.tender_project_code and d.bid_section_code = s.bid_section_code
            and d.attempt_month = s.attempt_month
        where s.security_id = ?""", [security_id])


def guarantee_forms_by_month(con: duckdb.DuckDBPyConnection, selection: Selection) -> pd.DataFrame:
    """Each pay form's share of all securities' amount, by month."""
    where, params = _where(selection)
    forms = ", ".join(f"sum(amount_{f}) as {f}" for f in GUARANTEE_FORMS)
    return _frame(con, f"""
        select month, sum(amount_total) as amount_total, sum(amount_cash) as cash, {forms}
        from marts.mart_guarantee_substitution where {where} group by month order by month""", params)


def loads(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return _frame(con, """select load_id, file_name, kind, period, n_rows, n_replaced, n_warnings,
                                 loaded_at, retracted
                          from meta.load_log order by load_id""")


def builds(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return _frame(con, "from meta.build_log order by build_id desc")


def validation_warnings(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Rules that flagged rows in current loads, and checks that flagged rows in the last build."""
    return _frame(con, """
        select 'load' as stage, l.kind as subject, v.rule, v.column_name,
               sum(v.n_unexpected)::bigint as n_rows
        from meta.validation_results as v join meta.load_log as l on l.load_id = v.load_id
        where not l.retracted and v.n_unexpected > 0 group by all
        union all
        select 'build', suite, rule, column_name, n_unexpected from meta.mart_validation_results
        where not success and build_id = (select max(build_id) from meta.mart_validation_results)
        order by 1, 5 desc""")
