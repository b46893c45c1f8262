"""CSV for people to open in a spreadsheet: text cells neutralised against formula injection."""

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from ggzy.common.findings import neutralise


def cell_text(value) -> str:
    if value is None or value != value:  # None or NaN
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def csv_text(columns: Sequence[str], rows: Iterable[Sequence]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180; a CR inside a cell gets quoted too
    writer.writerow(columns)
    for row in rows:
        writer.writerow([neutralise(v) if isinstance(v, str) else cell_text(v) for v in row])
    return out.getvalue()
