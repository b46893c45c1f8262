"""``ggzy load``: validate each file and land it whole, or reject it whole with an error report.

A file is staged and validated in an in-memory DuckDB; the warehouse is written only when the
file passes, in one transaction (rows, load_log, validation_results). A rejected file leaves the
warehouse file untouched.
"""

import calendar
import hashlib
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb

from ggzy.codes import create_reference_tables
from ggzy.contract import BY_NAME, KINDS, Kind
from ggzy.errors import DataRejected, UsageError
from ggzy.findings import REPORT_SUFFIX, Finding, whole_file_problem, write_report
from ggzy.normalise import create_typed
from ggzy.read import layout_of, open_source, peek_header, read_into_src, recognise_kind
from ggzy.stopwatch import Stopwatch
from ggzy.validate import validate_typed
from ggzy.warehouse import attach, create_schemas, database_path, latest_sql

Progress = Callable[[str], None]
PERIOD_IN_NAME = re.compile(r"(?<!\d)(20\d{2})[-_年]?(0[1-9]|1[0-2])(?!\d)")


@dataclass
class LoadOutcome:
    path: Path
    kind: str
    status: str  # landed | unchanged | rejected | checked (dry run)
    message: str
    period: date | None = None
    load_id: int | None = None
    n_rows: int = 0
    n_replaced: int = 0
    findings: list[Finding] = field(default_factory=list)
    report: Path | None = None
    seconds: dict[str, float] = field(default_factory=dict)  # read / validate / land


def parse_period(text: str) -> date:
    match = re.fullmatch(r"(\d{4})-?(\d{2})", text.strip())
    if not match or not 1 <= int(match[2]) <= 12:
        raise UsageError(f"报送期格式应为 YYYY-MM / --period must look like YYYY-MM, got {text!r}")
    return date(int(match[1]), int(match[2]), 1)


def _latest_allowed_date(period: date) -> date:
    """The end of the period, or today if that is earlier: nothing reported has happened yet
    after today (a file of far-future rows would otherwise make its own period)."""
    return min(period.replace(day=calendar.monthrange(period.year, period.month)[1]), date.today())


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _period(con: duckdb.DuckDBPyConnection, kind: Kind, path: Path, given: date | None) -> date:
    """``--period``, else YYYY-MM / YYYYMM in the file name, else the month of most rows."""
    if given:
        return given
    if match := PERIOD_IN_NAME.search(path.name):
        return date(int(match[1]), int(match[2]), 1)
    row = con.execute(f"""
        select date_trunc('month', {kind.date_column})::date from typed
        where {kind.date_column} is not null
        group by 1 order by count(*) desc, 1 desc limit 1
    """).fetchone()
    return row[0] if row else date.today().replace(day=1)


def _open_staging(db_path: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the warehouse attached as ``wh`` (an empty stand-in if none yet)."""
    con = duckdb.connect()
    if db_path.exists():
        attach(con, db_path, read_only=read_only)
    else:
        con.execute("attach ':memory:' as wh")
        con.execute("use wh")
        create_schemas(con)
        con.execute("use memory")
    create_reference_tables(con)
    return con


def _land(con: duckdb.DuckDBPyConnection, db_path: Path, kind: Kind, outcome: LoadOutcome,
          sha256: str, validation_totals: list, suite: str) -> None:
    """Write the file's rows, its load_log row and its validation results in one transaction."""
    if not db_path.exists():
        con.execute("detach wh")
        db_path.parent.mkdir(parents=True, exist_ok=True)
        attach(con, db_path)
        con.execute("use wh")
        create_schemas(con)
        con.execute("use memory")
    key_match = " and ".join(f"l.{k} = t.{k}" for k in kind.key)
    in_file = f"select {', '.join(kind.key)} from typed"
    outcome.n_replaced = con.execute(f"""
        select count(*) from typed as t where exists (
            select 1 from ({latest_sql(kind, 'wh', in_file)}) as l where {key_match})
    """).fetchone()[0]
    columns = ", ".join(c.name for c in kind.columns)
    n_warnings = sum(1 for f in outcome.findings if f.severity == "warning")
    outcome.message = (f"已入库 landed, {outcome.n_rows:,} 行 rows "
                       f"({outcome.n_replaced:,} 行替换了旧版本 replaced earlier versions)")
    con.execute("begin transaction")
    try:
        load_id = con.execute("select nextval('wh.meta.load_id_seq')").fetchone()[0]
        con.execute(f"""
            insert into wh.raw.{kind.name} (load_id, source_file, line_number, {columns})
            select ?, ?, line_number, {columns} from typed order by line_number
        """, [load_id, outcome.path.name])
        con.execute("""
            insert into wh.meta.load_log (load_id, file_name, sha256, kind, period, n_rows,
                n_replaced, n_warnings, status, message, loaded_at)
            values (?, ?, ?, ?, ?, ?, ?, ?, 'landed', ?, current_localtimestamp())
        """, [load_id, outcome.path.name, sha256, kind.name, outcome.period, outcome.n_rows,
              outcome.n_replaced, n_warnings, outcome.message])
        con.executemany("insert into wh.meta.validation_results values (?, ?, ?, ?, ?, ?, ?, ?)", [
            [load_id, suite, t.expectation, t.rule, t.column, t.severity, t.n_unexpected == 0,
             t.n_unexpected] for t in validation_totals])
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    outcome.load_id = load_id


def _load(path: Path, home_dir: Path, kind_name: str | None, period: date | None, dry_run: bool,
          progress: Progress) -> LoadOutcome:
    db_path = database_path(home_dir)
    with tempfile.TemporaryDirectory(prefix="ggzy-load-") as workdir:
        source = open_source(path, Path(workdir))
        kind = BY_NAME[kind_name] if kind_name else recognise_kind(source.header)
        layout = layout_of(source, kind)
        outcome = LoadOutcome(path, kind.name, "checked", "")
        watch = Stopwatch()
        outcome.seconds = watch.seconds
        sha256 = _sha256(path)
        with _open_staging(db_path, read_only=dry_run) as con:
            earlier = con.execute(
                "select load_id from wh.meta.load_log where sha256 = ? and not retracted",
                [sha256]).fetchone()
            if earlier:
                outcome.status, outcome.load_id = "unchanged", earlier[0]
                outcome.message = (f"与第 {earlier[0]} 次入库的文件完全相同，未做任何改动 / "
                                   f"identical to load {earlier[0]}: nothing to do")
                return outcome
            progress(f"读取 reading {path.name} ({source.encoding}) …")
            with watch.stage("read"):
                outcome.n_rows = read_into_src(con, source, layout)
                if outcome.n_rows == 0:
                    raise whole_file_problem("no_rows", "只有表头，没有数据行",
                                             "the file has a header but no rows")
                create_typed(con, kind, "wh")
                outcome.period = _period(con, kind, path, period)
            progress(f"校验 validating {outcome.n_rows:,} 行 rows …")
            with watch.stage("validate"):
                validation = validate_typed(con, f"input_{kind.name}", layout.spelled,
                                            outcome.period, _latest_allowed_date(outcome.period))
            outcome.findings = [
                Finding(1, name, None, "unknown_column", "未知列，已忽略",
                        "unknown column, ignored", "warning") for name in layout.unknown
            ] + validation.findings
            if validation.errors:
                raise DataRejected(
                    f"{len(validation.errors):,} 处错误，文件未入库 / "
                    f"{len(validation.errors):,} errors, nothing was landed", outcome.findings)
            if dry_run:
                outcome.message = f"校验通过 valid, {outcome.n_rows:,} 行 rows (dry run: 未入库 not landed)"
            else:
                progress(f"入库 landing {path.name} …")
                with watch.stage("land"):
                    _land(con, db_path, kind, outcome, sha256, validation.totals, validation.suite)
                outcome.status = "landed"
    outcome.report = write_report(path, outcome.findings)
    return outcome


def load_file(path: Path, home_dir: Path, kind_name: str | None = None, period: date | None = None,
              dry_run: bool = False, progress: Progress = lambda _: None) -> LoadOutcome:
    """Validate one file and land it whole, or reject it whole: status ``rejected``, with the
    findings written to ``<file>.errors.csv`` and the warehouse untouched."""
    try:
        return _load(path, home_dir, kind_name, period, dry_run, progress)
    except DataRejected as rejected:
        return LoadOutcome(path, kind_name or "", "rejected", str(rejected),
                           findings=rejected.findings, report=write_report(path, rejected.findings))


def load_files(paths: list[Path], home_dir: Path, kind_name: str | None = None,
               period: date | None = None, dry_run: bool = False,
               progress: Progress = lambda _: None) -> list[LoadOutcome]:
    """Load several files in dependency order (deals, securities, refunds); report on each."""
    reports = [p for p in paths if p.name.endswith(REPORT_SUFFIX)]
    for report in reports:
        progress(f"跳过错误报告 skipping error report {report.name}")
    paths = [p for p in paths if p not in reports]
    missing = [p for p in paths if not p.is_file()]
    if missing:
        raise UsageError("找不到文件 file not found: " + ", ".join(map(str, missing)))
    order = {name: i for i, name in enumerate(KINDS)}

    def rank(path: Path) -> int:
        return order[kind_name or recognise_kind(peek_header(path)).name]

    return [load_file(p, home_dir, kind_name, period, dry_run, progress)
            for p in sorted(paths, key=rank)]


def unload(load_id: int, home_dir: Path) -> str:
    """Retract a load: kept in history, no longer current (excluded from the next build)."""
    db_path = database_path(home_dir)
    if not db_path.exists():
        raise UsageError(f"数据仓库不存在 no warehouse at {db_path}")
    with duckdb.connect() as con:
        attach(con, db_path)
        row = con.execute("select retracted from wh.meta.load_log where load_id = ?",
                          [load_id]).fetchone()
        if row is None:
            raise UsageError(f"没有编号为 {load_id} 的入库记录 / no load with id {load_id}")
        if row[0]:
            return f"第 {load_id} 次入库早已撤回 / load {load_id} was already retracted"
        con.execute("update wh.meta.load_log set retracted = true, retracted_at = current_localtimestamp() "
                    "where load_id = ?", [load_id])
    return f"已撤回第 {load_id} 次入库 / load {load_id} retracted"
