"""The mart quality suites (``expectations/mart_*.json``), run by ``ggzy build`` after dbt.

Each suite names the table it checks in its ``meta`` (``table``, and ``key``: the columns that
identify a failing row). The reconciliation suite checks a small table built here: one row per
figure, summed over a mart and over the facts it comes from, which must agree to the fen.
"""

from dataclasses import dataclass, field

import duckdb

from ggzy.validate import SUITES_DIR, ExpectationTotal, load_suite, run_suite, suite_definition

MART_SUITES = sorted(path.stem for path in SUITES_DIR.glob("mart_*.json"))
EXAMPLES_PER_CHECK = 5

_DEPOSITS = "from marts.fct_securities where is_bid_deposit and region_code is not null"
_CONCLUDED = "from marts.fct_deals where deal_status = 'concluded'"
_ALL_LEVEL = "from marts.mart_kpi_monthly where region_level = 'all'"
RECONCILIATION = (  # (figure, total over a mart, total over the facts)
    ("sections", "select sum(n_sections) from marts.mart_trading_volume",
     "select count(*) from marts.fct_deals"),
    ("deal_amount", "select sum(deal_amount) from marts.mart_trading_volume",
     f"select sum(deal_amount) {_CONCLUDED}"),
    ("savings_amount", "select sum(savings_amount) from marts.mart_savings",
     "select sum(savings_amount) from marts.fct_deals"),
    ("premium_amount", "select sum(premium_amount) from marts.mart_savings",
     "select sum(premium_amount) from marts.fct_deals"),
    ("n_electronic", "select sum(n_electronic) from marts.mart_e_bidding",
     f"select count(*) {_CONCLUDED} and is_electronic"),
    ("amount_received", "select sum(amount_received) from marts.mart_deposit_refunds",
     f"select sum(amount) {_DEPOSITS}"),
    ("amount_refunded", "select sum(amount_refunded) from marts.mart_deposit_refunds",
     f"select sum(refunded_amount) {_DEPOSITS}"),
    ("amount_outstanding_now",
     "select sum(amount_outstanding) from marts.mart_deposit_refunds"
     " where month = date_trunc('month', current_date)",
     f"select sum(outstanding_amount) {_DEPOSITS}"),
    ("amount_guarantee", "select sum(amount_guarantee) from marts.mart_guarantee_substitution",
     "select sum(amount) from marts.fct_securities where is_guarantee and region_code is not null"),
    ("kpi_deal_amount", f"select sum(deal_amount) {_ALL_LEVEL}", f"select sum(deal_amount) {_CONCLUDED}"),
    ("kpi_category_deal_amount", "select sum(deal_amount) from marts.mart_kpi_category_monthly",
     f"select sum(deal_amount) {_CONCLUDED}"),
    ("kpi_amount_guarantee", f"select sum(amount_guarantee) {_ALL_LEVEL}",
     "select sum(amount_guarantee) from marts.mart_guarantee_substitution"),
    ("kpi_county_sections",
     "select sum(n_sections) from marts.mart_kpi_monthly where region_level = 'county'",
     f"select sum(n_sections) {_ALL_LEVEL}"),
)


@dataclass
class MartCheck:
    suite: str
    total: ExpectationTotal
    examples: list[str] = field(default_factory=list)

    def describe(self) -> str:
        t = self.total
        return (f"{self.suite}: {t.rule} ({t.column}) — {t.n_unexpected:,} 行 rows; "
                + "; ".join(self.examples))


def _reconciliation_sql() -> str:
    def total(query: str) -> str:
        return f"coalesce(({query}), 0)::decimal(38, 2)::varchar"

    return " union all ".join(
        f"select '{name}' as check_name, {total(mart)} as mart_total, {total(facts)} as fact_total"
        for name, mart, facts in RECONCILIATION)


def _describe_row(row: dict, value) -> str:
    key = ", ".join(f"{k}={v}" for k, v in row.items())
    return f"[{key}] {value}"


def check_marts(con: duckdb.DuckDBPyConnection) -> list[MartCheck]:
    """Run every mart suite on the built marts (in ``con``'s default catalog)."""
    checks: list[MartCheck] = []
    for suite_name in MART_SUITES:
        meta = suite_definition(suite_name)["meta"]
        examples: dict[tuple[str, str], list[str]] = {}

        def collect(total: ExpectationTotal, expectation_meta: dict, failed: list[dict],
                    examples=examples, key=meta["key"]) -> None:
            examples[total.rule, total.column] = [
                _describe_row({k: row[k] for k in key}, row.get(total.column))
                for row in failed[:EXAMPLES_PER_CHECK]]

        query = (_reconciliation_sql() if meta["table"] == "reconciliation"
                 else f"select * from {meta['table']}")
        totals = run_suite(con, query, load_suite(suite_name), meta["key"], collect)
        checks += [MartCheck(suite_name, t, examples.get((t.rule, t.column), [])) for t in totals]
    return checks
