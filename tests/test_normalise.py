"""Property-based tests of the normalisers (ggzy/ingest/normalise.py): any cell either parses to the
value it means or comes out NULL, and a NULL from a non-empty cell is always reported by the
input suites. The cells go through the real SQL of ``create_typed`` in DuckDB."""

import calendar
import csv
import json
import re
from datetime import date
from decimal import Decimal
from functools import cache

import duckdb
import pyarrow as pa
from conftest import DEAL
from hypothesis import given, settings
from hypothesis import strategies as st

from ggzy.common.codes import create_reference_tables, seed_path
from ggzy.common.contract import BY_NAME
from ggzy.common.warehouse import create_schemas
from ggzy.ingest.mapping import national
from ggzy.ingest.normalise import FALSE_WORDS, FULL_WIDTH, MAX_AMOUNT, TRUE_WORDS, create_typed
from ggzy.ingest.validate import SUITES_DIR

DEALS = BY_NAME["deals"]
FEN = Decimal("0.01")
PROPERTY = settings(max_examples=150, deadline=None)


@cache
def _connection() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    create_reference_tables(con, national().code_values())
    create_schemas(con)  # an empty warehouse: the current rows a file is checked against
    return con


def normalise(column: str, cells: list[str]) -> list:
    """The typed values of ``cells`` put in ``column`` of otherwise valid deals rows."""
    con = _connection()
    rows = {c.name: [cells[i] if c.name == column else DEAL.get(c.name, "") for i in range(len(cells))]
            for c in DEALS.columns}
    rows["bid_section_code"] = [f"S{i}" for i in range(len(cells))]
    con.register("cells", pa.table({"line_number": list(range(2, len(cells) + 2)), **rows}))
    con.execute("create or replace temp table src as select *, null::varchar as total_label from cells")
    create_typed(con, DEALS, "memory", {})
    return [value for (value,) in con.execute(f"select {column} from typed order by line_number").fetchall()]


# ---- amounts

def _grouped(text: str) -> str:
    whole, _, fraction = text.partition(".")
    return f"{int(whole):,}" + (f".{fraction}" if fraction else "")


def _full_width(text: str) -> str:
    return text.translate(str.maketrans(FULL_WIDTH[1], FULL_WIDTH[0]))


SPELLINGS = [
    lambda v: str(v),
    lambda v: _grouped(str(v)),
    lambda v: "¥" + _grouped(str(v)),
    lambda v: "￥" + str(v),
    lambda v: f"{v}元",
    lambda v: f" {_grouped(str(v))} 元 ",
    lambda v: _full_width(str(v)) + "元",
    lambda v: f"{(v / 10000).normalize():f}万元",
]
amounts = st.decimals(min_value=0, max_value=MAX_AMOUNT, places=2, allow_nan=False, allow_infinity=False)


@PROPERTY
@given(st.lists(st.tuples(amounts, st.sampled_from(range(len(SPELLINGS)))), min_size=1, max_size=40))
def test_every_documented_amount_spelling_gives_the_exact_yuan(values):
    cells = [SPELLINGS[i](v) for v, i in values]
    assert normalise("budget_amount", cells) == [v for v, _ in values]


def _meaning(cell: str) -> Decimal | None:
    """What an amount cell says, read independently: the decorations the contract allows taken
    away (blanks, ¥, 元 / 万元, thousands commas, full-width digits), the rest as a number."""
    text = cell.translate(str.maketrans(*FULL_WIDTH)).replace(" ", "").replace("\u3000", "")
    unit = Decimal(10000) if text.endswith("万元") else Decimal(1)
    text = text.removesuffix("万元").removesuffix("元").lstrip("¥￥").replace(",", "")
    if not re.fullmatch(r"-?\d+(\.\d+)?", text):
        return None
    return Decimal(text) * unit


amount_text = st.text(alphabet="0123456789０１２,.，．-¥￥元万e E+NaInf\u3000", max_size=14)


@PROPERTY
@given(st.lists(amount_text, min_size=1, max_size=40))
def test_any_amount_text_parses_to_what_it_says_or_to_null(cells):
    for cell, value in zip(cells, normalise("budget_amount", cells), strict=True):
        if value is not None:
            assert _meaning(cell) == value, cell
            assert value == value.quantize(FEN) and abs(value) <= MAX_AMOUNT


# ---- dates

SHAPES = ["{y}-{m:02d}-{d:02d}", "{y}/{m}/{d}", "{y}{m:02d}{d:02d}", "{y}年{m}月{d}日",
          "{y}-{m:02d}-{d:02d} 14:30:00", "{y}/{m}/{d} 9:05"]


@PROPERTY
@given(st.lists(st.tuples(st.integers(2000, 2099), st.integers(1, 12), st.integers(1, 31),
                          st.sampled_from(SHAPES)), min_size=1, max_size=40))
def test_dates_in_every_shape_parse_and_impossible_days_do_not(parts):
    cells = [shape.format(y=y, m=m, d=d) for y, m, d, shape in parts]
    expected = [date(y, m, d) if d <= calendar.monthrange(y, m)[1] else None for y, m, d, _ in parts]
    assert normalise("deal_date", cells) == expected


@PROPERTY
@given(st.lists(st.text(alphabet="0123456789-/.年月日 T:２", max_size=20), min_size=1, max_size=40))
def test_any_date_text_parses_to_the_date_its_digits_say_or_to_null(cells):
    for cell, value in zip(cells, normalise("deal_date", cells), strict=True):
        if value is not None:
            digits = re.findall(r"\d+", cell.replace("２", "2"))
            y, m, d = (digits[0][:4], digits[0][4:6], digits[0][6:8]) if len(digits[0]) == 8 else digits[:3]
            assert value == date(int(y), int(m), int(d)), cell


# ---- booleans and codes

def _any_case(word: str, flips: list[bool]) -> str:
    flips = (flips + [False] * len(word))[:len(word)]
    return "".join(ch.upper() if flip else ch for ch, flip in zip(word, flips, strict=True))


@PROPERTY
@given(st.lists(st.tuples(st.sampled_from(TRUE_WORDS + FALSE_WORDS), st.lists(st.booleans(), max_size=5)),
                min_size=1, max_size=40))
def test_boolean_words_in_any_case(words):
    cells = [_any_case(w, flips) for w, flips in words]
    assert normalise("is_electronic", cells) == [w in TRUE_WORDS for w, _ in words]


@PROPERTY
@given(st.lists(st.text(max_size=6), min_size=1, max_size=40))
def test_any_other_boolean_text_is_null(cells):
    words = {w.lower() for w in TRUE_WORDS + FALSE_WORDS}
    half_width = str.maketrans(*FULL_WIDTH)
    cells = [c for c in cells if c.translate(half_width).strip(" \t").lower() not in words]
    if cells:
        assert normalise("is_remote_evaluation", cells) == [
            False if not c.strip(" \t\u3000") else None for c in cells]  # empty: the default N


def _aliases(seed: str) -> dict[str, str]:
    with seed_path(seed).open(encoding="utf-8") as f:
        return {alias.lower(): row["code"] for row in csv.DictReader(f) for alias in
                [row["code"], row["name_zh"], row["name_en"], *filter(None, row["aliases"].split("|"))]}


TRADE_CATEGORIES = _aliases("trade_categories")


@PROPERTY
@given(st.lists(st.one_of(st.sampled_from(sorted(TRADE_CATEGORIES)), st.text(min_size=1, max_size=6)),
                min_size=1, max_size=40))
def test_codes_resolve_their_aliases_in_any_case_and_nothing_else(cells):
    cells = [c.upper() if i % 2 else f" {c}\u3000" for i, c in enumerate(cells)]
    expected = [TRADE_CATEGORIES.get(c.strip(" \t\u3000").lower()) for c in cells]
    assert normalise("trade_category", cells) == expected


# ---- and whatever comes out NULL from a filled cell is reported

def test_every_typed_column_is_checked_where_its_cell_is_filled_but_its_value_is_null():
    for kind in BY_NAME.values():
        suite = json.loads((SUITES_DIR / f"input_{kind.name}.json").read_text(encoding="utf-8"))
        checked = {column for e in suite["expectations"] if e["type"] == "expect_column_values_to_not_be_null"
                   and e["kwargs"].get("row_condition") == {"type": "nullity", "is_null": False, "column": {
                       "name": (column := e["kwargs"]["column"]) + "__raw"}}}
        assert checked == {c.name for c in kind.columns if c.type != "text"}, kind.name
