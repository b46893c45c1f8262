"""Read a monthly file into DuckDB as text: encoding, delimiter, title rows, header, line numbers.

A CSV's bytes are streamed once to detect the encoding (UTF-8, UTF-8 with BOM, else GB18030,
which is transcoded to a UTF-8 work file); a spreadsheet (.xlsx, .xls, .et, …) is written to a
UTF-8 work file by python-calamine, every cell as the text it shows. The header is the first of
the top lines that names two contract columns (``header.py`` places them): lines above it are
title rows. DuckDB then reads every cell as text into the table ``src``
with each row's line number in the original file (a spreadsheet's row number) and, for a
``合计``/``总计``/``小计`` row, its label. No Python object is made per row of a CSV, except for
files with blank lines between records, whose line numbers need a csv.reader pass.
"""

import codecs
import csv
import itertools
from array import array
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow as pa

from ggzy.common.contract import BLANKS, CHINESE
from ggzy.common.errors import DataRejected, UsageError, whole_file_problem
from ggzy.common.findings import Finding
from ggzy.ingest.header import Layout, header_index
from ggzy.ingest.mapping import Mapping
from ggzy.ingest.normalise import trimmed

CHUNK = 1 << 20
ENCODINGS = ("utf-8", "gb18030")
NAMES = {"utf-8": "UTF-8", "gb18030": "GB18030（GBK）"}
WORKBOOKS = (".xlsx", ".xlsm", ".xlsb", ".xls", ".et", ".ods")  # read by python-calamine
HEADER_SEARCH = 20  # the header is among the first 20 records
TOTAL_LABEL = r"^(?:本[月页期年])?(合计|总计|小计)[:：]?$"  # a cell that makes its row a total row


@dataclass(frozen=True)
class SourceFile:
    path: Path
    encoding: str
    utf8_path: Path  # the file DuckDB reads: the original, or its UTF-8 transcoding
    delimiter: str
    header: tuple[str, ...]  # as spelled in the file
    header_line: int  # the header's line (row) in the original file: 1 unless title rows are above
    skip: int  # lines of the work file up to and including the header
    title_rows: tuple[tuple[int, str], ...]  # (line, text) of each non-blank line above the header
    has_blank_lines: bool
    line_map: pa.Table | None = None  # a spreadsheet's row number of each data row of the work file
    merged: tuple["MergedRange", ...] = ()  # a spreadsheet's merged cells below the header, filled


@dataclass(frozen=True)
class MergedRange:
    """Merged cells of a spreadsheet below its header: rows (lines) and columns (0-based), all
    read as the value they show (the top-left cell's)."""

    first_line: int
    last_line: int
    first_column: int
    last_column: int


def _decodes(path: Path, encoding: str) -> bool:
    """Whether the whole file decodes, streamed."""
    decoder = codecs.getincrementaldecoder(encoding)()
    with path.open("rb") as f:
        try:
            while chunk := f.read(CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
    return True


def _scan_lines(path: Path) -> tuple[bool, bool]:
    """Whether a blank line comes before the last record (it shifts line numbers: DuckDB skips
    it), and whether lines end both in CRLF and in LF alone (DuckDB's parser takes one), in one
    pass."""
    blank, crlf, lf_alone, tail = False, False, False, b""
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            window = tail + chunk
            body = window.rstrip(b"\r\n") if len(chunk) < CHUNK else window
            blank = blank or b"\n\n" in body or b"\n\r\n" in body
            n_crlf = chunk.count(b"\r\n") + (tail.endswith(b"\r") and chunk.startswith(b"\n"))
            crlf = crlf or n_crlf > 0
            lf_alone = lf_alone or chunk.count(b"\n") > n_crlf
            tail = window[-2:]
    return blank, crlf and lf_alone


def _with_lf_endings(path: Path, out: Path) -> Path:
    """A copy of the file with every line ending in LF (line numbers unchanged)."""
    with path.open("rb") as src, out.open("wb") as dst:
        for line in src:
            dst.write(line[:-2] + b"\n" if line.endswith(b"\r\n") else line)
    return out


def _reads_as(line: bytes, encoding: str) -> bool:
    try:
        line.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _is_utf8_chinese(line: bytes) -> bool:
    """A line that is valid UTF-8 with Chinese in it: in a GB18030 file, pasted in from elsewhere
    (GBK text that happens to be valid UTF-8 is rare, and rarer still with two Chinese characters)."""
    try:
        return len(CHINESE.findall(line.decode("utf-8"))) >= 2
    except UnicodeDecodeError:
        return False


def _mixed_encoding(line: int, odd: str, rest: str) -> DataRejected:
    return whole_file_problem(
        "mixed_encoding", f"第 {line} 行是 {odd} 编码，其余是 {rest}：请用同一种编码保存",
        f"line {line} is {odd}, the rest {rest}: save the file in one encoding", line)


def _undecodable(path: Path) -> DataRejected:
    """Why a file reads neither as UTF-8 nor as GB18030 throughout: a line that is neither, or
    lines of each (the fewer are named). No character of either holds a newline byte."""
    first = {"utf-8": 0, "gb18030": 0}
    count = {"utf-8": 0, "gb18030": 0}
    with path.open("rb") as f:
        for number, line in enumerate(f, start=1):
            if line.isascii():
                continue
            if _is_utf8_chinese(line):
                encoding = "utf-8"
            else:  # a line of a few non-ASCII bytes may read as both: GB18030 is the likelier
                encoding = next((e for e in ("gb18030", "utf-8") if _reads_as(line, e)), None)
            if encoding is None:
                return whole_file_problem(
                    "encoding", f"第 {number} 行有无法识别的字节，文件须为 UTF-8 或 GB18030 编码",
                    f"line {number} has bytes that are neither UTF-8 nor GB18030", number)
            first[encoding] = first[encoding] or number
            count[encoding] += 1
    odd, rest = sorted(count, key=count.get)
    return _mixed_encoding(first[odd], *(NAMES[e] for e in (odd, rest)))


def _transcode(path: Path, encoding: str, out: Path) -> None:
    """Write a GB18030 file as UTF-8, line by line; a UTF-8 line among them would become
    mojibake, so it rejects the file."""
    with path.open("rb") as src, out.open("w", encoding="utf-8", newline="") as dst:
        for number, line in enumerate(src, start=1):
            if not line.isascii() and _is_utf8_chinese(line):
                raise _mixed_encoding(number, NAMES["utf-8"], NAMES["gb18030"])
            dst.write(line.decode(encoding))


def _cell_text(value: object) -> str:
    """A spreadsheet cell as the text it shows: numbers to Excel's 15 significant digits, never
    through float arithmetic (1234.56 stays ``1234.56``), dates as ISO dates."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return format(Decimal(f"{value:.15g}"), "f")
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _sheet_rows(path: Path, sheet: str | None, nrows: int | None = None
                ) -> tuple[list[list[str]], list[tuple[tuple[int, int], tuple[int, int]]]]:
    """The rows of the sheet (the first unless ``sheet`` names one), from A1, as text: every row,
    or the first ``nrows``; and its merged ranges ((first row, column), (last row, column)), 0-based."""
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as e:  # calamine's errors (zip, xml, password, format) have no common base
        raise whole_file_problem(
            "unreadable_workbook", "无法读取此电子表格：请用 Excel 或 WPS 另存为 .xlsx 或 CSV",
            f"cannot read this spreadsheet ({type(e).__name__}: {e}): save it as .xlsx or CSV") from None
    if sheet is not None and sheet not in book.sheet_names:
        raise UsageError(f"{path.name} 中没有工作表 has no sheet {sheet!r}; 现有 its sheets: "
                         f"{', '.join(book.sheet_names)}")
    chosen = book.get_sheet_by_name(sheet) if sheet else book.get_sheet_by_index(0)
    rows = chosen.to_python(skip_empty_area=False, nrows=nrows)
    return [[_cell_text(v) for v in row] for row in rows], list(chosen.merged_cell_ranges or [])


def _fill_merged(rows: list[list[str]], ranges: list[tuple[tuple[int, int], tuple[int, int]]],
                 header_at: int) -> tuple[MergedRange, ...]:
    """Every cell of a merged range below the header reads as the range shows it (its top-left
    cell); the ranges, as lines and columns."""
    filled = []
    for (top, left), (bottom, right) in ranges:
        if top <= header_at or top >= len(rows):
            continue
        value = rows[top][left]
        for row in rows[top:bottom + 1]:
            row[left:right + 1] = [value] * (min(right + 1, len(row)) - left)
        filled.append(MergedRange(top + 1, bottom + 1, left, right))
    return tuple(filled)


def _is_blank(record: list[str] | tuple[str, ...]) -> bool:
    return not any(cell.strip(BLANKS) for cell in record)


def _header_at(records: list[list[str]], mapping: Mapping) -> int:
    """The header's index: the first record naming two columns, else the first non-blank one."""
    at = header_index(records, mapping)
    return at if at is not None else next((i for i, r in enumerate(records) if not _is_blank(r)), 0)


def _title_rows(records: list[tuple[int, list[str]]]) -> tuple[tuple[int, str], ...]:
    return tuple((line, " ".join(c.strip() for c in record if c.strip()))
                 for line, record in records if not _is_blank(record))


def _workbook_source(path: Path, workdir: Path, sheet: str | None, mapping: Mapping) -> SourceFile:
    """Write the sheet's header and the non-blank rows below it to a UTF-8 CSV work file."""
    rows, ranges = _sheet_rows(path, sheet)
    at = _header_at(rows[:HEADER_SEARCH], mapping)
    header = rows[at] if rows else []
    merged = _fill_merged(rows, ranges, at)
    utf8_path = workdir / "sheet.csv"
    lines = array("q")
    with utf8_path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        for number, row in enumerate(rows[at + 1:], start=at + 2):
            if not _is_blank(row):
                writer.writerow(row)
                lines.append(number)
    line_map = _line_map(lines)
    titles = _title_rows([(i + 1, r) for i, r in enumerate(rows[:at])])
    return SourceFile(path, f"工作表 sheet {sheet or 1}", utf8_path, ",", tuple(header), at + 1, 1, titles,
                      False, line_map, merged)


def _csv_records(lines: list[str]) -> tuple[str, list[tuple[int, int, list[str]]]]:
    """The delimiter, and the records of these lines: (first line, last line, cells)."""
    delimiter = "\t" if sum(x.count("\t") for x in lines) > sum(x.count(",") for x in lines) else ","
    reader = csv.reader(lines, delimiter=delimiter)
    records, previous = [], 0
    try:
        for record in reader:
            records.append((previous + 1, reader.line_num, record))
            previous = reader.line_num
    except csv.Error:  # a quoted field running past the lines read
        pass
    return delimiter, records


def _csv_source(path: Path, workdir: Path, mapping: Mapping) -> SourceFile:
    if path.stat().st_size == 0:
        raise whole_file_problem("empty_file", "文件为空", "the file is empty")
    encoding = next((e for e in ENCODINGS if _decodes(path, e)), None)
    if encoding is None:
        raise _undecodable(path)
    utf8_path = path
    if encoding != "utf-8":
        utf8_path = workdir / "utf8.csv"
        _transcode(path, encoding, utf8_path)
    has_blank_lines, mixes_line_endings = _scan_lines(utf8_path)
    if mixes_line_endings:
        utf8_path = _with_lf_endings(utf8_path, workdir / "lf.csv")
    with utf8_path.open(encoding="utf-8-sig", newline="") as f:
        delimiter, records = _csv_records(list(itertools.islice(f, HEADER_SEARCH)))
    at = _header_at([r for _, _, r in records], mapping)
    _, last, header = records[at] if records else (1, 1, [])
    titles = _title_rows([(line, record) for line, _, record in records[:at]])
    return SourceFile(path, encoding, utf8_path, delimiter, tuple(header), last, last, titles,
                      has_blank_lines)


def open_source(path: Path, workdir: Path, mapping: Mapping, sheet: str | None = None) -> SourceFile:
    """Detect format, encoding, delimiter, title rows and header; raise DataRejected if unreadable."""
    if not path.is_file():
        raise UsageError(f"找不到文件 file not found: {path}")
    if path.suffix.lower() in WORKBOOKS:
        source = _workbook_source(path, workdir, sheet, mapping)
    else:
        source = _csv_source(path, workdir, mapping)
    if _is_blank(source.header):
        raise whole_file_problem("no_header", "文件开头没有列名", "no column names at the top of the file",
                                 source.header_line)
    return source


def peek_header(path: Path, mapping: Mapping, sheet: str | None = None) -> tuple[str, ...]:
    """The header alone, cheaply (a CSV's first 64 KiB), to order files before loading them."""
    if path.suffix.lower() in WORKBOOKS:
        try:
            records, _ = _sheet_rows(path, sheet, HEADER_SEARCH)
        except DataRejected:
            return ()
    else:
        with path.open("rb") as f:
            head = f.read(1 << 16)
        head = head[:head.rfind(b"\n") + 1] or head  # whole lines: no character cut in two
        text = head.decode("utf-8-sig") if _reads_as(head, "utf-8-sig") else head.decode("gb18030", "replace")
        records = [r for _, _, r in _csv_records(text.splitlines(keepends=True)[:HEADER_SEARCH])[1]]
    return tuple(records[_header_at(records, mapping)]) if records else ()


def _line_numbers_by_csv_reader(source: SourceFile) -> pa.Table:
    """Start line of every non-blank record below the header, for files with blank lines."""
    lines = array("q")
    with source.utf8_path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f, delimiter=source.delimiter)
        previous = 0
        for record in reader:
            if record and previous >= source.header_line:
                lines.append(previous + 1)
            previous = reader.line_num
    return _line_map(lines)


def _line_map(lines: array) -> pa.Table:
    """The table read_into_src joins on: each data row's ordinal in the work file → its line."""
    return pa.table({"ordinal": pa.array(range(len(lines)), pa.int64()), "line": pa.array(lines)})


def read_into_src(con: duckdb.DuckDBPyConnection, source: SourceFile, layout: Layout) -> int:
    """Create table ``src``, in the current schema (line_number, one text column per canonical name, and
    ``total_label`` — 合计, 总计 or 小计 — for a total row); return the number of rows, totals apart."""
    width = len(source.header)
    columns = ", ".join(f"'c{i}': 'varchar'" for i in range(width))
    con.execute(f"""
        create or replace temp table cells as
        select * from read_csv(?, header = false, skip = ?, delim = ?, quote = '"', escape = '"',
            columns = {{{columns}}}, auto_detect = false, strict_mode = true, null_padding = false,
            encoding = 'utf-8', store_rejects = true, rejects_table = 'csv_rejects',
            rejects_scan = 'csv_reject_scans')
    """, [str(source.utf8_path), source.skip, source.delimiter])
    rejects = con.execute("""
        select line, coalesce(column_name, ''), csv_line, error_type, error_message
        from csv_rejects order by line limit 1000
    """).fetchall()
    con.execute("drop table csv_rejects; drop table csv_reject_scans")  # the next file's read starts afresh
    if rejects:
        raise DataRejected("有无法按 CSV 解析的行 some lines are not valid CSV", [
            Finding(line, "", csv_line.rstrip("\r\n"), "csv_structure",
                    f"CSV 结构错误（{error_type}）", error_message)
            for line, _column, csv_line, error_type, error_message in rejects
        ])
    cells = [f"c{i}" for i in range(width)]
    newlines = " + ".join(f"coalesce(length({c}) - length(replace({c}, chr(10), '')), 0)" for c in cells)
    line_map = source.line_map
    if line_map is None and source.has_blank_lines:
        line_map = _line_numbers_by_csv_reader(source)
    if line_map is not None:
        con.register("line_map", line_map)
        line_expr = "line_map.line"
        join = "join line_map on line_map.ordinal = numbered.ordinal"
    elif con.execute("select count(*) from cells where "  # quoted newlines push later rows down
                     + " or ".join(f"contains({c}, chr(10))" for c in cells)).fetchone()[0]:
        line_expr = f"""numbered.ordinal + {source.header_line + 1} + coalesce(sum({newlines}) over (
            order by numbered.ordinal rows between unbounded preceding and 1 preceding), 0)"""
        join = ""
    else:  # one line a row, from the line below the header on (a scan instead of a window)
        line_expr, join = f"numbered.ordinal + {source.header_line + 1}", ""
    picks = ", ".join(
        f"c{layout.positions[c.name]} as {c.name}" if c.name in layout.positions
        else f"null::varchar as {c.name}"
        for c in layout.kind.columns
    )
    all_empty = " and ".join(f"{trimmed(c)} is null" for c in cells)
    labelled = ["c0", *(f"c{layout.positions[k]}" for k in layout.kind.key if k in layout.positions)]
    label = ", ".join(f"""case when contains({c}, '计') then nullif(regexp_extract(
        regexp_replace({c}, '[\\s\u3000]', '', 'g'), '{TOTAL_LABEL}', 1), '') end""" for c in labelled)
    con.execute(f"""
        create or replace table src as
        with numbered as (select rowid as ordinal, * from cells)
        select {line_expr} as line_number, {picks}, coalesce({label}) as total_label
        from numbered {join}
        where not ({all_empty})
    """)
    con.execute("drop table cells")
    if "price_unit" in layout.positions:  # a total row's blank unit is that of all the rows (万元 each)
        con.execute("""update src set price_unit = (
                select min(price_unit) from src where total_label is null
                having count(distinct price_unit) = 1 and count(price_unit) = count(*))
            where total_label is not null and nullif(trim(price_unit), '') is null""")
    return con.execute("select count(*) from src where total_label is null").fetchone()[0]
