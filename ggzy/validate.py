"""Run Great Expectations suites (JSON in ``expectations/``) over query results, in chunks.

``run_suite`` is the one GX runner: the input suites check a file's ``typed`` table before it
lands (every failing row becomes a Finding with its line number; per-expectation totals go to
``meta.validation_results``), and the mart suites check the marts after dbt (``mart_checks``).
"""

import json
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd

from ggzy.findings import Finding

SUITES_DIR = Path(__file__).resolve().parent.parent / "expectations"
EARLIEST_DATE = date(2000, 1, 1)
CHUNK_VECTORS = 100  # × 2048 rows per chunk handed to GX
MAX_FINDINGS_PER_RULE = 100_000


@dataclass
class ExpectationTotal:
    expectation: str
    rule: str
    column: str
    severity: str
    n_unexpected: int = 0


@dataclass
class Validation:
    suite: str
    findings: list[Finding]
    totals: list[ExpectationTotal]  # one per expectation, keyed in the suite by (rule, column)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]


@cache
def _batch_definition():
    """One ephemeral GX context per process (importing GX costs seconds: only when validating)."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    import great_expectations as gx
    logging.getLogger("great_expectations").setLevel(logging.WARNING)
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    asset = context.data_sources.add_pandas("ggzy").add_dataframe_asset("typed")
    return gx, asset.add_batch_definition_whole_dataframe("chunk")


def suite_definition(name: str) -> dict:
    """``expectations/<name>.json`` as stored (its ``meta`` says what a mart suite checks)."""
    with (SUITES_DIR / f"{name}.json").open(encoding="utf-8") as f:
        return json.load(f)


def load_suite(name: str):
    gx, _ = _batch_definition()
    return gx.ExpectationSuite(**suite_definition(name))


def _severity(expectation) -> str:
    return "warning" if expectation.severity.value == "warning" else "error"


def run_suite(cursor: duckdb.DuckDBPyConnection, suite_name: str, index_columns: list[str],
              on_failed: Callable[[pd.DataFrame, ExpectationTotal, dict, list[dict]], None],
              parameters: dict | None = None) -> list[ExpectationTotal]:
    """Validate the cursor's result chunk by chunk; ``on_failed(chunk, total, meta, rows)`` hears
    of each expectation's failing rows (identified by ``index_columns``) in each chunk."""
    gx, batch_definition = _batch_definition()
    suite = load_suite(suite_name)
    totals = {(e.meta["rule"], e.meta["column"]): ExpectationTotal(
        e.expectation_type, e.meta["rule"], e.meta["column"], _severity(e)) for e in suite.expectations}
    result_format = {"result_format": "COMPLETE", "unexpected_index_column_names": index_columns}
    while not (chunk := cursor.fetch_df_chunk(CHUNK_VECTORS)).empty:
        batch = batch_definition.get_batch(batch_parameters={"dataframe": chunk})
        result = batch.validate(suite, expectation_parameters=parameters or {}, result_format=result_format)
        for outcome in result.results:
            meta = outcome.expectation_config.meta
            total = totals[meta["rule"], meta["column"]]
            if (outcome.exception_info or {}).get("raised_exception"):
                raise RuntimeError(f"GX could not evaluate {total.expectation} on {total.column}: "
                                   f"{outcome.exception_info['exception_message']}")
            failed = outcome.result.get("unexpected_index_list") or []
            if failed:
                on_failed(chunk, total, meta, failed)
            total.n_unexpected += len(failed)
    return list(totals.values())


def validate_typed(con: duckdb.DuckDBPyConnection, suite_name: str, spelled: dict[str, str],
                   period_start: date, period_end: date) -> Validation:
    """Validate temp table ``typed``; ``spelled`` maps canonical names to the file's headers."""
    parameters = {"earliest_date": pd.Timestamp(EARLIEST_DATE),
                  "period_start": pd.Timestamp(period_start), "period_end": pd.Timestamp(period_end)}
    findings: list[Finding] = []

    def collect(chunk: pd.DataFrame, total: ExpectationTotal, meta: dict, failed: list[dict]) -> None:
        raw_by_line = chunk.set_index("line_number")
        for row in failed[: max(0, MAX_FINDINGS_PER_RULE - total.n_unexpected)]:
            line = int(row["line_number"])
            value = raw_by_line.at[line, f"{total.column}__raw"]
            findings.append(Finding(line, spelled.get(total.column, total.column),
                                    None if pd.isna(value) else str(value), total.rule,
                                    meta["zh"], meta["en"], total.severity))

    cursor = con.execute("select * from typed order by line_number")
    totals = run_suite(cursor, suite_name, ["line_number"], collect, parameters)
    return Validation(suite_name, findings, totals)
