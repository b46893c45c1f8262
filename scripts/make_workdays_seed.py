"""Write seeds/cn_workdays.csv: every date from 2004-01-01 to LAST_DATE with is_workday.

Source: the `chinesecalendar` package (MIT, https://github.com/LKI/chinese-calendar), which holds
the State Council holiday schedules (国务院办公厅关于部分节假日安排的通知) with their make-up
working days (调休) from 2004. Past the last year it covers, Monday to Friday are working days
(`is_official` = false on those rows); rerun this script after upgrading the package when the
next year's schedule is published.

Run: .venv/bin/python scripts/make_workdays_seed.py
"""

import csv
from datetime import date, timedelta
from importlib.metadata import version
from pathlib import Path

import chinese_calendar
from chinese_calendar import constants

OUT = Path(__file__).resolve().parent.parent / "seeds" / "cn_workdays.csv"
FIRST_DATE = date(2004, 1, 1)
LAST_DATE = date(2035, 12, 31)


def main() -> None:
    covered_until = date(max(constants.holidays).year, 12, 31)
    with OUT.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["calendar_date", "is_workday", "holiday_name", "is_official"])
        day = FIRST_DATE
        while day <= LAST_DATE:
            if day <= covered_until:
                _, holiday = chinese_calendar.get_holiday_detail(day)
                row = [chinese_calendar.is_workday(day), holiday or "", True]
            else:
                row = [day.weekday() < 5, "", False]
            writer.writerow([day.isoformat(), *(str(v).lower() if isinstance(v, bool) else v for v in row)])
            day += timedelta(days=1)
    print(f"wrote {OUT} (chinesecalendar {version('chinesecalendar')}, official until {covered_until})")


if __name__ == "__main__":
    main()
