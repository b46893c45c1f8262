"""Write the spreadsheet cases of the export corpus, ``tests/data/exports/*.xlsx`` (committed).

    .venv/bin/python scripts/make_export_workbooks.py

Cells are typed as Excel stores them: amounts as numbers (one is the float 0.1 + 0.2), dates
as date and date-time cells (Excel serials with a date format), codes as numbers or text.
"""

from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook

OUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "exports"
def deal(project: str, section: object, region: object, category: str, mode: str, budget: object,
         amount: object, day: object, electronic: object = "是", bidders: int = 3) -> list:
    return [project, section, region, category, mode, budget, amount, "成交", day, electronic, bidders]


HEADER = ["招标项目编号", "标段（包）编号", "行政区域代码", "交易类别", "交易方式", "预算金额", "成交金额",
          "交易状态", "成交日期", "是否电子化交易", "投标人数"]


def dates_and_numbers() -> None:
    """Header on row 1; a blank row 4 between the data rows."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    sheet.append(HEADER)
    sheet.append(deal("XL-1", "001", 330213, "工程建设", "公开招标", 1234.56, 1200.0, date(2024, 3, 5),
                      bidders=4))
    sheet.append(deal("XL-2", "001", 330213, "政府采购", "询价", 100000.1, 99999.99,
                      datetime(2024, 3, 6, 14, 30)))
    sheet.append([])
    sheet.append(deal("XL-3", "002", 330213, "政府采购", "询价", 0.1 + 0.2, 0.3, date(2024, 3, 7), True, 2))
    book.save(OUT / "xlsx_dates_numbers_2024-03.xlsx")


def merged_title() -> None:
    """A title merged across the columns, a unit line, the header on row 3, a 合计 on row 6."""
    book = Workbook()
    sheet = book.active
    sheet.title = "成交项目"
    sheet.append(["某市公共资源交易中心 2024 年 3 月成交项目汇总表"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    sheet.append(["金额单位：万元"])
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=3)
    sheet.append(HEADER)
    sheet.append(deal("MT-1", "1", "330213", "工程建设", "公开招标", 356.78, 320.5, date(2024, 3, 11),
                      bidders=6))
    sheet.append(deal("MT-2", "1", "330213", "工程建设", "邀请招标", 1000, 987.6543, date(2024, 3, 12)))
    sheet.append(["合计", None, None, None, None, 1356.78, 1308.1543])
    book.save(OUT / "xlsx_merged_title_2024-03.xlsx")


def subtotal_wrong_on_second_sheet() -> None:
    """A notes sheet first; on sheet 成交: two groups with right 小计 rows and a wrong 总计."""
    book = Workbook()
    book.active.title = "填表说明"
    book.active.append(["本表由交易平台导出，金额单位为元"])
    sheet = book.create_sheet("成交")
    sheet.append(HEADER)
    sheet.append(deal("S-1", "1", "330106", "工程建设", "公开招标", 50000, 45000, date(2024, 3, 1),
                      bidders=5))
    sheet.append(["小计", None, None, None, None, 50000, 45000])
    sheet.append(deal("S-2", "1", "330106", "政府采购", "询价", 20000, 19500.5, date(2024, 3, 2)))
    sheet.append(deal("S-3", "1", "330106", "政府采购", "询价", 8000, 7999, date(2024, 3, 3)))
    sheet.append(["小计", None, None, None, None, 28000, 27499.5])
    sheet.append(["总计", None, None, None, None, 78000, 72995.5])  # the rows add up to 72,499.50
    book.save(OUT / "xlsx_subtotal_wrong_2024-03.xlsx")


if __name__ == "__main__":
    dates_and_numbers()
    merged_title()
    subtotal_wrong_on_second_sheet()
