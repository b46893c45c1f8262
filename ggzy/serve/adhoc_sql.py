"""``ggzy sql``: a read-only query on the published snapshot, printed as a table, CSV or JSON.

The snapshot is opened read-only with DuckDB's external access disabled (no files read or
written, no databases attached, no extensions loaded), a memory limit, and the configuration
locked, so a query cannot turn them back off. Results stop at a row cap and a query is
interrupted after a time limit. What is refused is said so, plainly (``refusal``).
"""

import json
import threading
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb

from ggzy.common.errors import UsageError
from ggzy.common.warehouse import snapshot_path
from ggzy.serve.export import cell_text, csv_text

ROW_CAP = 10_000
TIME_LIMIT_SECONDS = 30.0
MEMORY_LIMIT = "4GB"  # a temp table or a huge join cannot take the machine's memory
FORMATS = ("table", "csv", "json")


@dataclass
class QueryResult:
    columns: list[str]
    rows: list[tuple]
    truncated: bool  # more rows than the cap


def open_snapshot(home_dir: Path) -> duckdb.DuckDBPyConnection:
    """A read-only, sandboxed connection to the published snapshot."""
    path = snapshot_path(home_dir)
    if not path.exists():
        raise UsageError(f"还没有发布的快照 no published snapshot at {path}: 先运行 run ggzy build")
    return duckdb.connect(str(path), read_only=True, config={
        "enable_external_access": False, "autoload_known_extensions": False,
        "autoinstall_known_extensions": False, "memory_limit": MEMORY_LIMIT,
        "lock_configuration": True})


def refusal(error: duckdb.Error) -> str:
    """One clear answer to a query that failed: what is not allowed, else what went wrong."""
    text = str(error)
    if isinstance(error, duckdb.PermissionException):
        why = ("查询不能读写文件、连接其他数据库或加载扩展 / "
               "queries cannot read or write files, attach databases or load extensions")
    elif "read-only mode" in text:
        why = "快照是只读的，查询不能修改数据 / the snapshot is read-only: queries cannot change data"
    elif "configuration has been locked" in text:
        why = "查询不能更改设置 / queries cannot change settings"
    else:
        return f"查询失败 the query failed: {text}"
    return f"拒绝 refused: {why} ({text.splitlines()[0]})"


def run_query(home_dir: Path, query: str, row_cap: int = ROW_CAP,
              time_limit: float = TIME_LIMIT_SECONDS) -> QueryResult:
    if not query.strip():
        raise UsageError("查询为空 the query is empty: ggzy sql \"select …\"")
    if row_cap < 1:
        raise UsageError(f"--max-rows 须 ≥ 1 / --max-rows must be at least 1, got {row_cap}")
    with open_snapshot(home_dir) as con:
        timer = threading.Timer(time_limit, con.interrupt)
        timer.start()
        try:
            if len(con.extract_statements(query)) > 1:
                raise UsageError("一次只能执行一条语句 one statement per call: run each on its own")
            cursor = con.execute(query)
            columns = [d[0] for d in cursor.description or []]
            rows = cursor.fetchmany(row_cap + 1) if columns else []
        except duckdb.InterruptException as e:
            raise UsageError(f"查询超时 the query ran longer than {time_limit:g} s and was stopped") from e
        except duckdb.Error as e:
            raise UsageError(refusal(e)) from e
        finally:
            timer.cancel()
    return QueryResult(columns, rows[:row_cap], len(rows) > row_cap)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _as_table(result: QueryResult) -> str:
    cells = [result.columns] + [[cell_text(v) for v in row] for row in result.rows]
    widths = [max(_width(row[i]) for row in cells) for i in range(len(result.columns))]
    numeric = [bool(result.rows) and all(isinstance(row[i], int | float | Decimal) or row[i] is None
                                         for row in result.rows) for i in range(len(result.columns))]

    def line(row: list[str]) -> str:
        padded = [(" " * (w - _width(c)) + c) if num else (c + " " * (w - _width(c)))
                  for c, w, num in zip(row, widths, numeric, strict=True)]
        return "  ".join(padded).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(cells[0]), rule] + [line(row) for row in cells[1:]])


def _as_csv(result: QueryResult) -> str:
    """Like every CSV made for people: UTF-8 with a BOM (Excel then reads Chinese right), CRLF."""
    return "\ufeff" + csv_text(result.columns, result.rows)


def _json_value(value):
    if isinstance(value, Decimal):
        return str(value)  # exact to the fen: a JSON number would pass through a float
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _as_json(result: QueryResult) -> str:
    objects = [{c: _json_value(v) for c, v in zip(result.columns, row, strict=True)} for row in result.rows]
    return json.dumps(objects, ensure_ascii=False, indent=1, default=str)


def format_result(result: QueryResult, output_format: str) -> str:
    return {"table": _as_table, "csv": _as_csv, "json": _as_json}[output_format](result)
