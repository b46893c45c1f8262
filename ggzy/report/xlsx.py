"""The monthly report as an xlsx workbook (xlsxwriter): one sheet per part, numbers stored as
numbers with number formats (amounts in 万元, rates and percent changes as
fractions shown as %, changes of rates in percentage points), frozen and repeated header rows,
widths that fit, A4 landscape fitted to the page width, a footer with the period and page."""

import io
from decimal import Decimal

import pandas as pd
import xlsxwriter

from ggzy.report.format import (
    PLACES,
    WAN,
    Cell,
    Report,
    Table,
    display_width,
    facts_line,
    present,
    text,
    word,
)

WIDTH_SAMPLE_ROWS = 500  # a column fits the widest of its header and first rows
MAX_WIDTH = 60


def number_format(kind: str, lang: str) -> str:
    """The cell format for a kind of figure, with the decimals of ``PLACES``."""
    digits = "0" + ("." + "0" * PLACES[kind] if PLACES.get(kind) else "")
    if kind in ("count", "amount", "days"):
        return "#,##" + digits
    if kind == "rate":
        return digits + "%"
    if kind in ("percent", "pp"):
        unit = "%" if kind == "percent" else f'" {word("percentage_points", lang)}"'
        return f"+{digits}{unit};-{digits}{unit};{digits}{unit}"
    return {"date": "yyyy-mm-dd", "datetime": "yyyy-mm-dd hh:mm"}.get(kind, "@")


def stored(cell: Cell):
    """The number a cell stores: amounts in 万元, percent changes as fractions."""
    value = cell.value
    if cell.kind == "amount":
        return float(Decimal(value) / WAN)
    if cell.kind == "percent":
        return float(Decimal(value) / 100)
    if cell.kind == "count":
        return int(value)
    if cell.kind in ("date", "datetime"):
        return pd.Timestamp(value).to_pydatetime()
    return float(value)


class Writer:
    def __init__(self, workbook: xlsxwriter.Workbook, report: Report):
        self.book, self.report, self.lang = workbook, report, report.lang
        self.title = workbook.add_format({"bold": True, "font_size": 14})
        self.bold = workbook.add_format({"bold": True})
        self.note = workbook.add_format({"italic": True, "font_color": "#595959"})
        self.header = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1,
                                           "text_wrap": True, "valign": "vcenter", "align": "center"})
        self.paragraph = workbook.add_format({"text_wrap": True, "valign": "top"})
        self.blank = workbook.add_format({"border": 1, "align": "center", "font_color": "#595959"})
        self.formats = {kind: workbook.add_format({"num_format": number_format(kind, self.lang), "border": 1})
                        for kind in (*PLACES, "date", "datetime", "text")}

    def sheet(self, name: str, tables: tuple[Table, ...], paragraph: str) -> None:
        sheet = self.book.add_worksheet(name)
        sheet.write_string(0, 0, f"{self.report.title} · {name}", self.title)
        sheet.write_string(1, 0, facts_line(self.report))
        row, widths, frozen = 3, {}, 2
        if paragraph:
            width = max(len(t.headers) for t in tables)
            sheet.write_string(row, 0, word("narrative", self.lang), self.bold)
            sheet.merge_range(row + 1, 0, row + 1, width - 1, paragraph, self.paragraph)
            sheet.set_row(row + 1, 15 * (display_width(paragraph) // 110 + 2))
            row += 3
        for i, table in enumerate(tables):
            row = self.table(sheet, row, table, widths)
            if i == 0 and not paragraph:
                frozen = row - len(table.rows) - bool(table.note) - 2
        for column, width in widths.items():
            sheet.set_column(column, column, min(width + 2, MAX_WIDTH))
        sheet.freeze_panes(frozen + 1, 0)
        sheet.repeat_rows(0, frozen)
        sheet.set_landscape()
        sheet.set_paper(9)  # A4
        sheet.fit_to_pages(1, 0)
        page = word("page", self.lang, page="&P", pages="&N")
        sheet.set_footer(f"&L{self.report.period.replace('&', '&&')}&R{page}")

    def table(self, sheet, row: int, table: Table, widths: dict[int, int]) -> int:
        """Write ``table`` from ``row``: title, header, rows and note; the next free row."""
        sheet.write_string(row, 0, table.title, self.bold)
        row += 1
        for column, header in enumerate(table.headers):
            sheet.write_string(row, column, header, self.header)
            widths[column] = max(widths.get(column, 0), min(display_width(header), 24))
        for n, cells in zip(range(row + 1, row + 1 + len(table.rows)), table.rows, strict=True):
            for column, cell in enumerate(cells):
                fmt = self.formats.get(cell.kind, self.formats["text"])
                if not present(cell.value):
                    if cell.blank:  # — or 未报送, centred where the figure would stand
                        sheet.write_string(n, column, cell.blank, self.blank)
                    else:
                        sheet.write_blank(n, column, None, fmt)
                elif cell.kind == "text":
                    sheet.write_string(n, column, str(cell.value), fmt)
                elif cell.kind in ("date", "datetime"):
                    sheet.write_datetime(n, column, stored(cell), fmt)
                else:
                    sheet.write_number(n, column, stored(cell), fmt)
                if n - row <= WIDTH_SAMPLE_ROWS:
                    shown = text(cell, self.lang)
                    widths[column] = max(widths.get(column, 0), display_width(shown))
        row += len(table.rows) + 1
        if table.note:
            sheet.write_string(row, 0, table.note, self.note)
            row += 1
        return row + 1


def xlsx_bytes(report: Report) -> bytes:
    out = io.BytesIO()
    with xlsxwriter.Workbook(out, {"in_memory": True}) as workbook:
        writer = Writer(workbook, report)
        for sheet in report.sheets:
            writer.sheet(sheet.name, sheet.tables, sheet.paragraph)
    return out.getvalue()
