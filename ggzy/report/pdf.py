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
TEXT_WIDTH = 40  # display columns (a Chinese character two) a text column takes at most before it wraps


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

    def table_of(self, table: Table, rows: tuple[tuple[Cell, ...], ...], note: str, sheet: str) -> None:
        if table.title != sheet:  # a sheet of one table (分类别) is not titled twice
            self.heading(table.title, 11)
        if table.headers:
            self.set_font("cjk", size=7 if len(table.headers) > 8 else 8)
            shown = [[text(c, self.report.lang) for c in row] for row in rows]
            kinds = [rows[0][i].kind if rows else "text" for i in range(len(table.headers))]
            widths = [column_width(h, [r[i] for r in shown[:200]], kind)
                      for i, (h, kind) in enumerate(zip(table.headers, kinds, strict=True))]
            # Chinese headers wrap where header_parts allow; English ones at their spaces
            headers = [h if self.report.lang == "en" or display_width(h) <= w else "\n".join(header_parts(h))
                       for h, w in zip(table.headers, widths, strict=True)]
            align = ["RIGHT" if kind in NUMBER_KINDS else "LEFT" for kind in kinds]
            with self.table(col_widths=widths, text_align=align, headings_style=HEADINGS, line_height=4.5,
                            repeat_headings=1) as pdf_table:
                pdf_table.row(headers)
                for row in shown:
                    pdf_table.row(row)
        if note:
            self.set_font("cjk", size=8)
            self.multi_cell(0, 4, note, new_x="LMARGIN", new_y="NEXT")
        self.ln(3)


# What a line may break between: a number with its unit (14.15亿元, 3.20万UAH, 0.46个百分点), an English
# word, or one character; closing punctuation stays with what precedes it (no line starts with
# "，"), opening punctuation with what follows (Chinese line-breaking rules, 禁则).
PIECE = re.compile(r"[+\-]?[0-9][0-9,.]*(?:%|个百分点|[亿万]?(?:元|[A-Z]{3})|宗|笔|个|天)?"
                   r"|[A-Za-z][A-Za-z'\-]*|.", re.S)
CLOSING = set("，。、；：？！）》」』”’%…,.;:?!)")
OPENING = set("（《「『“‘(")


def pieces(paragraph: str) -> list[str]:
    """The paragraph as the pieces a line may break between."""
    found: list[str] = []
    opening = ""
    for piece in PIECE.findall(paragraph):
        if piece in OPENING:
            opening += piece
        elif found and piece in CLOSING:
            found[-1] += piece
        else:
            found.append(opening + piece)
            opening = ""
    return found


def lines(pdf: FPDF, paragraph: str, width: float) -> list[str]:
    """The paragraph broken into lines no wider than ``width`` at the current font, between pieces
    only; no line starts with a space."""
    broken, line = [], ""
    for piece in pieces(paragraph):
        if line and pdf.get_string_width(line + piece) > width:
            broken.append(line.rstrip())
            line = piece.lstrip()
        else:
            line += piece
    return [*broken, line.rstrip()] if line.strip() else broken


def column_width(header: str, cells: list[str], kind: str) -> int:
    """A column's share of the line: its widest cell or header part; a long text (a 说明) wraps
    within TEXT_WIDTH rather than squeeze the figures beside it until "MoM" breaks."""
    widest = max((display_width(c) for c in cells), default=0)
    return max(4, *(display_width(p) for p in header_parts(header)),
               widest if kind in NUMBER_KINDS else min(widest, TEXT_WIDTH))


def header_parts(header: str) -> list[str]:
    """Where a header may wrap: before a bracketed unit, and at spaces (成交金额 / （万元））."""
    return [p for p in re.split(r"(?=（)| (?=\()| ", header) if p]


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
            for line in lines(pdf, sheet.paragraph, pdf.epw):
                pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(3)
        for table in sheet.tables:
            rows, note = table.rows, table.note
            if len(rows) > spec()["pdf_list_rows"]:
                rows = rows[:spec()["pdf_list_rows"]]
                note = word("sediment_list_cut", lang, n=len(table.rows), shown=len(rows))
            pdf.table_of(table, rows, note, sheet.name)
    return bytes(pdf.output())
