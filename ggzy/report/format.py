"""How the monthly report shows things: its words (``ggzy/report/report.toml``, Chinese and English),
its tables of typed cells, and each kind of figure as text, with the decimals both the PDF and
the workbook's number formats use (``PLACES``). Every table shows its amounts in 万元 (``WAN``),
whatever their size: a row reads the same unit every month."""

import calendar
import re
import tomllib
import unicodedata
from dataclasses import dataclass, fields, is_dataclass, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path

import pandas as pd

LANGUAGES = ("zh", "en")
WAN = Decimal(10_000)
PLACES = {"count": 0, "amount": 2, "rate": 2, "days": 1, "percent": 2, "pp": 2}  # shown decimals
# The words that name yuan as an amount's unit: what another currency's warehouse shows its code for
YUAN_WORDS = re.compile(r"(?<=[万亿（])元|\byuan\b|\bCNY\b")


@cache
def spec() -> dict:
    """ggzy/report/report.toml: the report's words, metric lists and narrative sentences."""
    return tomllib.loads(Path(__file__).with_name("report.toml").read_text(encoding="utf-8"))


def word(key: str, lang: str, **fields) -> str:
    text = spec()["words"][key][LANGUAGES.index(lang)]
    return text.format(**fields) if fields else text


def present(value) -> bool:
    """Whether a value from the marts is known (not null, NaN or NaT)."""
    return value is not None and not pd.isna(value)


@dataclass(frozen=True)
class Cell:
    """One figure or text: ``kind`` says how to show it — text, count, amount (yuan, shown in 万元),
    rate (a share), days, percent or pp (a change), date, datetime; ``blank`` what stands where
    the value is missing (— where a figure does not apply or has no base, 未报送 where its files
    were not sent)."""
    value: object
    kind: str = "text"
    blank: str = ""


@dataclass(frozen=True)
class Table:
    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    note: str = ""


@dataclass(frozen=True)
class Sheet:
    name: str
    tables: tuple[Table, ...]
    paragraph: str = ""


@dataclass(frozen=True)
class Report:
    title: str
    facts: tuple[tuple[str, str], ...]  # region, period, data as of, build
    period: str  # what each page's footer names
    sheets: tuple[Sheet, ...]
    lang: str

    @property
    def narrative(self) -> str:
        return self.sheets[0].paragraph


def facts_line(report: Report) -> str:
    """地区：全部地区　统计期：2024年8月　…: the line under every sheet's title."""
    return word("facts_separator", report.lang).join(
        word("fact", report.lang, label=label, value=value) for label, value in report.facts)


def in_currency(text, currency: str):
    """Words written for yuan in the warehouse's currency, when it is another: 万元, 亿元, （元）,
    10k yuan, CNY 1.2 million become 万UAH, 亿UAH, （UAH）, 10k UAH, UAH 1.2 million. Anything else,
    and every word in a CNY warehouse, as it is. Applied to a report (a dataclass of tuples of
    dataclasses), its every text: a text cell, a title, a header, a note, the paragraph."""
    if currency == "CNY":
        return text
    if isinstance(text, str):
        return YUAN_WORDS.sub(currency, text)
    if isinstance(text, tuple):
        return tuple(in_currency(t, currency) for t in text)
    if isinstance(text, Cell) and text.kind != "text":
        return text
    if is_dataclass(text):
        return replace(text, **{f.name: in_currency(getattr(text, f.name), currency) for f in fields(text)})
    return text


def exact_share(value) -> str:
    """A risk flag's share as a percentage to the precision it fired at (its six stored
    decimals): 2.01%, 2.0036% above a 2% cap, never a rounded 2.00% above 2.00%; — when unknown."""
    if not present(value):
        return "—"
    return f"{Decimal(value) * 100:.4f}".rstrip("0").rstrip(".") + "%"


def exact_yuan(value) -> str:
    """A risk flag's amount to the fen (a deposit against its cap: 20,000.01 above 20,000.00,
    which 万元 would round alike); — when unknown."""
    return f"{Decimal(value):,.2f}" if present(value) else "—"


def rounded(number: Decimal, places: int) -> str:
    """Half up, as a spreadsheet shows it, with thousands separated."""
    return f"{number.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP):,}"


def text(cell: Cell, lang: str = "zh") -> str:
    """A cell as the PDF shows it: PLACES decimals, amounts in 万元, rates and changes signed with
    their unit; its ``blank`` when unknown."""
    if not present(cell.value):
        return cell.blank
    if cell.kind in PLACES:
        number = Decimal(cell.value) / (WAN if cell.kind == "amount" else 1)
        shown = rounded(number * 100 if cell.kind == "rate" else number, PLACES[cell.kind])
        sign = "+" if cell.kind in ("percent", "pp") and number > 0 else ""
        suffix = {"rate": "%", "percent": "%", "pp": " " + word("percentage_points", lang)}
        return sign + shown + suffix.get(cell.kind, "")
    if cell.kind == "date":
        return f"{cell.value:%Y-%m-%d}"
    if cell.kind == "datetime":
        return f"{cell.value:%Y-%m-%d %H:%M}"
    return str(cell.value)


def region_path(names: list) -> list[str]:
    """A region's names from its province down, each once and none missing (北京市 is its own
    prefecture): what the report and the dashboard's header call a region."""
    return [n for i, n in enumerate(names) if present(n) and n not in names[:i]]


def display_width(shown: str) -> int:
    """How many columns a text takes: a Chinese character two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in shown)


def _in_words(words: str, unit: str, lang: str) -> str:
    """``{unit}`` named; in English, Chinese brackets as English ones: 金额（万元）, Amount (10k yuan)."""
    words = words.replace("{unit}", unit)
    return words if lang == "zh" else words.replace("（", " (").replace("）", ")").lstrip()


def table(title: str, headers: list[str], rows: list[list[Cell]], lang: str, note: str = "") -> Table:
    """A table whose amounts are in 万元, named where a header or a row's unit cell says ``{unit}``."""
    unit = word("amount_unit_wan", lang)
    rows = [[Cell(_in_words(c.value, unit, lang)) if c.kind == "text" and isinstance(c.value, str) else c
             for c in row] for row in rows]
    return Table(title, tuple(_in_words(h, unit, lang) for h in headers), tuple(map(tuple, rows)), note)


def month_name(month: date, lang: str, form: str = "month_name") -> str:
    """The month as words: month_name 2024年8月 / August 2024, month_short 8月 / August, ytd_name
    (year to date) 2024年1—8月 / January–August 2024, or January alone."""
    form = "month_name" if form == "ytd_name" and month.month == 1 else form
    return word(form, lang, year=month.year, month=month.month, month_en=calendar.month_name[month.month])
