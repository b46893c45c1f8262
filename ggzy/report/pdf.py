"""The monthly report as an A4 landscape PDF (fpdf2, no browser): the header, the narrative and
every table of the workbook, headers repeated on each page, a footer with the period and the
page. Chinese is set in the font ``make browser`` installs (fonts-wqy-microhei); the sediment
list is cut to ``pdf_list_rows`` (the workbook has it whole)."""

import os
import re
from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import FontFace

from ggzy.common.errors import EnvironmentProblem
from ggzy.report.format import Cell, Report, Table, display_width, facts_line, spec, text, word

FONT = Path(os.environ.get("GGZY_PDF_FONT", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"))
HEADINGS = FontFace(fill_color=(221, 235, 247))
NUMBER_KINDS = ("count", "amount", "rate", "days", "percent", "pp")


class ReportPdf(FPDF):
    def __init__(self, report: Report):
        super().__init__(orientation="L", format="A4")
        if not FONT.exists():
            raise EnvironmentProblem(f"PDF 需要中文字体 the PDF needs a Chinese font, {FONT} is missing: "
                                     "make browser (fonts-wqy-microhei), or set GGZY_PDF_FONT")
        self.add_font("cjk", fname=str(FONT), collection_font_number=0)
        self.report = report
        self.set_auto_page_break(True, margin=14)
        self.set_margins(12, 12, 12)

    def footer(self) -> None:
        self.set_y(-10)
        self.set_font("cjk", size=8)
        self.cell(0, 5, self.report.period, align="L")
        self.set_x(self.l_margin)
        self.cell(0, 5, word("page", self.report.lang, page=self.page_no(), pages="{nb}"), align="R")

    def heading(self, words: str, size: int) -> None:
        self.set_font("cjk", size=size)
        self.multi_cell(0, size * 0.5, words, new_x="LMARGIN", new_y="NEXT")
        self.ln(1)

    def table_of(self, table: Table, rows: tuple[tuple[Cell, ...], ...], note: str) -> None:
        self.heading(table.title, 11)
        if table.headers:
            self.set_font("cjk", size=7 if len(table.headers) > 8 else 8)
            shown = [[text(c, divisor, self.report.lang) for c in row]
                     for row, divisor in zip(rows, table.divisors, strict=False)]
            widths = [max([display_width(h) / 2, *(display_width(r[i]) for r in shown[:200])] + [4])
                      for i, h in enumerate(table.headers)]
            kinds = [rows[0][i].kind if rows else "text" for i in range(len(table.headers))]
            align = ["RIGHT" if kind in NUMBER_KINDS else "LEFT" for kind in kinds]
            with self.table(col_widths=widths, text_align=align, headings_style=HEADINGS, line_height=4.5,
                            repeat_headings=1) as pdf_table:
                pdf_table.row(list(table.headers))
                for row in shown:
                    pdf_table.row(row)
        if note:
            self.set_font("cjk", size=8)
            self.multi_cell(0, 4, note, new_x="LMARGIN", new_y="NEXT")
        self.ln(3)


def breakable(paragraph: str) -> str:
    """Chinese has no spaces to wrap at: a zero-width space between characters, none inside a
    number, so that a line never breaks 97.74 into 97. and 74."""
    return re.sub(r"(?<=[^0-9.,%+\-])(?=.)|(?<=.)(?=[^0-9.,%+\-])", "\u200b", paragraph)


def pdf_bytes(report: Report) -> bytes:
    pdf = ReportPdf(report)
    lang = report.lang
    for i, sheet in enumerate(report.sheets):
        pdf.add_page()
        if i == 0:
            pdf.heading(report.title, 16)
            pdf.heading(facts_line(report), 9)
        pdf.heading(sheet.name, 13)
        if sheet.paragraph:
            pdf.heading(word("narrative", lang), 11)
            pdf.set_font("cjk", size=10)
            paragraph = breakable(sheet.paragraph) if lang == "zh" else sheet.paragraph
            pdf.multi_cell(0, 6, paragraph, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(3)
        for table in sheet.tables:
            rows, note = table.rows, table.note
            if len(rows) > spec()["pdf_list_rows"]:
                rows = rows[:spec()["pdf_list_rows"]]
                note = word("sediment_list_cut", lang, n=len(table.rows), shown=len(rows))
            pdf.table_of(table, rows, note)
    return bytes(pdf.output())
