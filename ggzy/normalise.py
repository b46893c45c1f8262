"""Turn the text cells of ``src`` into typed, canonical values, in SQL (temp table ``typed``).

Every contract column ``x`` becomes two columns: ``x__raw``, the trimmed text as the user wrote
it (NULL when empty), and ``x``, the typed value (NULL when empty *or* unparseable, so the
suites can tell the two apart). Facts that rules need but no single cell holds are added as
check columns (``n_key_rows``, ``savings_gap_amount``, …); the rules themselves are the Great
Expectations suites in ``expectations/``.
"""

import csv
from decimal import Decimal

import duckdb

from ggzy.codes import seed_path
from ggzy.contract import Column, Kind
from ggzy.warehouse import SQL_TYPES

BLANKS = " \t\u3000"
FULL_WIDTH = ("０１２３４５６７８９．，－／：＋　", "0123456789.,-/: ")
AMOUNT_NUMBER = r"-?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?"
DATE_PATTERN = (r"^(\d{4})(?:[-/.年](\d{1,2})[-/.月](\d{1,2})日?|(\d{2})(\d{2}))"
                r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
TRUE_WORDS = ("y", "yes", "是", "1", "true")
FALSE_WORDS = ("n", "no", "否", "0", "false")
MAX_AMOUNT = Decimal("9999999999999999.99")  # DECIMAL(18, 2)


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _words(words: tuple[str, ...]) -> str:
    return ", ".join(_quote(w) for w in words)


def unit_multipliers() -> tuple[dict[str, str], dict[str, str]]:
    """From ``seeds/price_units.csv``: code → multiplier, and the unit written after a number
    (its Chinese name, e.g. 万元) → multiplier."""
    with seed_path("price_units").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return {r["code"]: r["multiplier"] for r in rows}, {r["name_zh"]: r["multiplier"] for r in rows}


def _half_width(expr: str) -> str:
    return f"translate({expr}, '{FULL_WIDTH[0]}', '{FULL_WIDTH[1]}')"


def _amount(column: str, unit_column: str | None) -> str:
    """Exact yuan from ``1,234.56``, ``¥1,234.56``, ``1234.56元``, ``0.123456 万元``; NULL if the
    text is no amount or has fractions of a fen. A unit written in the cell wins over the row's
    ``price_unit`` (it is the more specific of the two)."""
    by_code, by_suffix = unit_multipliers()
    suffixes = "|".join(sorted(by_suffix, key=len, reverse=True))
    text = f"replace({_half_width(column + '__raw')}, ' ', '')"
    number = f"regexp_replace(regexp_replace({text}, '({suffixes})$', ''), '^[¥￥]', '')"
    suffix = f"regexp_extract({text}, '({suffixes})$', 1)"
    multiplier = "case " + " ".join(f"when {suffix} = {_quote(s)} then {m}" for s, m in by_suffix.items())
    if unit_column:
        multiplier += " " + " ".join(f"when {unit_column} = {_quote(c)} then {m}" for c, m in by_code.items())
    multiplier += " else 1 end"
    value = f"try_cast(replace({number}, ',', '') as decimal(38, 10)) * {multiplier}"
    return f"""case when regexp_full_match({number}, '{AMOUNT_NUMBER}')
        and {value} = round({value}, 2) and abs({value}) <= {MAX_AMOUNT}
        then cast({value} as decimal(18, 2)) end"""


def _date(column: str) -> str:
    parts = f"regexp_extract({_half_width(column + '__raw')}, '{DATE_PATTERN}', ['y', 'm', 'd', 'm2', 'd2'])"
    return f"""try_strptime(concat_ws('-', {parts}.y,
        coalesce(nullif({parts}.m, ''), {parts}.m2), coalesce(nullif({parts}.d, ''), {parts}.d2)),
        '%Y-%m-%d')::date"""


def _defaulted(column: Column, value: str) -> str:
    """The column's default stands in for an empty cell only, never for an unparseable one."""
    if column.default is None:
        return value
    default = f"cast({_quote(column.default)} as {SQL_TYPES[column.type]})"
    return f"case when {column.name}__raw is null then {default} else {value} end"


def _simple(column: Column) -> str:
    raw = f"{column.name}__raw"
    match column.type:
        case "text":
            return raw
        case "boolean":
            word = f"lower({_half_width(raw)})"
            value = (f"case when {word} in ({_words(TRUE_WORDS)}) then true "
                     f"when {word} in ({_words(FALSE_WORDS)}) then false end")
            return _defaulted(column, value)
        case "integer":
            digits = _half_width(raw)
            return f"case when regexp_full_match({digits}, '\\d{{1,9}}') then {digits}::bigint end"
        case "date":
            return _date(column.name)
        case "code":
            return _defaulted(column, f"{column.name}_codes.code")
        case "region":
            return "regions.region_code"
    raise ValueError(column.type)


def _joins(kind: Kind) -> str:
    joins = [
        f"left join code_aliases as {c.name}_codes on {c.name}_codes.code_list = '{c.code_list}'"
        f" and {c.name}_codes.alias_key = lower({c.name}__raw)"
        for c in kind.columns if c.type == "code"
    ]
    joins += [f"left join regions on regions.region_code = {_half_width(c.name + '__raw')}"
              for c in kind.columns if c.type == "region"]
    return "\n".join(joins)


def _check_columns(kind: Kind) -> str:
    """Facts for the rules that span columns or rows (see the suites)."""
    if kind.name == "deals":
        return """, savings_amount - (budget_amount - deal_amount) as savings_gap_amount,
            case when trade_categories.price_kind = 'procurement' and budget_amount > 0
                then deal_amount / budget_amount end as deal_budget_ratio"""
    if kind.name == "refunds":
        return """, security.pay_form as security_pay_form,
            security.received_date as security_received_date,
            security.amount as security_amount,
            sum(amounts.refund_amount) over (partition by amounts.security_id)
                + coalesce(settled_before.amount, 0) as refund_total_amount"""
    return ""


def _check_joins(kind: Kind, latest: dict[str, str]) -> str:
    if kind.name == "deals":
        return "left join trade_categories on trade_categories.code = amounts.trade_category"
    if kind.name == "refunds":
        return f"""left join ({latest['securities']}) as security
                on security.security_id = amounts.security_id
            left join (
                select security_id, sum(refund_amount) as amount from ({latest['refunds']})
                where refund_id not in (select refund_id__raw from src_cells where refund_id__raw is not null)
                group by security_id
            ) as settled_before on settled_before.security_id = amounts.security_id"""
    return ""


def create_typed(con: duckdb.DuckDBPyConnection, kind: Kind, latest: dict[str, str]) -> None:
    """``src`` → temp table ``typed``. ``latest`` gives, per kind, a query of the warehouse's
    current rows (the latest non-retracted version of each key), for cross-file checks."""
    raws = ", ".join(f"nullif(trim({c.name}, '{BLANKS}'), '') as {c.name}__raw" for c in kind.columns)
    key = ", ".join(f"{k}__raw" for k in kind.key)
    simple = ",\n".join(f"{_simple(c)} as {c.name}" for c in kind.columns if c.type != "amount")
    unit = "price_unit" if any(c.name == "price_unit" for c in kind.columns) else None
    amounts = ",\n".join(f"{_amount(c.name, unit)} as {c.name}"
                         for c in kind.columns if c.type == "amount")
    con.execute(f"""
        create or replace temp table src_cells as
        select line_number, {raws}, count(*) over (partition by {key}) as n_key_rows from src
    """)
    con.execute(f"""
        create or replace temp table typed as
        with simple as (
            select src_cells.*, {simple}
            from src_cells
            {_joins(kind)}
        ),
        amounts as (
            select simple.*, {amounts} from simple
        )
        select amounts.* {_check_columns(kind)}
        from amounts
        {_check_joins(kind, latest)}
        order by line_number
    """)
    con.execute("drop table src_cells")
