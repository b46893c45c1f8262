"""What validation found, and the error report written next to the input file."""

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning", "info"]  # info: what was skipped, e.g. a title row
REPORT_HEADER = ("line", "column", "value", "rule", "severity", "message_zh", "message_en")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # OWASP's list for CSV injection
REPORT_SUFFIX = ".errors.csv"


@dataclass(frozen=True)
class Finding:
    line: int | None  # line number in the original file; None for a finding about the whole file
    column: str  # the column as the file spells it, or "" for the whole row or file
    value: str | None
    rule: str
    message_zh: str
    message_en: str
    severity: Severity = "error"

    def describe(self) -> str:
        where = f"第 {self.line} 行 line {self.line}" if self.line else "文件 file"
        column = f", 列 column {self.column}" if self.column else ""
        value = f", 值 value {self.value!r}" if self.value is not None else ""
        return f"{where}{column}{value}: {self.message_zh} / {self.message_en} [{self.rule}]"


def neutralise(text: str | None) -> str:
    """Text as a spreadsheet should show it: a leading = + - @ (or tab, CR) is escaped, never a formula."""
    if text is None:
        return ""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def report_path(source: Path) -> Path:
    return source.with_name(source.name + REPORT_SUFFIX)


def write_report(source: Path, findings: list[Finding]) -> Path | None:
    """Write ``<file>.errors.csv`` (UTF-8 with BOM, for Excel); remove a stale one when clean."""
    path = report_path(source)
    if not findings:
        path.unlink(missing_ok=True)
        return None
    ordered = sorted(findings, key=lambda f: (f.line or 0, f.severity, f.column, f.rule))
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(REPORT_HEADER)
        for f in ordered:
            writer.writerow([f.line or "", neutralise(f.column), neutralise(f.value), f.rule,
                             f.severity, f.message_zh, f.message_en])
    return path
