"""``ggzy build``: dbt build (models + dbt tests), the mart suites, then publish the snapshot.

The loader and dbt write the build database; readers only ever open the snapshot, a separate
file replaced atomically (written beside it, then renamed over it), so a reader never blocks a
build and never sees a half-built state. A failed build records why in ``meta.build_log`` and
leaves the previous snapshot serving.
"""

import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import duckdb

from ggzy.common.contract import BY_NAME
from ggzy.common.dbt_macros import PROJECT_DIR, models_digest
from ggzy.common.errors import UsageError
from ggzy.common.lock import writer_lock
from ggzy.common.stopwatch import Stopwatch
from ggzy.common.warehouse import attach, connect, create_schemas, database_path, memory_limit, snapshot_path
from ggzy.transform.mart_checks import MartCheck, check_marts

PUBLISHED_SCHEMAS = ("marts", "meta")


@dataclass
class BuildOutcome:
    build_id: int
    published: bool
    dbt_summary: str
    problems: list[str] = field(default_factory=list)  # why the build failed
    warnings: list[str] = field(default_factory=list)  # dbt warnings and warning-level checks
    snapshot: Path | None = None
    seconds: dict[str, float] = field(default_factory=dict)  # dbt / suites / publish
    peak_raised_mb: dict[str, float] = field(default_factory=dict)  # by stage: how much it raised peak memory
    full_refresh: bool = True  # False: incremental, from the loads since the last published build


RESULT_EVENTS = ("LogModelResult", "LogTestResult", "LogSeedResult")  # a node done: "57 of 105"


def run_dbt(home_dir: Path, arguments: list[str], built_through: int = 0,
            on_node: Callable[[int, int], None] | None = None):
    """Run a dbt command in-process on this project and the warehouse in ``home_dir``;
    incremental models take the loads after ``built_through`` (macros/built_through.sql).
    ``on_node(done, total)`` is called as each model, seed and test finishes. dbt's whole log is
    in ``<home>/dbt/logs/dbt.log``."""
    from dbt.cli.main import dbtRunner  # costs a second: only when building

    os.environ["GGZY_HOME"] = str(home_dir.resolve())
    os.environ["GGZY_PROJECT_DIR"] = str(PROJECT_DIR)
    os.environ["GGZY_BUILT_THROUGH"] = str(built_through)
    os.environ["GGZY_MEMORY"] = memory_limit()
    try:
        def node_done(event) -> None:
            if on_node and event.info.name in RESULT_EVENTS:  # a test says num_models for total
                on_node(event.data.index, getattr(event.data, "total", 0) or event.data.num_models)

        return dbtRunner(callbacks=[node_done]).invoke([
            *arguments, "--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR),
            "--target-path", str(home_dir.resolve() / "dbt" / "target"),
            "--log-path", str(home_dir.resolve() / "dbt" / "logs"), "--no-use-colors",
        ])
    finally:
        _release_dbt_connection()


@dataclass(frozen=True)
class BuildPlan:
    """What this build takes: the loads after ``built_through``, or everything again."""

    loads_through: int  # the newest load this build includes
    built_through: int  # the newest load the last published build included
    full_refresh: bool

    def dbt_arguments(self, verbose: bool) -> list[str]:
        """dbt's unit tests check the models' code, not the data: ``make test`` runs them
        (tests/test_build.py), a build does not. dbt prints its log only when ``verbose``."""
        return ["build", "--exclude-resource-type", "unit_test",
                *(["--full-refresh"] if self.full_refresh else []), *([] if verbose else ["--quiet"])]


def plan_build(con: duckdb.DuckDBPyConnection, full_refresh: bool) -> BuildPlan:
    """Incremental after a published build; everything again when asked, on the first build,
    when a load was retracted or a ``--replace`` withdrew rows since (those rows must leave
    tables that only ever take new keys), or when the dbt project's code changed since."""
    loads_through = con.execute("select coalesce(max(load_id), 0) from meta.load_log").fetchone()[0]
    last = con.execute("""
        select loads_through, started_at, models_digest from meta.build_log
        where status = 'published' and loads_through is not null
        order by build_id desc limit 1""").fetchone()
    if last is None:
        return BuildPlan(loads_through, 0, True)
    built_through, started_at, digest = last
    withdrawn = con.execute("""select count(*) from meta.load_log
        where retracted_at >= ? or (load_id > ? and n_withdrawn > 0)""",
                            [started_at, built_through]).fetchone()[0]
    return BuildPlan(loads_through, built_through,
                     full_refresh or withdrawn > 0 or digest != models_digest())


def _in_words(node) -> str:
    """What a failing dbt test means, where its YAML says it (config meta zh, en)."""
    meta = node.config.meta or {}
    return f" — {meta['zh']} / {meta['en']}" if "zh" in meta else ""


def _dbt_build(home_dir: Path, plan: BuildPlan, progress: Callable[[str], None],
               on_node: Callable[[int, int], None] | None,
               verbose: bool) -> tuple[str, list[str], list[str], set[tuple[str, str]] | None]:
    """``dbt build``; returns (summary, problems, warnings, the relations (schema, name) of the
    models and seeds when every one was built — only dbt tests failed, if anything did, so the
    mart suites can still say more — else None)."""
    scope = ("全部入库 every load" if plan.full_refresh
             else f"第 {plan.built_through} 次入库之后 the loads after #{plan.built_through}")
    progress(f"构建模型并检查 building and testing the models (dbt, {scope}) …")
    result = run_dbt(home_dir, plan.dbt_arguments(verbose), 0 if plan.full_refresh else plan.built_through,
                     on_node)
    if result.exception is not None or result.result is None:
        return "dbt did not run", [f"dbt: {result.exception}"], [], None
    statuses = Counter(str(r.status) for r in result.result.results)
    summary = " ".join(f"{status.upper()}={n}" for status, n in sorted(statuses.items()))
    failed = [r for r in result.result.results if str(r.status) in ("error", "fail")]
    problems = [f"{r.node.name}: {r.message}{_in_words(r.node)}" for r in failed]
    built = [r for r in result.result.results if r.node.resource_type != "test"]
    models = ({(r.node.schema, r.node.alias) for r in built}
              if not any(str(r.status) in ("error", "skipped") for r in built) else None)
    warnings = [f"{r.node.name}: {r.message}" for r in result.result.results if str(r.status) == "warn"]
    if not result.success and not problems:
        problems.append("dbt build failed (see the dbt log above)")
    return summary, problems, warnings, models


def _what_to_do(con: duckdb.DuckDBPyConnection, plan: BuildPlan) -> str:
    """After a mart suite failed: the loads this build took that the last published one did not
    (the data behind the failure is among them), and what to do about them."""
    loads = con.execute("""select load_id, file_name from meta.load_log
        where load_id > ? and not retracted order by load_id""",
                        [0 if plan.full_refresh else plan.built_through]).fetchall()
    named = ", ".join(f"#{i} {name}" for i, name in loads[-20:])
    return ("这些行来自上次发布之后的入库 the rows above come from the loads since the last published "
            f"build: {named}; 用 ggzy unload N 撤回出错的一次，或更正其文件后 ggzy load --replace 重新报送 / "
            "retract the faulty one with ggzy unload N, or correct its file and load it with --replace. "
            "入库检查本应拦下这类数据，请报告此问题 / the load checks should have stopped this: "
            "please report it")


def _release_dbt_connection() -> None:
    """dbt-duckdb keeps its DuckDB instance open in the process after a run (a class attribute
    of its connection manager); close it so this process can attach the file again (the
    snapshot copy, later loads in the same process). tests/test_build.py loads after a build."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    with DuckDBConnectionManager._LOCK:
        if DuckDBConnectionManager._ENV is not None:
            DuckDBConnectionManager._ENV.close()
            DuckDBConnectionManager._ENV = None


def _record(con: duckdb.DuckDBPyConnection, build_id: int, started_at: datetime, outcome: BuildOutcome,
            checks: list[MartCheck], plan: BuildPlan) -> None:
    status = "published" if outcome.published else "failed"
    message = "\n".join(outcome.problems) or None  # one finding a line (ggzy status shows them)
    con.execute("""
        insert into meta.build_log (build_id, started_at, finished_at, status, dbt_summary,
            n_check_warnings, message, loads_through, full_refresh, models_digest)
        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                [build_id, started_at, datetime.now(), status, outcome.dbt_summary,
                 len(outcome.warnings), message, plan.loads_through, plan.full_refresh, models_digest()])
    rows = [[build_id, c.suite, c.total.expectation, c.total.rule, c.total.column, c.total.severity,
             c.total.n_unexpected == 0, c.total.n_unexpected, "; ".join(c.examples) or None]
            for c in checks]
    if rows:  # none when dbt failed before the suites ran
        con.executemany("insert into meta.mart_validation_results values (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)


def _record_current_rows(con: duckdb.DuckDBPyConnection) -> None:
    """How many of each load's rows the marts were built from (the staging models hold exactly the
    current rows), so the snapshot's readers count a load's warnings only while it is current."""
    con.execute("delete from meta.current_rows_by_load")
    con.execute("insert into meta.current_rows_by_load " + " union all ".join(
        f"select load_id, count(*) from staging.stg_{kind} group by load_id" for kind in BY_NAME))


def _copy_comments(con: duckdb.DuckDBPyConnection, source: str, target: str) -> None:
    """dbt wrote every model's and column's description as a DuckDB comment: keep them."""
    schemas = ", ".join(f"'{s}'" for s in PUBLISHED_SCHEMAS)
    for kind, schema, table, comment in con.execute(f"""
            select 'table', schema_name, table_name, comment from duckdb_tables()
            where database_name = '{source}' and schema_name in ({schemas}) and comment is not null
            union all
            select 'view', schema_name, view_name, comment from duckdb_views()
            where database_name = '{source}' and schema_name in ({schemas}) and comment is not null
            """).fetchall():
        con.execute(f"comment on {kind} {target}.{schema}.{table} is $${comment}$$")
    for schema, table, column, comment in con.execute(f"""
            select schema_name, table_name, column_name, comment from duckdb_columns()
            where database_name = '{source}' and schema_name in ({schemas}) and comment is not null
            """).fetchall():
        con.execute(f'comment on column {target}.{schema}.{table}."{column}" is $${comment}$$')


def _drop_retired(con: duckdb.DuckDBPyConnection, models: set[tuple[str, str]]) -> None:
    """Drop the tables and views of the models' schemas that no model or seed makes any more (a
    model an upgrade renamed, moved or retired), so that the snapshot publishes only what this
    release builds."""
    schemas = ", ".join(f"'{schema}'" for schema in {schema for schema, _ in models})
    for schema, name, kind in con.execute(f"""
            select schema_name, table_name, 'table' from duckdb_tables()
            where database_name = 'wh' and schema_name in ({schemas})
            union all
            select schema_name, view_name, 'view' from duckdb_views()
            where database_name = 'wh' and schema_name in ({schemas}) and not internal""").fetchall():
        if (schema, name) not in models:
            con.execute(f"drop {kind} if exists wh.{schema}.{name} cascade")


def _copy_views(con: duckdb.DuckDBPyConnection, source: str, target: str) -> None:
    """The published schemas' views (their queries name schema and table, not the catalog, so they
    read the target's own tables), each after the views it reads."""
    schemas = ", ".join(f"'{s}'" for s in PUBLISHED_SCHEMAS)
    pending = [sql for (sql,) in con.execute(f"""
        select sql from duckdb_views() where database_name = '{source}' and schema_name in ({schemas})
        """).fetchall()]
    [(catalog,)] = con.execute("select current_database()").fetchall()
    con.execute(f"use {target}")
    try:
        while pending:
            waiting = []
            for sql in pending:
                try:
                    con.execute(sql)
                except duckdb.CatalogException:  # a view it reads is not there yet
                    waiting.append(sql)
            if len(waiting) == len(pending):
                con.execute(waiting[0])  # raises what is missing
            pending = waiting
    finally:
        con.execute(f'use "{catalog}"')


def publish(con: duckdb.DuckDBPyConnection, home_dir: Path) -> Path:
    """Copy the published schemas of catalog ``wh`` into a new file, then rename it over the snapshot."""
    snapshot = snapshot_path(home_dir)
    for stale in snapshot.parent.glob(f".{snapshot.name}.*.new"):  # left by a build that was killed
        stale.unlink()
    fresh = snapshot.with_name(f".{snapshot.name}.{os.getpid()}.new")
    try:
        con.execute(f"attach '{fresh}' as fresh")
        for schema in PUBLISHED_SCHEMAS:
            con.execute(f"create schema fresh.{schema}")
            for (table,) in con.execute(
                    "select table_name from duckdb_tables() where database_name = 'wh' "
                    "and schema_name = ? order by table_name", [schema]).fetchall():
                con.execute(f"create table fresh.{schema}.{table} as from wh.{schema}.{table}")
        _copy_views(con, "wh", "fresh")
        _copy_comments(con, "wh", "fresh")
        con.execute("detach fresh")
        os.replace(fresh, snapshot)
    finally:
        fresh.unlink(missing_ok=True)
    return snapshot


def build(home_dir: Path, progress: Callable[[str], None] = lambda _: None,
          full_refresh: bool = False, wait: float = 0, on_node: Callable[[int, int], None] | None = None,
          verbose: bool = False) -> BuildOutcome:
    """Build the marts from the loads since the last published build (``full_refresh``: from all
    loads), check them, and publish the snapshot if everything passes. Holds the writer lock
    throughout: a load cannot slip in between the plan and dbt. ``on_node(done, total)``: dbt's
    progress over its models and tests; ``verbose``: dbt prints its log as it goes."""
    db_path = database_path(home_dir)
    if not db_path.exists():
        raise UsageError(f"还没有数据仓库 no warehouse at {db_path}: 先运行 run ggzy load")
    _check_as_of_date(os.environ.get("GGZY_AS_OF_DATE", ""))
    with writer_lock(home_dir, "ggzy build", wait, progress):
        return _build(home_dir, db_path, progress, full_refresh, on_node, verbose)


def _check_as_of_date(value: str) -> None:
    """``GGZY_AS_OF_DATE`` (dbt var as_of_date): judge stocks and due dates at that day instead of
    the build date, to repeat a build exactly (the tests pin it so a pair of builds cannot straddle
    midnight)."""
    if not value:
        return
    try:
        date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"GGZY_AS_OF_DATE={value!r} 不是日期 is not a date (YYYY-MM-DD)") from None


def _build(home_dir: Path, db_path: Path, progress: Callable[[str], None], full_refresh: bool,
           on_node: Callable[[int, int], None] | None, verbose: bool) -> BuildOutcome:
    with connect() as con:  # fails early, exit 3, when another process holds the file
        attach(con, db_path)
        con.execute("use wh")
        create_schemas(con)
        plan = plan_build(con, full_refresh)
    started_at = datetime.now()
    watch = Stopwatch()
    with watch.stage("dbt"):
        summary, problems, warnings, models = _dbt_build(home_dir, plan, progress, on_node, verbose)
    checks: list[MartCheck] = []
    with connect() as con:
        con.execute("set enable_progress_bar = false")
        attach(con, db_path)
        con.execute("use wh")
        if models is not None:
            _drop_retired(con, models)
            progress("数据质量检查 mart quality suites …")
            with watch.stage("suites"):
                checks = check_marts(con)
            failed = [c for c in checks if c.total.n_unexpected]
            problems += [c.describe() for c in failed if c.total.severity == "error"]
            warnings += [c.describe() for c in failed if c.total.severity == "warning"]
            if problems:
                problems.append(_what_to_do(con, plan))
        build_id = con.execute("select nextval('meta.build_id_seq')").fetchone()[0]
        outcome = BuildOutcome(build_id, not problems, summary, problems, warnings, seconds=watch.seconds,
                               peak_raised_mb=watch.peak_raised_mb, full_refresh=plan.full_refresh)
        _record(con, build_id, started_at, outcome, checks, plan)
        if outcome.published:
            progress("发布快照 publishing the snapshot …")
            with watch.stage("publish"):
                _record_current_rows(con)
                outcome.snapshot = publish(con, home_dir)
    return outcome
