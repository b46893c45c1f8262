"""The dashboard's data: every query the Streamlit pages draw, on the published snapshot.

The queries are SQL files in ggzy/serve/queries (Jinja templates, linted by sqlfluff): thin selects
from the marts. Each function here takes a connection to the snapshot
(``adhoc_sql.open_snapshot``) and returns a DataFrame; ``Selection`` carries the page filters,
which a query reads from the one-row relation ``selection``. Sums and ratios of the metrics are
generated from their one declaration (``ggzy.common.metrics``), as the marts' are.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import jinja2
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ggzy.common import metrics, warehouse
from ggzy.common.contract import KINDS
from ggzy.common.dbt_macros import MACROS_DIR, models_digest

QUERIES = jinja2.Environment(  # the macros ratio and period_change are dbt's own files
    loader=jinja2.FileSystemLoader([Path(__file__).parent / "queries", MACROS_DIR]),
    undefined=jinja2.StrictUndefined)


@dataclass(frozen=True)
class Below:
    """The regions one level below a selected level: their level (none below a county), the
    marts' column holding their code, and the column naming their parent (none below all)."""
    level: str | None
    code_column: str
    parent_column: str | None


BELOW = {"all": Below("province", "province_code", None),
         "province": Below("prefecture", "prefecture_code", "province_code"),
         "prefecture": Below("county", "region_code", "prefecture_code"),
         "county": Below(None, "region_code", None)}  # ranked, a county is its own only region
SEDIMENT_LIST_ROWS = 500
RANKED_HOLDERS = 10


@dataclass(frozen=True)
class Selection:
    """What the filters chose: a month range, one region (or all) and some categories (or all)."""
    start: date
    end: date
    region_level: str = "all"  # all / province / prefecture / county
    region_code: str | None = None
    categories: tuple[str, ...] = ()

    def relation(self) -> pa.Table:
        """The filters as the one-row relation ``selection`` the queries cross join."""
        return pa.table({"start_month": [self.start], "end_month": [self.end],
                         "region_level": [self.region_level], "region_code": [self.region_code],
                         "categories": pa.array([list(self.categories)], pa.list_(pa.string()))})


def frame(con: duckdb.DuckDBPyConnection, query: str, selection: Selection | None = None,
           chosen: str | None = None, **fragments) -> pd.DataFrame:
    """The query ``ggzy/serve/queries/<query>.sql`` rendered with ``fragments``, on the selection (or
    the chosen security), with amounts as exact ``Decimal`` yuan (sums of counts as integers,
    dates as datetime64): a float never stands in for money."""
    sql = QUERIES.get_template(f"{query}.sql").render(**fragments)
    with con.cursor() as cursor:  # one cursor per query: the dashboard serves several sessions
        if selection is not None:
            cursor.register("selection", selection.relation())
        if chosen is not None:
            cursor.register("chosen", pa.table({"security_id": [chosen]}))
        table = cursor.sql(sql).to_arrow_table()
    whole = [i for i, f in enumerate(table.schema) if pa.types.is_decimal(f.type) and f.type.scale == 0]
    for i in whole:
        table = table.set_column(i, table.schema[i].name, pc.cast(table.column(i), pa.int64()))
    return table.to_pandas(date_as_object=False)


def months(con: duckdb.DuckDBPyConnection) -> list[date]:
    """The months the warehouse holds deals for (mart_months_held): what the month filter offers
    and the monthly report accepts."""
    return [m.date() for m in frame(con, "months")["month"]]


def currency(con: duckdb.DuckDBPyConnection) -> str:
    """The warehouse's currency (ISO 4217): what its amounts are in."""
    return warehouse.currency(con, con.execute("select current_database()").fetchone()[0])


def regions(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The regions that have figures, with their level, names and parents."""
    return frame(con, "regions")


def metric_definitions(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The declared metrics (dim_metric) by name: labels, unit, parts, whether lower is better."""
    return frame(con, "metrics").set_index("metric")


def categories(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return frame(con, "categories")


def headline_by_month(con: duckdb.DuckDBPyConnection, selection: Selection) -> pd.DataFrame:
    """Every month up to the selection's end (for the trends): parts and ratios."""
    part_sums = ", ".join(f"sum(kpi.{p.name}) as {p.name}" for p in metrics.parts())
    return frame(con, "headline_by_month", selection, part_sums=part_sums,
                  ratio_columns=metrics.ratio_columns())


def headline_over_range(con: duckdb.DuckDBPyConnection, selection: Selection) -> pd.Series:
    """The selected months taken together: every flow summed, every ratio recomputed from them."""
    part_sums = ", ".join(f"sum(kpi.{p.name}) as {p.name}" for p in metrics.parts() if not p.is_stock)
    return frame(con, "headline_over_range", selection, part_sums=part_sums,
                 ratio_columns=metrics.ratio_columns()).iloc[0]


def headline_periods(con: duckdb.DuckDBPyConnection, selection: Selection) -> pd.DataFrame:
    """Every declared metric in the selection's last month with 环比, 同比, 本年累计 and 累计同比
    (mart_kpi_periods), indexed by metric."""
    return frame(con, "headline_periods", selection).set_index("metric")


def trading_by_category(con: duckdb.DuckDBPyConnection, selection: Selection) -> pd.DataFrame:
    return frame(con, "trading_by_category", selection)


def category_changes(con: duckdb.DuckDBPyConnection, selection: Selection) -> pd.DataFrame:
    """Each category's deal amount in the selection's last month with 同比 and the year to date."""
    return frame(con, "category_changes", selection)


def regions_ranked(con: duckdb.DuckDBPyConnection, selection: Selection) -> pd.DataFrame:
    """The regions one level below the selection, by deal amount over the month range."""
    return frame(con, "regions_ranked", selection, child_column=BELOW[selection.region_level].code_column)


def sub_regions(con: duckdb.DuckDBPyConnection, selection: Selection) -> pd.DataFrame:
    """Every declared metric of the selection's last month for the regions one level below its
    region (none below a county), long, from mart_kpi_periods."""
    below = BELOW[selection.region_level]
    if below.level is None:
        return pd.DataFrame(columns=["region_code", "name_zh", "metric", "value", "value_prev_month",
                                     "value_last_year", "change_yoy", "change_unit"])
    return frame(con, "sub_regions", selection, child_level=below.level, parent_column=below.parent_column)


def tender_modes(con: duckdb.DuckDBPyConnection, selection: Selection) -> pd.DataFrame:
    return frame(con, "tender_modes", selection)


def savings_by_category(con: duckdb.DuckDBPyConnection, selection: Selection) -> pd.DataFrame:
    return frame(con, "savings_by_category", selection, savings_rate=metrics.ratio_column("savings_rate"),
                  premium_rate=metrics.ratio_column("premium_rate"))


def e_bidding_by_category(con: duckdb.DuckDBPyConnection, selection: Selection) -> pd.DataFrame:
    return frame(con, "e_bidding_by_category", selection,
                  e_bidding_rate=metrics.ratio_column("e_bidding_rate"),
                  e_bidding_rate_amount=metrics.ratio_column("e_bidding_rate_amount"))


def days_to_refund_distribution(con: duckdb.DuckDBPyConnection, selection: Selection) -> pd.DataFrame:
    """Deposits settled in the month range, by days from the deal to the last settlement."""
    return frame(con, "days_to_refund_distribution", selection)


def as_at(con: duckdb.DuckDBPyConnection, selection: Selection) -> date:
    """The date the stocks of the selection's last month are as at: its last day, or the build
    date when the build fell within it."""
    return frame(con, "as_at", selection).as_at_date.iloc[0].date()


def outstanding_by_age(con: duckdb.DuckDBPyConnection, selection: Selection) -> pd.DataFrame:
    """Deposits held at the end of the selection's last month, by how long past their due date
    (sediment last)."""
    return frame(con, "outstanding_by_age", selection)


def sediment_totals(con: duckdb.DuckDBPyConnection, selection: Selection) -> tuple[int, Decimal]:
    """How many sediment deposits (沉淀保证金) there are at the end of the selection's last month,
    and how much they hold."""
    totals = frame(con, "sediment_totals", selection).iloc[0]
    return int(totals.n_sediment), totals.amount_sediment


def sediment_deposits(con: duckdb.DuckDBPyConnection, selection: Selection,
                      list_rows: int | None = SEDIMENT_LIST_ROWS, min_days: int = 0,
                      min_amount: Decimal = Decimal(0)) -> pd.DataFrame:
    """The sediment deposits at the end of the selection's last month overdue at least
    ``min_days`` and holding at least ``min_amount`` yuan, overdue longest first: the first to
    clear. The dashboard shows SEDIMENT_LIST_ROWS (a nation has over 100,000), the downloads and
    the monthly report all (``list_rows=None``)."""
    return frame(con, "sediment_deposits", selection, list_rows=list_rows, min_days=int(min_days),
                 min_amount=Decimal(min_amount))


def sediment_ranking(con: duckdb.DuckDBPyConnection, selection: Selection, by: str) -> pd.DataFrame:
    """The RANKED_HOLDERS counties (``by='county'``) or bidders (``'bidder'``) holding most sediment."""
    if by not in ("county", "bidder"):
        raise ValueError(by)
    return frame(con, "sediment_ranking", selection, by=by, list_rows=RANKED_HOLDERS)


def security_detail(con: duckdb.DuckDBPyConnection, security_id: str) -> pd.DataFrame:
    """One security with its section: everything a centre needs to chase the refund."""
    return frame(con, "security_detail", chosen=security_id)


def pay_forms(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The pay forms (cash first) with their names: the seed's code list."""
    return frame(con, "pay_forms")


def guarantee_forms_by_month(con: duckdb.DuckDBPyConnection, selection: Selection) -> pd.DataFrame:
    """Each pay form's amount (a column per code) and all securities' amount, by month."""
    form_sums = ", ".join(f"sum(substitution.amount_{code}) as {code}" for code in pay_forms(con).code)
    return frame(con, "guarantee_forms_by_month", selection, form_sums=form_sums)


def month_loads(con: duckdb.DuckDBPyConnection, selection: Selection) -> pd.DataFrame:
    """The loads of the selection's last month, in the order they were made (retracted ones too)."""
    return frame(con, "report_loads", selection)


def unsent_kinds(con: duckdb.DuckDBPyConnection, selection: Selection) -> frozenset[str]:
    """The kinds of file the warehouse does not hold for the selection's last month
    (mart_months_held): their figures for the month are 未报送, not 0."""
    return frozenset(KINDS) - set(frame(con, "month_kinds", selection).kind)


def risk_flags(con: duckdb.DuckDBPyConnection, selection: Selection) -> pd.DataFrame:
    """The risk flags of the selection (mart_risk_flags), with their indicators' names."""
    return frame(con, "risk_flags", selection)


def risk_changes(con: duckdb.DuckDBPyConnection, selection: Selection) -> pd.DataFrame:
    """Each section or deposit indicator's flags in the selection's last month, with 环比 and 同比."""
    return frame(con, "risk_changes", selection)


def risk_indicators(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The risk flags' indicators (dim_risk_indicator), with the columns each reads."""
    return frame(con, "risk_indicators")


def risk_evidence(con: duckdb.DuckDBPyConnection, selection: Selection) -> pd.DataFrame:
    """The deposits behind the selection's flagged sections (mart_risk_evidence)."""
    return frame(con, "risk_evidence", selection)


def loads(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return frame(con, "loads")


def builds(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return frame(con, "builds")


def validation_warnings(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Rules that flagged rows in current loads, and checks that flagged rows in the last build."""
    return frame(con, "validation_warnings")


def built_by_another_release(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the snapshot was built from other dbt code than this release's (ggzy was upgraded
    since the last build): its tables may lack what the dashboard and the report read."""
    recorded = con.execute("""select count(*) from duckdb_columns() where schema_name = 'meta'
        and table_name = 'build_log' and column_name = 'models_digest'""").fetchone()[0]
    last = con.execute("""select models_digest from meta.build_log where status = 'published'
        order by build_id desc limit 1""").fetchone() if recorded else None
    return last is None or last[0] != models_digest()


STALE = ("数据仓库上次由旧版本的 ggzy 构建，请先运行 ggzy build（会完整重建一次） / the warehouse was "
         "last built by an earlier release of ggzy: run ggzy build first (it rebuilds everything once)")
