"""Run the input suites (Great Expectations, JSON in ``expectations/``) over the ``typed`` table.

The table is validated in chunks through GX's pandas datasource, so memory stays flat however
large the file. Every failing row becomes a Finding with its line number; per-expectation
totals are kept for ``meta.validation_results``.
"""

import json
import os
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
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    asset = context.data_sources.add_pandas("ggzy").add_dataframe_asset("typed")
    return gx, asset.add_batch_definition_whole_dataframe("chunk")


def load_suite(name: str):
    gx, _ = _batch_definition()
    with (SUITES_DIR / f"{name}.json").open(encoding="utf-8") as f:
        return gx.ExpectationSuite(**json.load(f))


def _severity(expectation) -> str:
    return "warning" if expectation.severity.value == "warning" else "error"


def validate_typed(con: duckdb.DuckDBPyConnection, suite_name: str, spelled: dict[str, str],
                   period_start: date, period_end: date) -> Validation:
    """Validate temp table ``typed``; ``spelled`` maps canonical names to the file's headers."""
    gx, batch_definition = _batch_definition()
    suite = load_suite(suite_name)
    totals = {(e.meta["rule"], e.meta["column"]): ExpectationTotal(
        e.expectation_type, e.meta["rule"], e.meta["column"], _severity(e)) for e in suite.expectations}
    parameters = {"earliest_date": pd.Timestamp(EARLIEST_DATE),
                  "period_start": pd.Timestamp(period_start), "period_end": pd.Timestamp(period_end)}
    findings: list[Finding] = []
    cursor = con.execute("select * from typed order by line_number")
    while not (chunk := cursor.fetch_df_chunk(CHUNK_VECTORS)).empty:
        batch = batch_definition.get_batch(batch_parameters={"dataframe": chunk})
        result = batch.validate(suite, expectation_parameters=parameters, result_format={
            "result_format": "COMPLETE", "unexpected_index_column_names": ["line_number"]})
        raw_by_line = chunk.set_index("line_number")
        for outcome in result.results:
            meta = outcome.expectation_config.meta
            total = totals[meta["rule"], meta["column"]]
            if (outcome.exception_info or {}).get("raised_exception"):
                raise RuntimeError(f"GX could not evaluate {total.expectation} on {total.column}: "
                                   f"{outcome.exception_info['exception_message']}")
            failed = outcome.result.get("unexpected_index_list") or []
            for row in failed[: max(0, MAX_FINDINGS_PER_RULE - total.n_unexpected)]:
                line = int(row["line_number"])
                value = raw_by_line.at[line, f"{total.column}__raw"]
                findings.append(Finding(line, spelled.get(total.column, total.column),
                                        None if pd.isna(value) else str(value), total.rule,
                                        meta["zh"], meta["en"], total.severity))
            total.n_unexpected += len(failed)
    return Validation(suite_name, findings, list(totals.values()))
