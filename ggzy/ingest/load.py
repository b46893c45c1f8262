"""``ggzy load``: validate each file and land it whole, or reject it whole with an error report.

A file is staged and validated in an in-memory DuckDB; the warehouse is written only when the
file passes, in one transaction (rows, load_log, validation_results). A rejected file leaves the
warehouse file untouched.
"""

import calendar
import hashlib
import re
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path
from typing import Literal

import duckdb

from ggzy.common.accounts import create_key_table, keep_account_key
from ggzy.common.codes import create_reference_tables
from ggzy.common.contract import BY_NAME, FILE_KINDS, NOT_DATA_COLUMNS, Kind, header_key
from ggzy.common.errors import DataRejected, Refused, UsageError, whole_file_problem
from ggzy.common.findings import REPORT_SUFFIX, Finding, write_report
from ggzy.common.lock import writer_lock
from ggzy.common.stopwatch import Stopwatch
from ggzy.common.warehouse import (
    attach,
    connect,
    copy_database,
    create_schemas,
    currency,
    database_path,
    stored_columns,
)
from ggzy.ingest.current import (
    Resubmission,
    current_sql,
    n_current_rows,
    rekeyed_hint,
    resubmission,
    withdrawn_sql,
)
from ggzy.ingest.header import Layout, closest_column, layout_of, recognise_kind
from ggzy.ingest.mapping import Mapping, mapping_for
from ggzy.ingest.normalise import create_typed, own_kind_key_values, too_large
from ggzy.ingest.ocds_read import SUFFIXES as OCDS_SUFFIXES
from ggzy.ingest.ocds_read import is_ocds
from ggzy.ingest.ocds_stage import EXEMPT_RULES, locate, stage_ocds
from ggzy.ingest.read import WORKBOOKS, SourceFile, open_source, peek_header, read_into_src
from ggzy.ingest.settlements import conflicts
from ggzy.ingest.spellings import leading_zero_findings
from ggzy.ingest.totals import check_totals
from ggzy.ingest.unit_conflicts import unit_conflicts
from ggzy.ingest.validate import Typed, Validation, validate_typed

Progress = Callable[[str], None]
BATCH_ROWS = 1_000_000  # a kind's files are validated together until they hold this many rows (memory)
PERIOD_IN_NAME = re.compile(r"(?<!\d)(20\d{2})[-_年]?(0[1-9]|1[0-2])(?!\d)")


Mode = Literal["normal", "replace", "append"]


@dataclass
class LoadOutcome:
    path: Path
    kind: str
    status: str  # landed | unchanged | rejected | refused | checked (dry run)
    message: str
    ocds: bool = False  # an OCDS file: its releases land in raw.ocds_releases, its lots as deals,
    # their bids (a second pass, kind bids) as bids
    n_bids: int | None = None  # an OCDS file's deals pass: the bids rows its releases hold
    n_releases: int = 0
    period: date | None = None
    load_id: int | None = None
    n_rows: int = 0
    n_replaced: int = 0  # rows that are new versions of current rows
    n_unchanged: int = 0  # of those, rows that say what the current row says
    n_withdrawn: int = 0
    findings: list[Finding] = field(default_factory=list)
    report: Path | None = None
    seconds: dict[str, float] = field(default_factory=dict)  # by stage: decode, parse, normalise, validate, …
    peak_raised_mb: dict[str, float] = field(default_factory=dict)  # by stage: how much it raised peak memory


def parse_period(text: str, option: str = "--period") -> date:
    match = re.fullmatch(r"(\d{4})-?(\d{2})", text.strip())
    if not match or not 1 <= int(match[2]) <= 12:
        raise UsageError(f"月份格式应为 YYYY-MM / {option} must look like YYYY-MM, got {text!r}")
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


def _period_in_name(path: Path) -> date | None:
    """The YYYY-MM or YYYYMM in a file name."""
    if match := PERIOD_IN_NAME.search(path.name):
        return date(int(match[1]), int(match[2]), 1)
    return None


def _period_of_rows(con: duckdb.DuckDBPyConnection, kind: Kind) -> date:
    """The month of most of the file's rows."""
    row = con.execute(f"""
        select date_trunc('month', {kind.date_column})::date from typed
        where {kind.date_column} is not null
        group by 1 order by count(*) desc, 1 desc limit 1
    """).fetchone()
    return row[0] if row else date.today().replace(day=1)


def _open_staging(db_path: Path, mapping: Mapping) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the warehouse attached as ``wh`` (an empty stand-in if none yet),
    its tables as this release has them.
    On a terminal, a statement running longer than two seconds draws DuckDB's progress bar."""
    con = connect()
    con.execute(f"set enable_progress_bar = {sys.stdout.isatty()}")
    if db_path.exists():
        attach(con, db_path)  # a warehouse of an earlier release gains the tables added since
    else:
        con.execute("attach ':memory:' as wh")
    con.execute("use wh")
    create_schemas(con)
    con.execute("use memory")
    create_reference_tables(con, mapping.code_values())
    create_key_table(con, db_path.parent)
    return con


def _identical_current_load(con: duckdb.DuckDBPyConnection, kind: Kind, sha256: str, period: date | None,
                            sheet: str | None, mapping: Mapping) -> int | None:
    """The load of these very bytes read the same way — as the same kind, for the same period
    (when the command or the file name says it), from the same sheet, through the same mapping
    — if every row of it is still current (else loading them again is a real load: e.g. the
    original, to undo a correction). A load by a release that did not record the mapping is
    never the same."""
    same = [sha256, kind.name, period, period, sheet, mapping.digest()]
    for load_id, n_rows in con.execute("""select load_id, n_rows from wh.meta.load_log
            where sha256 = ? and kind = ? and (?::date is null or period = ?)
                and sheet is not distinct from ? and mapping_digest = ? and not retracted
            order by load_id desc""", same).fetchall():
        if n_current_rows(con, kind, "wh", load_id) == n_rows:
            return load_id
    return None


def _refusal(kind: Kind, period: date, resub: Resubmission, hint: str) -> Refused:
    month = f"{period:%Y-%m}"
    ids_zh = "、".join(str(e.load_id) for e in resub.earlier)
    ids = ", ".join(f"#{e.load_id}" for e in resub.earlier)
    loads = "".join(f"\n    第 {e.load_id} 次入库 load #{e.load_id} {e.file_name}: {e.n_current:,} 行当前 "
                    f"current rows, 本文件缺 {e.n_missing:,} 行 not in this file" for e in resub.earlier)
    return Refused(
        f"{month} 的 {kind.name} 已有当前数据，本文件缺少其中 {resub.n_missing:,} 行：照常入库它们会"
        f"继续有效 / {month} already has current {kind.name} rows; this file lacks "
        f"{resub.n_missing:,} of them, which would stay current.{loads}{hint}"
        f"\n    未做任何改动，请选择 nothing was changed; choose:"
        f"\n      --replace  本文件即 {month} 的全部 {kind.name}，缺少的 {resub.n_missing:,} 行撤下 / "
        f"this file is the whole of {month}: the {resub.n_missing:,} rows it lacks are withdrawn"
        f"\n      --append   与第 {ids_zh} 次入库并存（如另一交易平台的文件）/ "
        f"add it beside load {ids} (e.g. another platform's file)")


def _land(con: duckdb.DuckDBPyConnection, db_path: Path, kind: Kind, outcome: LoadOutcome, mode: Mode,
          sha256: str, validation: Validation, spelled: dict[str, str], sheet: str | None,
          mapping: Mapping) -> None:
    """Write the file's rows, its load_log row and its validation results in one transaction;
    a securities load must leave every settled security whole (ggzy/ingest/settlements.py)."""
    if not db_path.exists():
        schema = con.execute("select current_schema()").fetchone()[0]
        con.execute("detach wh")
        db_path.parent.mkdir(parents=True, exist_ok=True)
        attach(con, db_path)
        con.execute("use wh")
        create_schemas(con)
        con.execute(f"use memory.{schema}")
    withdrawn = withdrawn_sql(kind, outcome.period) if mode == "replace" else "select * from scope limit 0"
    outcome.n_withdrawn = con.execute(f"select count(*) from ({withdrawn})").fetchone()[0]
    if kind.name == "deals" and outcome.n_withdrawn:
        outcome.findings += _securities_left_without_deal(con, withdrawn)
    stored = stored_columns(kind) + ([("attempt_month", "date", "attempt_month")] if kind.attempts else [])
    names, values = (", ".join(column[i] for column in stored) for i in (0, 2))
    n_warnings = sum(1 for f in outcome.findings if f.severity == "warning")
    con.execute("begin transaction")
    try:
        load_id = con.execute("select nextval('wh.meta.load_id_seq')").fetchone()[0]
        outcome.message = f"已入库 landed as load #{load_id}, {_counts(outcome)}"
        con.execute(f"""
            insert into wh.raw.{kind.name} (load_id, source_file, line_number, {names})
            select ?, ?, line_number, {values} from typed order by line_number
        """, [load_id, outcome.path.name])
        con.execute("""
            insert into wh.meta.load_log (load_id, file_name, sha256, kind, period, n_rows,
                n_replaced, n_warnings, status, message, loaded_at, mode, n_withdrawn, sheet,
                mapping_file, mapping_digest, n_releases)
            values (?, ?, ?, ?, ?, ?, ?, ?, 'landed', ?, current_localtimestamp(), ?, ?, ?, ?, ?, ?)
        """, [load_id, outcome.path.name, sha256, kind.name, outcome.period, outcome.n_rows,
              outcome.n_replaced, n_warnings, outcome.message, mode, outcome.n_withdrawn, sheet,
              mapping.file_name, mapping.digest(), outcome.n_releases if outcome.ocds else None])
        if outcome.ocds and kind.name == "deals":
            con.execute("insert into wh.raw.ocds_releases select ?, ordinal, ocid, release_id, release_date, "
                        "version, release_json from ocds_new order by ordinal", [load_id])
        con.executemany("insert into wh.meta.validation_results values (?, ?, ?, ?, ?, ?, ?, ?)", [
            [load_id, validation.suite, t.expectation, t.rule, t.column, t.severity,
             t.n_unexpected == 0, t.n_unexpected] for t in validation.totals])
        if kind.name == "securities":
            broken = conflicts(con, "wh", f"select security_id__raw as security_id from typed "
                                          f"union all select security_id from ({withdrawn})")
            if broken:
                raise DataRejected(
                    f"{len(broken):,} 处与已有退还记录冲突，文件未入库 / {len(broken):,} conflicts "
                    "with refunds already in the warehouse, nothing was landed",
                    [c.finding(load_id, spelled) for c in broken])
        keep_account_key(db_path.parent)  # before the commit: no hash is kept without its key
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    outcome.load_id = load_id


def _securities_left_without_deal(con: duckdb.DuckDBPyConnection, withdrawn: str) -> list[Finding]:
    """The current securities of the sections a deals ``--replace`` withdraws and ``typed`` lacks:
    they are left without a deal (地区未知, no due date) until one comes."""
    section = "tender_project_code, bid_section_code"
    securities = current_sql(BY_NAME["securities"], "wh", f"""select security_id from wh.raw.securities
        where ({section}) in (select ({section}) from ({withdrawn}))""")
    n_sections, n_securities, cash = con.execute(f"""
        select count(distinct ({section})), count(*),
            coalesce(sum(amount) filter (where pay_form = 'cash'), 0)
        from ({securities}) as s
        where not exists (select 1 from typed as t where t.tender_project_code = s.tender_project_code
                          and t.bid_section_code = s.bid_section_code)""").fetchone()
    if not n_securities:
        return []
    return [Finding(None, "", None, "securities_left_without_deal",
                    f"撤下的标段中有 {n_sections:,} 个仍有 {n_securities:,} 笔保证金（现金 {cash:,.2f} 元），"
                    "它们将没有成交记录：计入“地区未知”、没有应退日期，直到成交记录再次入库"
                    "（ggzy status 列出）",
                    f"{n_sections:,} of the sections withdrawn still have {n_securities:,} securities (cash "
                    f"{cash:,.2f} yuan), now without a deal: counted under 'unknown' with no due date until "
                    "their deal is loaded again (ggzy status lists them)", "warning")]


def _counts(outcome: LoadOutcome) -> str:
    n_added, n_changed = outcome.n_rows - outcome.n_replaced, outcome.n_replaced - outcome.n_unchanged
    text = (f"{outcome.n_rows:,} 行 rows: {n_changed:,} 行有改动 changed, {outcome.n_unchanged:,} 行未变 "
            f"unchanged, {n_added:,} 行新增 added")
    if outcome.ocds:
        words = "成交 deals" if outcome.kind == "deals" else "投标 bids"
        text = f"OCDS {outcome.n_releases:,} 个发布 releases → {words} {text}"
    if outcome.n_withdrawn:
        text += f", {outcome.n_withdrawn:,} 行撤下 withdrawn (--replace)"
    return text


def _merged_notes(source: SourceFile, layout: Layout) -> list[Finding]:
    """A spreadsheet's merged cells below the header were read as the value they show: said once a
    range; an amount merged over rows is an error (whose amount is it?)."""
    amounts = {layout.positions[c.name] for c in layout.kind.columns
               if c.type == "amount" and c.name in layout.positions}
    notes = []
    for merged in source.merged:
        lines = f"{merged.first_line}–{merged.last_line}"
        column = " / ".join(source.header[merged.first_column:merged.last_column + 1])
        if amounts & set(range(merged.first_column, merged.last_column + 1)):
            notes.append(Finding(merged.first_line, column, None, "merged_amount",
                                 f"金额单元格跨第 {lines} 行合并：无法确定各行的金额，请取消合并并逐行填写",
                                 f"amount cells merged over lines {lines}: whose amount it is cannot be "
                                 "told; unmerge them and give each row its amount"))
        else:
            notes.append(Finding(merged.first_line, column, None, "merged_filled",
                                 f"合并单元格（第 {lines} 行）已按所显示的值逐行填充",
                                 f"merged cells over lines {lines} read as the value they show, on each line",
                                 "info"))
    return notes


def _layout_notes(source: SourceFile, layout: Layout) -> list[Finding]:
    """What was skipped or ignored in the file's layout: title rows (information), columns that
    are no column of the kind (warnings, with the column they most look like)."""
    applied = ("title_unit_applied", "标题行中的金额单位已用于金额列（列名自带单位的除外）",
               "the unit in this title line was applied to the amount columns (but those whose header "
               "states its own)")
    skipped = ("title_row", "表头上方的标题行，已跳过", "a title line above the header, skipped")
    notes = [Finding(line, "", text, *(applied if line == layout.title_unit_line else skipped), "info")
             for line, text in source.title_rows]
    notes += _merged_notes(source, layout)
    for name in layout.unknown:
        if header_key(name) in NOT_DATA_COLUMNS:
            notes.append(Finding(source.header_line, name, None, "ignored_column", "不是数据的列，已忽略",
                                 "a column that is not data, ignored", "info"))
            continue
        near = closest_column(layout.kind, name)
        hint = (f"（最接近：{near.spellings[0]}）", f" (closest: {near.name}, {near.spellings[0]})"
                ) if near else ("", "")
        notes.append(Finding(source.header_line, name, None, "unknown_column", f"未知列，已忽略{hint[0]}",
                             f"unknown column, ignored{hint[1]}", "warning"))
    return notes


@dataclass
class _Staged:
    """A file read and normalised into its own schema of the command's staging database, waiting
    for its kind's validation run, then for its checks and its landing."""

    outcome: LoadOutcome
    schema: str
    kind: Kind
    layout: Layout
    notes: list[Finding]  # on the file's layout (title rows, merged cells, unknown columns)
    sha256: str
    period: date | None  # as the command or the file name gives it; outcome.period is the one used
    watch: Stopwatch
    validation: Validation | None = None

    def typed(self) -> Typed:
        """Its ``typed`` table as a validation run takes it, with the period its dates must lie in."""
        period = self.outcome.period
        return Typed(self.schema, self.layout.spelled, period, _latest_allowed_date(period))


def _unchanged(con: duckdb.DuckDBPyConnection, outcome: LoadOutcome, kind: Kind, sha256: str,
               period: date | None, sheet: str | None, mapping: Mapping) -> bool:
    """Whether the file is a load still current in the warehouse (the outcome then says so)."""
    earlier = _identical_current_load(con, kind, sha256, period, sheet, mapping)
    if earlier is not None:
        outcome.status, outcome.load_id = "unchanged", earlier
        outcome.message = (f"与第 {earlier} 次入库的文件完全相同，且仍全部有效，未做任何改动 / "
                           f"identical to load #{earlier}, all of it still current: nothing to do")
    return earlier is not None


def _normalise(con: duckdb.DuckDBPyConnection, kind: Kind, layout: Layout, period: date | None,
               mode: Mode) -> date:
    """``src`` → ``typed`` against the warehouse as it is now; the period the file is of."""
    create_typed(con, kind, "wh", layout.units, period if mode == "replace" else None)
    found = period or _period_of_rows(con, kind)
    if mode == "replace" and period is None:  # the period was only known from the rows
        create_typed(con, kind, "wh", layout.units, found)
    return found


def _stage(con: duckdb.DuckDBPyConnection, outcome: LoadOutcome, schema: str, period: date | None,
           mode: Mode, mapping: Mapping, sheet: str | None, progress: Progress) -> _Staged | None:
    """Read and normalise the file into ``schema``; None when it is unchanged."""
    path = outcome.path
    watch = Stopwatch()
    outcome.seconds, outcome.peak_raised_mb = watch.seconds, watch.peak_raised_mb
    if outcome.ocds:
        return _stage_ocds(con, outcome, schema, period, mode, mapping, progress, watch)
    with tempfile.TemporaryDirectory(prefix="ggzy-load-") as workdir:
        with watch.stage("decode"):
            source = open_source(path, Path(workdir), mapping, sheet)
            sha256 = _sha256(path)
        kind = BY_NAME[outcome.kind] if outcome.kind else recognise_kind(source.header, mapping)
        outcome.kind = kind.name
        layout = layout_of(source, kind, mapping)
        period = period or _period_in_name(path)
        if _unchanged(con, outcome, kind, sha256, period, sheet, mapping):
            return None
        _enter(con, schema)
        progress(f"读取 reading {path.name} ({source.encoding}) …")
        with watch.stage("parse"):
            outcome.n_rows = read_into_src(con, source, layout)
        if outcome.n_rows == 0:
            raise whole_file_problem("no_rows", "只有表头，没有数据行", "the file has a header but no rows")
        notes = _layout_notes(source, layout)
    return _normalised(con, _Staged(outcome, schema, kind, layout, notes, sha256, period, watch), mode,
                       period, progress)


def _enter(con: duckdb.DuckDBPyConnection, schema: str) -> None:
    """Create the file's own schema of the staging database and work in it."""
    con.execute(f"create schema memory.{schema}")
    con.execute(f"use memory.{schema}")


def _normalised(con: duckdb.DuckDBPyConnection, staged: _Staged, mode: Mode, period: date | None,
                progress: Progress) -> _Staged:
    """The staged file's ``src`` normalised into ``typed``, of ``period`` if known (_normalise)."""
    progress(f"规范化 normalising {staged.outcome.n_rows:,} 行 rows …")
    with staged.watch.stage("normalise"):
        staged.outcome.period = _normalise(con, staged.kind, staged.layout, period, mode)
    return staged


def _stage_ocds(con: duckdb.DuckDBPyConnection, outcome: LoadOutcome, schema: str, period: date | None,
                mode: Mode, mapping: Mapping, progress: Progress, watch: Stopwatch) -> _Staged | None:
    """An OCDS file's releases compiled into deals rows, or in the bids pass bids rows
    (ocds_stage.py), then normalised like a file of the kind; its period is the month of its
    latest row. None when it is unchanged."""
    kind = BY_NAME[outcome.kind]
    layout = Layout(kind, {}, {c.name: c.name for c in kind.columns}, (), {})
    with watch.stage("decode"):
        sha256 = _sha256(outcome.path)
    if _unchanged(con, outcome, kind, sha256, period, None, mapping):
        return None
    _enter(con, schema)
    progress(f"读取 reading OCDS {outcome.path.name} ({kind.name}) …")
    with watch.stage("parse"):
        outcome.n_releases, latest, notes, n_bids = stage_ocds(con, outcome.path, currency(con), kind.name)
        outcome.n_rows = con.execute("select count(*) from src").fetchone()[0]
        outcome.n_bids = n_bids if kind.name == "deals" else None
    return _normalised(con, _Staged(outcome, schema, kind, layout, notes, sha256, period, watch), mode,
                       period or latest, progress)


def _validate(con: duckdb.DuckDBPyConnection, batch: list[_Staged], progress: Progress) -> None:
    """One GX run for the batch's files (one kind); its time and memory shared among them by rows."""
    n_rows = sum(s.outcome.n_rows for s in batch)
    progress(f"校验 validating {len(batch)} 个文件 files, {n_rows:,} 行 rows …")
    watch = Stopwatch()
    with watch.stage("validate"):
        validations = validate_typed(con, f"input_{batch[0].kind.name}", [s.typed() for s in batch],
                                     _exempt(batch[0]))
    for staged, validation in zip(batch, validations, strict=True):
        staged.validation = validation
        share = staged.outcome.n_rows / n_rows if n_rows else 1 / len(batch)
        staged.watch.seconds["validate"] = watch.seconds["validate"] * share
        staged.watch.peak_raised_mb["validate"] = watch.peak_raised_mb["validate"] * share


def _exempt(staged: _Staged) -> frozenset[tuple[str, str]]:
    """The rules of its kind's suite a file is not held to: for OCDS, those it cannot meet."""
    return frozenset(EXEMPT_RULES) if staged.outcome.ocds else frozenset()


def _affected(con: duckdb.DuckDBPyConnection, staged: _Staged, mode: Mode, others_landed: bool) -> bool:
    """Whether the files of its kind landed since this one was staged (their keys in table
    ``main.landed_keys``) can have changed what its ``typed`` table says: they share a key it reads
    its kind's rows by (normalise.OWN_KIND_KEYS), or, with ``--replace``, withdrew rows."""
    if not others_landed:
        return False
    return mode == "replace" or con.execute(f"""select exists (
        ({own_kind_key_values(staged.kind, f'memory.{staged.schema}.typed')})
        intersect from memory.main.landed_keys)""").fetchone()[0]


def _finish(con: duckdb.DuckDBPyConnection, staged: _Staged, db_path: Path, mode: Mode, sheet: str | None,
            mapping: Mapping, progress: Progress, dry_run: bool, others_landed: bool) -> None:
    """Check the validated file against the warehouse and land it. When files of its kind landed
    since it was staged (``others_landed``) and may have changed it (_affected), it is normalised
    again against the warehouse as it is now; if that changes a cell, it is validated again alone."""
    outcome, kind, layout, watch = staged.outcome, staged.kind, staged.layout, staged.watch
    con.execute(f"use memory.{staged.schema}")
    if _affected(con, staged, mode, others_landed):
        if _unchanged(con, outcome, kind, staged.sha256, staged.period, sheet, mapping):
            return
        with watch.stage("normalise"):
            con.execute("alter table typed rename to typed_staged")
            _normalise(con, kind, layout, staged.period, mode)
            changed = con.execute("""select exists (from typed except all from typed_staged)
                or exists (from typed_staged except all from typed)""").fetchone()[0]
        if changed:
            with watch.stage("validate"):
                staged.validation, = validate_typed(con, f"input_{kind.name}", [staged.typed()],
                                                    _exempt(staged))
    validation = staged.validation
    with watch.stage("checks"):
        totals = check_totals(con, layout)
        spellings = leading_zero_findings(con, kind, "wh", layout.spelled)
        units = unit_conflicts(con, layout)
        said = too_large(con, validation.findings, kind, layout.spelled)
    outcome.findings = staged.notes + totals + spellings + units + said
    if outcome.ocds:
        outcome.findings = locate(con, outcome.findings)
    errors = [f for f in outcome.findings if f.severity == "error"]
    if errors:
        raise DataRejected(f"{len(errors):,} 处错误，文件未入库 / {len(errors):,} errors, "
                           "nothing was landed", outcome.findings)
    with watch.stage("checks"):
        resub = resubmission(con, kind, "wh", outcome.period)
    outcome.n_replaced, outcome.n_unchanged = resub.n_replaced, resub.n_unchanged
    if mode == "normal" and resub.n_missing:
        raise _refusal(kind, outcome.period, resub, rekeyed_hint(con, kind, resub, outcome.period))
    what = f"{outcome.path.name}, {outcome.n_rows:,} 行 rows"
    progress(f"演练：写入临时副本 dry run: writing a scratch copy, {what} …" if dry_run
             else f"入库 landing {what} …")
    with watch.stage("land"):
        _land(con, db_path, kind, outcome, mode, staged.sha256, validation, layout.spelled, sheet, mapping)
    outcome.status = "landed"
    outcome.report = write_report(outcome.path, outcome.findings)


def _settled(outcome: LoadOutcome, step: Callable[[], _Staged | None]) -> _Staged | None:
    """``step()``, or the file rejected (its error report written) or refused."""
    try:
        return step()
    except DataRejected as rejected:
        outcome.status, outcome.message, outcome.findings = "rejected", str(rejected), rejected.findings
        outcome.report = write_report(outcome.path, rejected.findings)
    except Refused as refused:
        outcome.status, outcome.message = "refused", str(refused)
    return None


def _drop(con: duckdb.DuckDBPyConnection, schema: str) -> None:
    con.execute(f"use memory.main; drop schema if exists memory.{schema} cascade")


def _land_batch(con: duckdb.DuckDBPyConnection, batch: list[_Staged], db_path: Path, mode: Mode,
                sheet: str | None, mapping: Mapping, progress: Progress, dry_run: bool) -> None:
    """Validate the batch in one run, then check and land its files in order (an OCDS batch always
    appends: _mode_of)."""
    mode = _mode_of(batch[0].outcome.ocds, mode)
    _validate(con, batch, progress)
    landed = False
    for staged in batch:
        _settled(staged.outcome, partial(_finish, con, staged, db_path, mode, sheet, mapping, progress,
                                         dry_run, landed))
        if staged.outcome.status == "landed":  # what the files after it are checked against changed
            con.execute(f"{'insert into' if landed else 'create or replace table'} memory.main.landed_keys "
                        f"{'' if landed else 'as '}"
                        f"{own_kind_key_values(staged.kind, f'memory.{staged.schema}.typed')}")
            landed = True
        _drop(con, staged.schema)


def _bids_to_land(outcomes: list[LoadOutcome], path: Path) -> bool:
    """Whether the bids pass of an OCDS file runs: after its deals landed (or were already there),
    unless they were staged and their releases hold no bids."""
    deals = next(o for o in outcomes if o.path == path and o.kind == "deals")
    return deals.status in ("landed", "unchanged") and deals.n_bids != 0


def _mode_of(ocds: bool, mode: Mode) -> Mode:
    """An OCDS file adds and replaces releases by ocid, never withdraws: always ``append``."""
    return "append" if ocds else mode


def _load(files: list[tuple[Path, str | None, bool]], home_dir: Path, period: date | None, mode: Mode,
          mapping: Mapping, sheet: str | None, progress: Progress, dry_run: bool) -> list[LoadOutcome]:
    """Load ``files`` (path, kind if known, whether it is OCDS), in order. Consecutive files of a
    kind are read and normalised, up to BATCH_ROWS rows, then validated in one GX run, then checked
    and landed one by one (see _finish for what a landing changes for the files after it)."""
    db_path = database_path(home_dir)
    outcomes: list[LoadOutcome] = []
    batch: list[_Staged] = []
    with _open_staging(db_path, mapping) as con:
        for path, kind_name, ocds in files:
            # an OCDS file is a batch of its own: it compiles its ocids with the releases landed before it
            if batch and (kind_name != batch[0].kind.name or ocds or batch[0].outcome.ocds
                          or sum(s.outcome.n_rows for s in batch) >= BATCH_ROWS):
                _land_batch(con, batch, db_path, mode, sheet, mapping, progress, dry_run)
                batch = []
            if ocds and kind_name == "bids" and not _bids_to_land(outcomes, path):
                continue
            outcome = LoadOutcome(path, kind_name or "", "checked", "", ocds=ocds)
            outcomes.append(outcome)
            schema = f"file_{len(outcomes)}"
            staged = _settled(outcome, partial(_stage, con, outcome, schema, period, _mode_of(ocds, mode),
                                               mapping, sheet, progress))
            if staged is None or (ocds and staged.outcome.n_rows == 0 and kind_name == "bids"):
                _drop(con, schema)
                if staged is not None:  # its releases hold no bids: there is nothing to say of them
                    outcomes.pop()
            else:
                batch.append(staged)
        if batch:
            _land_batch(con, batch, db_path, mode, sheet, mapping, progress, dry_run)
    return outcomes


def _passes(path: Path, kind_name: str | None, ocds: bool) -> list[tuple[Path, str | None, bool]]:
    """How a file is loaded: as its kind; an OCDS file as deals, then (after the other kinds) as
    bids."""
    return [(path, "deals", True), (path, "bids", True)] if ocds else [(path, kind_name, False)]


def load_file(path: Path, home_dir: Path, kind_name: str | None = None, period: date | None = None,
              mode: Mode = "normal", progress: Progress = lambda _: None, mapping: Mapping | None = None,
              sheet: str | None = None, dry_run: bool = False) -> LoadOutcome:
    """Validate one file and land it whole, or reject it whole: status ``rejected``, with the
    findings written to ``<file>.errors.csv`` and the warehouse untouched; or ``refused`` when
    it would leave current rows of its period that it lacks and no ``mode`` says what is meant.
    ``mode``: ``replace`` makes the file the whole of its kind and period, ``append`` adds it
    beside the period's other loads. ``mapping``: the national data-spec's, or a platform's on top
    of it (ggzy/ingest/mapping.py); ``sheet``: the sheet of a spreadsheet (default the first);
    ``dry_run``: ``home_dir`` is a scratch copy (it says so as it goes)."""
    return _load(_passes(path, kind_name, is_ocds(path)), home_dir, period, mode,
                 mapping or mapping_for(None), sheet, progress, dry_run)[0]


def _files_in(path: Path, progress: Progress) -> list[Path]:
    """A folder stands for the CSV and spreadsheet files in it (its error reports are skipped later;
    Excel's ``~$`` lock files are not data)."""
    if not path.is_dir():
        return [path]
    files = sorted(p for p in path.iterdir() if p.suffix.lower() in (".csv", *WORKBOOKS, *OCDS_SUFFIXES)
                   and not p.name.startswith("~$"))
    progress(f"文件夹 folder {path}: {len(files)} 个文件 files")
    if not files:
        raise UsageError(f"文件夹中没有 CSV、电子表格或 OCDS 文件 no CSV, spreadsheet or OCDS files in the "
                         f"folder {path}")
    return files


def load_files(paths: list[Path], home_dir: Path, kind_name: str | None = None,
               period: date | None = None, mode: Mode = "normal", dry_run: bool = False,
               progress: Progress = lambda _: None, wait: float = 0, mapping_path: Path | None = None,
               sheet: str | None = None) -> list[LoadOutcome]:
    """Load several files in dependency order (deals, securities, refunds, bids); report on each.
    ``dry_run``: the same, into a throwaway copy of the warehouse, so each file is checked as the
    real load would check it (refunds against the securities named with them). ``wait``: seconds
    to wait for another writer (ggzy/common/lock.py). ``mapping_path``: a platform's mapping file."""
    mapping = mapping_for(mapping_path)
    paths = [f for p in paths for f in _files_in(p, progress)]
    reports = [p for p in paths if p.name.endswith(REPORT_SUFFIX)]
    for report in reports:
        progress(f"跳过错误报告 skipping error report {report.name}")
    paths = [p for p in paths if p not in reports]
    missing = [p for p in paths if not p.is_file()]
    if missing:
        raise UsageError("找不到文件 file not found: " + ", ".join(map(str, missing)))
    ocds = {p for p in paths if is_ocds(p)}
    if ocds and mode == "replace":
        raise UsageError(f"OCDS 文件按 ocid 增补或更新，不能 --replace / an OCDS file adds and updates "
                         f"by ocid: --replace does not apply ({next(p for p in paths if p in ocds).name})")
    kinds = {p: "deals" if p in ocds else kind_name or recognise_kind(peek_header(p, mapping, sheet),
                                                                         mapping).name for p in paths}
    files = sorted((file for p in paths for file in _passes(p, kinds[p], p in ocds)),
                   key=lambda file: FILE_KINDS.index(file[1]))
    if not dry_run:
        with writer_lock(home_dir, "ggzy load", wait, progress):
            return _load(files, home_dir, period, mode, mapping, sheet, progress, False)
    with tempfile.TemporaryDirectory(prefix="ggzy-dry-run-") as scratch:
        copy_database(home_dir, Path(scratch), wait)
        outcomes = _load(files, Path(scratch), period, mode, mapping, sheet, progress, True)
    for outcome in outcomes:
        if outcome.status == "landed":
            outcome.status, outcome.load_id = "checked", None
            outcome.message = f"校验通过 valid (dry run: 未入库 nothing landed), {_counts(outcome)}"
    return outcomes


def landed_without_deals(outcomes: list[LoadOutcome]) -> str | None:
    """The note for a command whose deals file failed while its securities landed: they are not
    lost, they count where their file says (or under 'unknown') until the deals land."""
    failed = [o.path.name for o in outcomes if o.kind == "deals" and o.status in ("rejected", "refused")]
    landed = [o.path.name for o in outcomes if o.kind == "securities" and o.status == "landed"]
    if not failed or not landed:
        return None
    return (f"注意：{'、'.join(landed)} 已入库，而 {'、'.join(failed)} 没有：标段尚无成交记录的担保，"
            "在成交文件入库并构建之前，按担保文件所给地区与类别计入，未给则计入“地区未知”"
            "（ggzy status 列出这些标段）"
            f"\nnote: {', '.join(landed)} landed but {', '.join(failed)} did not: securities whose section "
            "has no deal yet count under the region and category their file gives, else under 'unknown', "
            "until the deals land and the next build (ggzy status lists those sections)")


def unload(load_id: int, home_dir: Path, wait: float = 0) -> str:
    """Retract a load: kept in history, no longer current (excluded from the next build).
    Refused when it would leave a settled security broken (e.g. the correction that raised its
    amount, while its refunds stay): the message names the refunds' loads to retract first."""
    db_path = database_path(home_dir)
    if not db_path.exists():
        raise UsageError(f"数据仓库不存在 no warehouse at {db_path}")
    with writer_lock(home_dir, "ggzy unload", wait), connect() as con:
        attach(con, db_path)
        row = con.execute("select retracted, kind, period from wh.meta.load_log where load_id = ?",
                          [load_id]).fetchone()
        if row is None:
            raise UsageError(f"没有编号为 {load_id} 的入库记录 / no load with id {load_id} "
                             "(ggzy loads lists them)")
        retracted, kind, period = row
        if retracted:
            return f"第 {load_id} 次入库早已撤回 / load {load_id} was already retracted"
        con.execute("begin transaction")
        con.execute("update wh.meta.load_log set retracted = true, retracted_at = current_localtimestamp() "
                    "where load_id = ?", [load_id])
        if kind in ("securities", "refunds"):  # its rows, and those of its period it replaced
            broken = conflicts(con, "wh", f"""select r.security_id from wh.raw.{kind} as r
                join wh.meta.load_log as l on l.load_id = r.load_id
                where l.kind = '{kind}' and l.period = '{period.isoformat()}'""")
            if broken:
                con.execute("rollback")
                lines = "".join(f"\n    {c.finding(None).describe()}" for c in broken[:20])
                raise Refused(f"撤回第 {load_id} 次入库会与已有退还记录冲突，未做任何改动 / retracting "
                              f"load {load_id} would conflict with refunds in the warehouse; nothing "
                              f"was changed (ggzy unload their load first):{lines}")
        con.execute("commit")
    return f"已撤回第 {load_id} 次入库 / load {load_id} retracted"
