"""The GX runner on DuckDB (ggzy/ingest/validate.py), including the workaround it depends on."""

import duckdb
import pytest
from great_expectations.execution_engine import sqlalchemy_execution_engine

from ggzy.ingest import validate

ROWS = """
    create table checked as select * from (values
        (2, 1, 5, 'ab'), (3, null, 5, 'cd'), (4, 2, -1, 'x1'), (5, null, -3, 'ef')
    ) as rows(line_number, v, w, s)
"""


def _suite(*expectations):
    gx, _ = validate._context()
    return gx.ExpectationSuite(name="test", expectations=list(expectations))


def _meta(rule: str, column: str) -> dict:
    return {"rule": rule, "column": column}


def _run(suite) -> tuple[dict[str, int], dict[str, list[int]]]:
    failed: dict[str, list[int]] = {}
    with duckdb.connect() as con:
        con.execute(ROWS)
        totals = validate.run_suite(
            con, "select * from checked", suite, ["line_number"],
            lambda total, meta, rows: failed.update({total.rule: sorted(r["line_number"] for r in rows)}))
    return {t.rule: t.n_unexpected for t in totals}, failed


def test_suites_count_and_locate_failing_rows_inside_duckdb():
    gx, _ = validate._context()
    counts, failed = _run(_suite(
        gx.expectations.ExpectColumnValuesToNotBeNull(column="v", meta=_meta("v_required", "v")),
        gx.expectations.ExpectColumnValuesToBeBetween(column="w", min_value=0, meta=_meta("w_positive", "w")),
        gx.expectations.UnexpectedRowsExpectation(
            unexpected_rows_query=(
                "select line_number, s from {batch} where not regexp_full_match(s, '[a-z]+')"),
            meta=_meta("s_letters", "s")),
    ))
    assert counts == {"v_required": 2, "w_positive": 2, "s_letters": 1}
    assert failed == {"v_required": [3, 5], "w_positive": [4, 5], "s_letters": [4]}


def test_an_expectation_gx_cannot_evaluate_is_an_error_not_a_pass():
    gx, _ = validate._context()
    suite = _suite(gx.expectations.ExpectColumnValuesToMatchRegex(
        column="s", regex="^[a-z]+$", meta=_meta("s_letters", "s")))
    with pytest.raises(RuntimeError, match="Regex is not supported for dialect duckdb"):
        _run(suite)


def test_gx_still_needs_its_duckdb_connection_kept_open(monkeypatch):
    """If this fails, a GX upgrade changed how it holds DuckDB connections: re-check
    validate.keep_duckdb_connection_open, and drop it if GX now reads DuckDB results itself."""
    gx, _ = validate._context()
    kept = sqlalchemy_execution_engine._PERSISTED_CONNECTION_DIALECTS
    assert "duckdb" in kept
    monkeypatch.setattr(sqlalchemy_execution_engine, "_PERSISTED_CONNECTION_DIALECTS",
                        tuple(d for d in kept if d != "duckdb"))
    suite = _suite(gx.expectations.ExpectColumnValuesToNotBeNull(column="v", meta=_meta("v_required", "v")))
    with pytest.raises(RuntimeError, match="list index out of range"):
        _run(suite)
