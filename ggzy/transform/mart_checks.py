"""The mart quality suites (``expectations/mart_*.json``), run by ``ggzy build`` after dbt.

Each suite names the table it checks in its ``meta`` (``table``, and ``key``: the columns that
identify a failing row). That a mart adds up to the facts it comes from is a dbt test beside the
mart (``sums_equal`` in models/marts/_marts__models.yml), run by dbt before the suites.
"""

from dataclasses import dataclass, field

import duckdb

from ggzy.ingest.validate import SUITES_DIR, ExpectationTotal, load_suite, run_suite, suite_definition

MART_SUITES = sorted(path.stem for path in SUITES_DIR.glob("mart_*.json"))
EXAMPLES_PER_CHECK = 5

@dataclass
class MartCheck:
    suite: str
    total: ExpectationTotal
    examples: list[str] = field(default_factory=list)

    def describe(self) -> str:
        t = self.total
        return (f"{self.suite}: {t.rule} ({t.column}) — {t.n_unexpected:,} 行 rows; "
                + "; ".join(self.examples))


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

        query = f"select * from {meta['table']}"
        totals = run_suite(con, query, load_suite(suite_name), meta["key"], collect)
        checks += [MartCheck(suite_name, t, examples.get((t.rule, t.column), [])) for t in totals]
    return checks
