"""The two well-kept xlsx readers on one 100,000-row sheet of deals (issue #13).

    .venv/bin/python bench/xlsx_readers.py make bench/data/deals_100k.xlsx
    farm-bench -n 5 --vs '.venv/bin/python bench/xlsx_readers.py openpyxl bench/data/deals_100k.xlsx' \
        -- .venv/bin/python bench/xlsx_readers.py calamine bench/data/deals_100k.xlsx

Each reader reads every row of the first sheet as Python values (what ggzy/ingest/read.py needs) and
prints the row count and the sum of the amount column, so both can be seen to read the same.
"""

import sys
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

HEADER = ("招标项目编号", "标段（包）编号", "行政区域代码", "交易类别", "交易方式", "预算金额（万元）",
          "成交金额（万元）", "交易状态", "成交日期", "是否电子化交易")


def make(path: Path, rows: int = 100_000) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("成交项目")
    sheet.append(["2024年3月成交项目统计表"])
    sheet.append(HEADER)
    for i in range(rows):
        budget = Decimal(100 + i % 9_000) + Decimal(i % 100) / 100
        sheet.append([f"P{i:07d}", "001", "330213", "工程建设", "公开招标", float(budget),
                      float(budget - Decimal("1.01")), "成交", date(2024, 3, 1) + timedelta(i % 28), "是"])
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)


def read_calamine(path: Path) -> list[list]:
    from python_calamine import CalamineWorkbook

    return CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python(skip_empty_area=False)


def read_openpyxl(path: Path) -> list[list]:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    rows = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    book.close()
    return rows


def main(what: str, path: str) -> None:
    if what == "make":
        make(Path(path))
        return
    rows = {"calamine": read_calamine, "openpyxl": read_openpyxl}[what](Path(path))
    total = sum(Decimal(f"{r[5]:.15g}") for r in rows[2:])
    print(what, len(rows), total)


if __name__ == "__main__":
    main(*sys.argv[1:])
