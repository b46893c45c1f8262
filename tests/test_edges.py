"""The edges real months reach (issue: no silent wrong figure at the edges), each through the
command line with the figure worked out from the file by hand."""

import csv
import io
from decimal import Decimal

from conftest import csv_text, query, rows_of

from ggzy.cli import main


def _deal_amounts(path) -> Decimal:
    rows = csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8").replace("\r\n", "\n")))
    return sum((Decimal(r["deal_amount"]) for r in rows if r["deal_amount"]), Decimal("0"))


def test_a_file_mixing_crlf_and_lf_line_endings_loads_with_its_line_numbers(write, home, capsys):
    rows = rows_of("deals", *({"deal_amount": str(Decimal("900.00") + Decimal("1.01") * i),
                                      "savings_amount": str(Decimal("100.00") - Decimal("1.01") * i)}
                                     for i in range(5)),
                   {"bidder_count": "1"})
    lines = csv_text(rows).split("\n")
    lines[2] += "\r"  # the second data row ends in CRLF, the rest in LF
    lines[4] += "\r"
    deals = write("deals_2024-03.csv", "\n".join(lines))
    assert main(["--home", str(home), "load", str(deals)]) == 0
    out = capsys.readouterr().out
    assert "第 7 行 line 7" in out and "single_bid" in out  # the single bid, on its own line
    assert query(home, "select sum(deal_amount), count(*) from raw.deals") == [
        (_deal_amounts(deals), 6)]
    assert _deal_amounts(deals) == Decimal("5410.10")  # 900.00 + 901.01 + … + 904.04 + 900.00
