"""Read a monthly CSV into DuckDB as text: encoding, delimiter, header spellings, line numbers.

The bytes are streamed once to detect the encoding (UTF-8, UTF-8 with BOM, else GB18030, which
is transcoded to a UTF-8 work file); DuckDB then reads every cell as text into the temp table
``src`` with each row's line number in the original file. No Python object is made per row,
except for files with blank lines between records, whose line numbers need a csv.reader pass.
"""

import codecs
import csv
import io
import re
from array import array
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa

from ggzy.contract import BY_NAME, Kind, header_key, spellings_of
from ggzy.errors import DataRejected, UsageError
from ggzy.findings import Finding, whole_file_problem

CHUNK = 1 << 20
CHINESE = re.compile("[\u4e00-\u9fff]")
ENCODINGS = ("utf-8", "gb18030")
NAMES = {"utf-8": "UTF-8", "gb18030": "GB18030（GBK）"}


@dataclass(frozen=True)
class SourceFile:
    path: Path
    encoding: str
    utf8_path: Path  # the file DuckDB reads: the original, or its UTF-8 transcoding
    delimiter: str
    header: tuple[str, ...]  # as spelled in the file
    has_blank_lines: bool


@dataclass(frozen=True)
class Layout:
    """How a file's columns map onto a kind's canonical columns."""

    kind: Kind
    positions: dict[str, int]  # canonical name → position in the file
    spelled: dict[str, str]  # canonical name → header as spelled in the file
    unknown: tuple[str, ...]  # headers that are no column of the kind (kept as warnings)


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


def _has_blank_lines(path: Path) -> bool:
    """A blank line before the last record shifts line numbers (DuckDB skips it)."""
    with path.open("rb") as f:
        data_tail = b""
        while chunk := f.read(CHUNK):
            window = data_tail + chunk
            body = window.rstrip(b"\r\n") if len(chunk) < CHUNK else window
            if b"\n\n" in body or b"\n\r\n" in body:
                return True
            data_tail = window[-2:]
    return False


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


def open_source(path: Path, workdir: Path) -> SourceFile:
    """Detect encoding and delimiter and read the header; raise DataRejected if unreadable."""
    if not path.is_file():
        raise UsageError(f"找不到文件 file not found: {path}")
    if path.stat().st_size == 0:
        raise whole_file_problem("empty_file", "文件为空", "the file is empty")
    encoding = next((e for e in ENCODINGS if _decodes(path, e)), None)
    if encoding is None:
        raise _undecodable(path)
    utf8_path = path
    if encoding != "utf-8":
        utf8_path = workdir / "utf8.csv"
        _transcode(path, encoding, utf8_path)
    with utf8_path.open(encoding="utf-8-sig", newline="") as f:
        delimiter, header = _parse_header(f.readline())
    if not any(h.strip() for h in header):
        raise whole_file_problem("no_header", "第 1 行没有列名", "line 1 holds no column names", 1)
    return SourceFile(path, encoding, utf8_path, delimiter, header, _has_blank_lines(utf8_path))


def _parse_header(first_line: str) -> tuple[str, tuple[str, ...]]:
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    return delimiter, tuple(next(csv.reader(io.StringIO(first_line), delimiter=delimiter), []))


def peek_header(path: Path) -> tuple[str, ...]:
    """The header alone, cheaply (first 64 KiB), to order files before loading them."""
    with path.open("rb") as f:
        first = f.read(1 << 16).split(b"\n", 1)[0]
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return _parse_header(first.decode(encoding))[1]
        except UnicodeDecodeError:
            continue
    return ()


def _match(kind: Kind, header: tuple[str, ...]) -> dict[str, list[int]]:
    spellings = spellings_of(kind)
    matched: dict[str, list[int]] = {}
    for position, text in enumerate(header):
        if (name := spellings.get(header_key(text))) is not None:
            matched.setdefault(name, []).append(position)
    return matched


def recognise_kind(header: tuple[str, ...]) -> Kind:
    """The kind whose required columns the header has, preferring the one with most columns."""

    def score(kind: Kind) -> tuple[bool, int]:
        matched = _match(kind, header)
        return all(c.name in matched for c in kind.columns if c.required), len(matched)

    return max(BY_NAME.values(), key=score)


def layout_of(source: SourceFile, kind: Kind) -> Layout:
    """Map the header onto ``kind``; raise DataRejected for duplicate or missing columns."""
    matched = _match(kind, source.header)
    findings = [
        Finding(1, " / ".join(source.header[p] for p in positions), None, "duplicate_column",
                f"列 {name} 出现了 {len(positions)} 次", f"column {name} appears {len(positions)} times")
        for name, positions in matched.items() if len(positions) > 1
    ]
    findings += [
        Finding(1, c.name, None, "missing_column", f"缺少必填列 {c.name}（{'、'.join(c.spellings)}）",
                f"required column {c.name} is missing ({kind.name} file)")
        for c in kind.columns if c.required and c.name not in matched
    ]
    if findings:
        best = recognise_kind(source.header)
        if best is not kind and all(c.name in _match(best, source.header)
                                    for c in best.columns if c.required):
            findings.append(Finding(1, "", None, "wrong_kind",
                                    f"此文件像是 {best.name} 文件，而不是 {kind.name}",
                                    f"this looks like a {best.name} file, not {kind.name}"))
        raise DataRejected("列名不符合数据规范 the header does not fit the contract",
                           findings)
    used = {p for positions in matched.values() for p in positions}
    return Layout(
        kind=kind,
        positions={name: positions[0] for name, positions in matched.items()},
        spelled={name: source.header[positions[0]] for name, positions in matched.items()},
        unknown=tuple(h for p, h in enumerate(source.header) if p not in used and h.strip()),
    )


def _line_numbers_by_csv_reader(source: SourceFile) -> pa.Table:
    """Start line of every non-blank record, for files with blank lines between records."""
    lines = array("q")
    with source.utf8_path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f, delimiter=source.delimiter)
        next(reader, None)
        previous = reader.line_num
        for record in reader:
            if record:
                lines.append(previous + 1)
            previous = reader.line_num
    return pa.table({"ordinal": pa.array(range(len(lines)), pa.int64()), "line": pa.array(lines)})


def read_into_src(con: duckdb.DuckDBPyConnection, source: SourceFile, layout: Layout) -> int:
    """Create temp table ``src`` (line_number, one text column per canonical name); return rows."""
    width = len(source.header)
    columns = ", ".join(f"'c{i}': 'varchar'" for i in range(width))
    con.execute(f"""
        create or replace temp table cells as
        select * from read_csv(?, header = false, skip = 1, delim = ?, quote = '"', escape = '"',
            columns = {{{columns}}}, auto_detect = false, strict_mode = true, null_padding = false,
            encoding = 'utf-8', store_rejects = true, rejects_table = 'csv_rejects',
            rejects_scan = 'csv_reject_scans')
    """, [str(source.utf8_path), source.delimiter])
    rejects = con.execute("""
        select line, coalesce(column_name, ''), csv_line, error_type, error_message
        from csv_rejects order by line limit 1000
    """).fetchall()
    if rejects:
        raise DataRejected("有无法按 CSV 解析的行 some lines are not valid CSV", [
            Finding(line, "", csv_line.rstrip("\r\n"), "csv_structure",
                    f"CSV 结构错误（{error_type}）", error_message)
            for line, _column, csv_line, error_type, error_message in rejects
        ])
    cells = [f"c{i}" for i in range(width)]
    newlines = " + ".join(f"coalesce(length({c}) - length(replace({c}, chr(10), '')), 0)" for c in cells)
    if source.has_blank_lines:
        con.register("line_map", _line_numbers_by_csv_reader(source))
        line_expr = "line_map.line"
        join = "join line_map on line_map.ordinal = numbered.ordinal"
    else:  # header is line 1; quoted newlines in earlier rows push later rows down
        line_expr = f"""numbered.ordinal + 2 + coalesce(sum({newlines}) over (
            order by numbered.ordinal rows between unbounded preceding and 1 preceding), 0)"""
        join = ""
    picks = ", ".join(
        f"c{layout.positions[c.name]} as {c.name}" if c.name in layout.positions
        else f"null::varchar as {c.name}"
        for c in layout.kind.columns
    )
    all_empty = " and ".join(f"nullif(trim({c}, ' \t\u3000'), '') is null" for c in cells)
    con.execute(f"""
        create or replace temp table src as
        with numbered as (select rowid as ordinal, * from cells)
        select {line_expr} as line_number, {picks}
        from numbered {join}
        where not ({all_empty})
        order by numbered.ordinal
    """)
    con.execute("drop table cells")
    return con.execute("select count(*) from src").fetchone()[0]
