"""Run Great Expectations suites (JSON in ``expectations/``) inside DuckDB, through GX's SQL engine.

``run_suite`` is the one GX runner: the input suites check a file's ``typed`` table before it
lands (every failing row becomes a Finding with its line number; per-expectation totals go to
``meta.validation_results``), and the mart suites check the marts after dbt (``mart_checks``).
GX compiles each expectation to SQL and DuckDB evaluates it where the data is: no row is copied
into pandas (on a 1.6-million-row file: 1.3 s, against 37 s for GX's pandas engine in chunks).
"""

import itertools
import json
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from functools import cache

import duckdb

from ggzy.common.findings import Finding
from ggzy.common.paths import ROOT
from ggzy.common.warehouse import cursor_like

SUITES_DIR = ROOT / "expectations"
EARLIEST_DATE = date(2000, 1, 1)
MAX_FINDINGS_PER_RULE = 100_000
_source_ids = itertools.count()


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


class _DuckDBDialect(str):
    """A dialect entry for GX's list of dialects whose SQL connection it must keep open."""

    value = "duckdb"


def keep_duckdb_connection_open(engine_module) -> None:
    """GX 1.24 hands results back after closing its connection, which on DuckDB loses them (every
    expectation fails with ``MetricResolutionError: list index out of range``; GX issues #10738,
    #11579). It keeps one connection open for the dialects in ``_PERSISTED_CONNECTION_DIALECTS``
    (sqlite, …): add duckdb. tests/test_validate.py fails loudly if a GX upgrade changes this."""
    dialects = engine_module._PERSISTED_CONNECTION_DIALECTS
    if "duckdb" not in dialects:
        engine_module._PERSISTED_CONNECTION_DIALECTS = (*dialects, _DuckDBDialect("duckdb"))


@cache
def _context():
    """One ephemeral GX context per process (importing GX costs seconds: only when validating)."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig
    from great_expectations.execution_engine import sqlalchemy_execution_engine

    for name in ("great_expectations", "great_expectations.data_context.types.base"):  # the 2nd: INFO
        logging.getLogger(name).setLevel(logging.ERROR)
    keep_duckdb_connection_open(sqlalchemy_execution_engine)
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    return gx, context


def suite_definition(name: str) -> dict:
    """``expectations/<name>.json`` as stored (its ``meta`` says what a mart suite checks)."""
    with (SUITES_DIR / f"{name}.json").open(encoding="utf-8") as f:
        return json.load(f)


@cache
def rule_words() -> dict[str, tuple[str, str]]:
    """Every rule of the suites (expectations/*.json) with its words in Chinese and English, as
    the suites' meta states them: what the data-quality page shows for a rule's name."""
    words: dict[str, tuple[str, str]] = {}
    for path in sorted(SUITES_DIR.glob("*.json")):
        for expectation in json.loads(path.read_text(encoding="utf-8"))["expectations"]:
            meta = expectation.get("meta", {})
            if "rule" in meta and "zh" in meta:
                words.setdefault(meta["rule"], (meta["zh"], meta["en"]))
    return words


@cache
def subject_words() -> dict[str, tuple[str, str]]:
    """What each suite checks, in Chinese and English (its meta): a kind of file for the input
    suites (keyed by the kind: deals, securities, refunds), a mart for the others (by suite)."""
    return {path.stem.removeprefix("input_"): (meta["zh"], meta["en"])
            for path in sorted(SUITES_DIR.glob("*.json"))
            for meta in [json.loads(path.read_text(encoding="utf-8"))["meta"]]}


def load_suite(name: str):
    gx, _ = _context()
    return gx.ExpectationSuite(**suite_definition(name))


def _severity(expectation) -> str:
    return "warning" if expectation.severity.value == "warning" else "error"


def _exception(info: dict | None) -> str | None:
    """GX reports an expectation it could not evaluate in ``exception_info``, either flat or by
    metric; its ``success`` is then just False, as if rows had failed."""
    reports = [info or {}, *((info or {}).values())]
    raised = [r.get("exception_message") for r in reports
              if isinstance(r, dict) and r.get("raised_exception")]
    return raised[0] if raised else None


def _total_of(outcome, totals: dict[tuple[str, str], ExpectationTotal]) -> ExpectationTotal:
    """The total an expectation's outcome counts into; one GX could not evaluate is an error."""
    meta = outcome.expectation_config.meta
    total = totals[meta["rule"], meta["column"]]
    if message := _exception(outcome.exception_info):
        raise RuntimeError(f"GX could not evaluate {total.expectation} on {total.column}: {message}")
    return total


def _failing_rows(result: dict) -> tuple[int, list[dict]]:
    """(how many rows fail, up to MAX_FINDINGS_PER_RULE of them with their index columns): a
    column expectation gives ``unexpected_*``, an ``unexpected_rows_expectation`` its query's rows."""
    if "unexpected_count" in result or "element_count" in result:  # None when no row is checked
        return result.get("unexpected_count") or 0, result.get("unexpected_index_list") or []
    rows = result.get("details", {}).get("unexpected_rows", [])
    return result.get("observed_value", 0), [dict(r._mapping) if hasattr(r, "_mapping") else r for r in rows]


def _close(source) -> None:
    """Return the connection GX kept open (keep_duckdb_connection_open) and dispose of its engine,
    before the DuckDB cursor under them closes."""
    engine = source.get_execution_engine()
    if engine._connection is not None:
        engine._connection.close()
    engine.close()


def run_suite(con: duckdb.DuckDBPyConnection, relation: str, suite, index_columns: list[str],
              on_failed: Callable[[ExpectationTotal, dict, list[dict]], None],
              parameters: dict | None = None) -> list[ExpectationTotal]:
    """Validate ``relation`` (a query, run where ``con`` is) with ``suite`` (see ``load_suite``);
    ``on_failed(total, meta, rows)`` hears of each expectation's failing rows (``index_columns``
    and the checked columns). Each expectation's ``meta`` names its ``rule`` and ``column``."""
    from duckdb_engine import ConnectionWrapper

    _, context = _context()
    totals = {(e.meta["rule"], e.meta["column"]): ExpectationTotal(
        e.expectation_type, e.meta["rule"], e.meta["column"], _severity(e)) for e in suite.expectations}
    cursors = [cursor_like(con)]  # emptied afterwards: GX's engine outlives the run
    source = context.data_sources.add_sql(
        f"ggzy_{next(_source_ids)}", connection_string="duckdb:///:memory:",
        kwargs={"creator": lambda: ConnectionWrapper(cursors[0]), "query_cache_size": 0})
    try:
        asset = source.add_query_asset("rows", query=relation)
        batch = asset.add_batch_definition_whole_table("all").get_batch()
        # first whether each expectation holds (GX bundles those into a few queries), then the
        # failing rows of the ones that do not: most rules hold, and listing rows costs queries
        checked = batch.validate(suite, expectation_parameters=parameters or {},
                                 result_format={"result_format": "BOOLEAN_ONLY"})
        failed = {(t.rule, t.column) for o in checked.results
                  for t in [_total_of(o, totals)] if not o.success}
        results = []
        if failed:
            failing = type(suite)(name=suite.name, expectations=[
                e for e in suite.expectations if (e.meta["rule"], e.meta["column"]) in failed])
            results = batch.validate(failing, expectation_parameters=parameters or {}, result_format={
                "result_format": "COMPLETE", "unexpected_index_column_names": index_columns,
                "partial_unexpected_count": MAX_FINDINGS_PER_RULE}).results
    finally:
        _close(source)
        context.data_sources.delete(source.name)
        cursors.pop().close()
    for outcome in results:
        total = _total_of(outcome, totals)
        total.n_unexpected, rows = _failing_rows(outcome.result)
        if total.n_unexpected:
            on_failed(total, outcome.expectation_config.meta, rows)
    return list(totals.values())


@dataclass
class Typed:
    """A file's ``typed`` table, in ``schema``, and the period its dates are checked against."""

    schema: str
    spelled: dict[str, str]  # canonical column names → the file's headers
    period_start: date
    period_end: date


def validate_typed(con: duckdb.DuckDBPyConnection, suite_name: str, files: list[Typed],
                   exempt: frozenset[tuple[str, str]] = frozenset()) -> list[Validation]:
    """Validate the files' ``typed`` tables (all of one kind) in one GX run — one batch of their
    rows, each with its ``file_index`` and its file's period as columns — and give each file its
    own Validation, in order. ``exempt``: (rule, column) of the suite not run (rules a source
    format cannot meet, e.g. OCDS has no region: ggzy/ingest/ocds_stage.py). When a rule fails
    on more rows than are listed (MAX_FINDINGS_PER_RULE), the rows cannot be told apart by file:
    each file is then run alone."""
    relation = " union all by name ".join(
        f"select {i} as file_index, date '{f.period_start.isoformat()}' as period_start, "
        f"date '{f.period_end.isoformat()}' as period_end, * from {f.schema}.typed"
        for i, f in enumerate(files))
    failing: list[tuple[ExpectationTotal, dict, list[dict]]] = []
    overflow = []

    def collect(total: ExpectationTotal, meta: dict, rows: list[dict]) -> None:
        failing.append((total, meta, rows))
        if total.n_unexpected > len(rows):
            overflow.append(total)

    # as ISO text: GX cannot write a date as an SQL literal, DuckDB casts the text
    suite = load_suite(suite_name)
    suite.expectations = [e for e in suite.expectations if (e.meta["rule"], e.meta["column"]) not in exempt]
    totals = run_suite(con, relation, suite, ["file_index", "line_number"], collect,
                       {"earliest_date": EARLIEST_DATE.isoformat()})
    if overflow and len(files) > 1:
        return [v for f in files for v in validate_typed(con, suite_name, [f], exempt)]
    return [Validation(suite_name, *_file_findings(con, f, i, totals, failing)) for i, f in enumerate(files)]


def _file_findings(con: duckdb.DuckDBPyConnection, typed: Typed, file_index: int,
                   totals: list[ExpectationTotal],
                   failing: list[tuple[ExpectationTotal, dict, list[dict]]]) -> tuple[list, list]:
    """One file's part of a run: a finding per failing line (an expectation whose ``meta`` names a
    ``detail`` column, e.g. what the row replaces, adds that column's text to its message), and
    its totals."""
    own = {(t.rule, t.column): replace(t, n_unexpected=0) for t in totals}
    findings: list[Finding] = []
    for total, meta, rows in failing:
        lines = [int(row["line_number"]) for row in rows if row["file_index"] == file_index]
        # all failing rows are listed, or the file ran alone and the count is the run's
        own[total.rule, total.column].n_unexpected = len(lines) if len(rows) >= total.n_unexpected \
            else total.n_unexpected
        lines = lines[:MAX_FINDINGS_PER_RULE]
        if not lines:  # the rule failed only in the batch's other files
            continue
        detail = meta.get("detail") or "null"
        cells = {line: (value, text) for line, value, text in con.execute(f"""
            select line_number, {total.column}__raw, {detail} from {typed.schema}.typed
            where line_number in (select unnest(?::bigint[]))""", [lines]).fetchall()}
        for line in lines:
            value, text = cells[line]
            zh, en = (f"{meta['zh']}：{text}", f"{meta['en']}: {text}") if text else (meta["zh"], meta["en"])
            findings.append(Finding(line, typed.spelled.get(total.column, total.column), value, total.rule,
                                    zh, en, total.severity))
    return findings, list(own.values())
