"""Turn the text cells of ``src`` into typed, canonical values, in SQL (table ``typed``).

Every contract column ``x`` becomes two columns: ``x__raw``, the trimmed text as the user wrote
it (NULL when empty), and ``x``, the typed value (NULL when empty *or* unparseable, so the
suites can tell the two apart). Facts that rules need but no single cell holds are added as
check columns (``n_key_rows``, ``savings_gap_amount``, …); the rules themselves are the Great
Expectations suites in ``expectations/``.
"""

from datetime import date
from decimal import Decimal

import duckdb

from ggzy.common.accounts import hashed_sql, masked_sql
from ggzy.common.codes import unit_multipliers
from ggzy.common.contract import BLANKS, BY_NAME, Column, Kind
from ggzy.common.findings import Finding
from ggzy.common.warehouse import SQL_TYPES
from ggzy.ingest.current import attempts_sql, current_sql, moved_securities_sql

FULL_WIDTH = ("０１２３４５６７８９．，－／：＋　", "0123456789.,-/:+ ")
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


def _half_width(column: str) -> str:
    """Full-width digits and signs as ASCII; only a cell with a non-ASCII character (more bytes
    than characters) is translated, the rest pass as they are: 17× faster on a million cells."""
    return (f"case when strlen({column}) = length({column}) then {column} "
            f"else translate({column}, '{FULL_WIDTH[0]}', '{FULL_WIDTH[1]}') end")


def trimmed(column: str) -> str:
    """The cell without the blanks around it (BLANKS), NULL when nothing is left; only a cell
    starting or ending with a blank is trimmed (a trim costs more than the test)."""
    blanks = f"'{BLANKS}'"
    edged = f"contains({blanks}, left({column}, 1)) or contains({blanks}, right({column}, 1))"
    return f"nullif(case when {edged} then trim({column}, {blanks}) else {column} end, '')"


def unit_whens(expression: str, multipliers: dict[str, str]) -> str:
    """``when <expression> = <unit> then <multiplier>`` for each unit: the arms of a case that
    turns a unit (a cell's suffix, a ``price_unit`` code) into its multiplier."""
    return " ".join(f"when {expression} = {_quote(unit)} then {m}" for unit, m in multipliers.items())


def _amount_parts(column: str) -> list[str]:
    """The number and the unit written in an amount cell (first step of ``_amount``); the unit,
    ``<column>__suffix`` (NULL when none), stays in ``typed`` for the unit checks."""
    _, by_suffix = unit_multipliers()
    suffixes = "|".join(sorted(by_suffix, key=len, reverse=True))
    text = f"replace({_half_width(column + '__raw')}, ' ', '')"
    return [f"regexp_replace(regexp_replace({text}, '({suffixes})$', ''), '^[¥￥]', '') as {column}__number",
            f"nullif(regexp_extract({text}, '({suffixes})$', 1), '') as {column}__suffix"]


def _amount_value(column: str, unit_column: str | None, header_multiplier: str | None) -> str:
    """The number times its unit: the unit written in the cell, else the one its header (or a
    title row, or the mapping) gives, else the row's ``price_unit``: the more specific wins."""
    by_code, by_suffix = unit_multipliers()
    multiplier = f"case {unit_whens(column + '__suffix', by_suffix)}"
    if unit_column and not header_multiplier:
        multiplier += f" {unit_whens(unit_column, by_code)}"
    multiplier += f" else {header_multiplier or 1} end"
    number = f"try_cast(replace({column}__number, ',', '') as decimal(38, 10))"
    return f"{number} * {multiplier} as {column}__value"


def _amount(column: str) -> str:
    """Exact yuan from ``1,234.56``, ``¥1,234.56``, ``1234.56元``, ``0.123456 万元``; NULL if the
    text is no amount or has fractions of a fen."""
    value = f"{column}__value"
    return f"""case when regexp_full_match({column}__number, '{AMOUNT_NUMBER}')
        and {value} = round({value}, 2) and abs({value}) <= {MAX_AMOUNT}
        then cast({value} as decimal(18, 2)) end"""


def _too_large(column: str) -> str:
    """An amount that is a number in its unit, only beyond what DECIMAL(18, 2) holds."""
    return f"""coalesce(regexp_full_match({column}__number, '{AMOUNT_NUMBER}')
        and abs({column}__value) > {MAX_AMOUNT}, false)"""


def _date_parts(column: str) -> list[str]:
    return [f"regexp_extract({_half_width(column + '__raw')}, '{DATE_PATTERN}', "
            f"['y', 'm', 'd', 'm2', 'd2']) as {column}__date_parts"]


def _date(column: str) -> str:
    parts = f"{column}__date_parts"
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
        case "account":
            return hashed_sql(_half_width(f"{column.name}__clear"))
    raise ValueError(column.type)


def _raw(column: Column) -> str:
    """``<column>__raw``, the cell as written; an account number only masked (its clear text,
    ``<column>__clear``, is hashed and dropped before ``typed`` is made: ggzy/common/accounts.py)."""
    if column.type == "account":
        clear = f"{column.name}__clear"
        return f"{trimmed(column.name)} as {clear}, {masked_sql(_half_width(clear))} as {column.name}__raw"
    return f"{trimmed(column.name)} as {column.name}__raw"


def _joins(kind: Kind) -> str:
    joins = [
        f"left join code_aliases as {c.name}_codes on {c.name}_codes.code_list = '{c.code_list}'"
        f" and {c.name}_codes.alias_key = lower({c.name}__raw)"
        for c in kind.columns if c.type == "code"
    ]
    joins += [f"left join code_aliases as {c.name}_mapped on {c.name}_mapped.code_list = 'regions'"  # a
              f" and {c.name}_mapped.alias_key = lower({c.name}__raw)"  # mapping file's [values.region_code]
              f" left join regions on regions.region_code = coalesce({c.name}_mapped.code, "
              f"{_half_width(c.name + '__raw')})" for c in kind.columns if c.type == "region"]
    return "\n".join(joins)


def _region_column(kind: Kind) -> str | None:
    return next((c.name for c in kind.columns if c.type == "region"), None)


def _retired_region(kind: Kind) -> str:
    """``retired_region``: when a row's region code was retired by the row's date, the date it was
    retired by and its successor (or, when the lists cannot tell, its prefecture)."""
    if _region_column(kind) is None:
        return ""
    return f""", case when amounts.{kind.date_column} >= region_row.valid_to::date then
                region_row.valid_to || ' → ' || coalesce(successor.region_code || ' ' || successor.name_zh,
                    prefecture.name_zh || ' ' || prefecture.region_code
                    || ' 的现行区县之一 one of its current counties') end as retired_region"""


def _retired_region_joins(kind: Kind) -> str:
    region = _region_column(kind)
    if region is None:
        return ""
    return f"""left join regions as region_row on region_row.region_code = amounts.{region}
        left join regions as successor on successor.region_code = region_row.successor_code
        left join regions as prefecture on prefecture.region_code = region_row.prefecture_code"""


def _check_columns(kind: Kind) -> str:
    """Facts for the rules that span columns or rows (see the suites)."""
    if kind.name == "deals":
        return """, savings_amount - (budget_amount - deal_amount) as savings_gap_amount,
            case when deal_status <> 'concluded' then deal_amount end as unconcluded_deal_amount,
            case when trade_categories.price_kind = 'procurement' and budget_amount > 0
                then deal_amount / budget_amount end as deal_budget_ratio"""
    if kind.name == "refunds":
        return """, security.pay_form as security_pay_form,
            security.received_date as security_received_date,
            security.amount as security_amount,
            sum(amounts.refund_amount) over (partition by amounts.security_id)
                + coalesce(settled_before.amount, 0) as refund_total_amount"""
    return ""


def _check_joins(kind: Kind, catalog: str, replacing: date | None) -> str:
    if kind.name == "deals":
        return "left join trade_categories on trade_categories.code = amounts.trade_category"
    if kind.name == "refunds":
        securities = current_sql(BY_NAME["securities"], catalog,
                                 "select security_id__raw as security_id from src_cells")
        refunds_of_them = (f"select refund_id from {catalog}.raw.refunds "
                           "where security_id in (select security_id__raw from src_cells)")
        withdrawn = f"and load_period <> '{replacing.isoformat()}'" if replacing else ""
        return f"""left join ({securities}) as security
                on security.security_id = amounts.security_id
            left join (
                select security_id, sum(refund_amount) as amount
                from ({current_sql(BY_NAME['refunds'], catalog, refunds_of_them)})
                where refund_id not in (select refund_id__raw from src_cells where refund_id__raw is not null)
                    {withdrawn}
                group by security_id
            ) as settled_before on settled_before.security_id = amounts.security_id"""
    return ""


VERSION_CHECKS = {"deals": attempts_sql, "securities": moved_securities_sql}  # see ggzy/ingest/current.py
# the columns by which create_typed reads rows of a file's own kind from the warehouse (attempts_sql,
# moved_securities_sql, the refunds settled before): another file of the kind landing can change a
# file's typed table only through rows with one of its values of these (or by withdrawing rows);
# a bids file reads none: its key stands there
OWN_KIND_KEYS = {"deals": ("tender_project_code", "bid_section_code"), "securities": ("security_id",),
                 "refunds": ("security_id",),
                 "bids": ("tender_project_code", "bid_section_code", "bidder_code")}


def own_kind_key_values(kind: Kind, typed: str) -> str:
    """The values of OWN_KIND_KEYS in the table ``typed`` (a file's), as read and as cleaned."""
    keys = OWN_KIND_KEYS[kind.name]
    return (f"select {', '.join(keys)} from {typed} "
            f"union select {', '.join(f'{k}__raw' for k in keys)} from {typed}")


def create_typed(con: duckdb.DuckDBPyConnection, kind: Kind, catalog: str, units: dict[str, str],
                 replacing: date | None = None) -> None:
    """``src`` → table ``typed`` in the current schema (not temporary: the GX suites read it through
    a second connection), and its total rows (合计, 小计) → table ``total_rows``, parsed alike.
    ``units``: an amount column's multiplier when its header says it (read.Layout). Cross-file
    checks read the current rows of the warehouse attached as ``catalog`` (``replacing``: the
    period a ``--replace`` load withdraws)."""
    raws = ", ".join(_raw(c) for c in kind.columns)
    key = ", ".join(f"{k}__raw" for k in kind.key)
    simple = ",\n".join(f"{_simple(c)} as {c.name}" for c in kind.columns if c.type != "amount")
    unit = "price_unit" if any(c.name == "price_unit" for c in kind.columns) else None
    amount_columns = [c.name for c in kind.columns if c.type == "amount"]
    # the regular expressions run once per cell, in ``parsed``; later steps name their results
    parts = [*(p for c in amount_columns for p in _amount_parts(c)),
             *(p for c in kind.columns if c.type == "date" for p in _date_parts(c.name))]
    values = [_amount_value(c, unit, units.get(c)) for c in amount_columns]
    names = [p.rsplit(" as ", 1)[1] for p in parts + values]
    names += [f"{c.name}__clear" for c in kind.columns if c.type == "account"]
    helpers = ", ".join(name for name in names if not name.endswith("__suffix"))
    amounts = ",\n".join(f"{_amount(c)} as {c}, {_too_large(c)} as {c}__too_large" for c in amount_columns)
    con.execute(f"""
        create or replace temp table src_cells as
        select line_number, total_label, {raws}, count(*) over (partition by {key}) as n_key_rows from src
    """)
    con.execute(f"""
        create or replace table typed as
        with parsed as (
            select src_cells.*, {", ".join(parts)} from src_cells
        ),
        simple as (
            select parsed.*, {simple}
            from parsed
            {_joins(kind)}
        ),
        valued as (
            select simple.*, {", ".join(values)} from simple
        ),
        amounts as (
            select valued.*, {amounts} from valued
        )
        select amounts.* exclude ({helpers}) {_check_columns(kind)} {_retired_region(kind)}
        from amounts
        {_check_joins(kind, catalog, replacing)}
        {_retired_region_joins(kind)}
    """)  # in no order: sorting a million wide rows costs seconds; findings are sorted when shown
    con.execute("drop table src_cells")
    con.execute("create or replace table total_rows as from typed where total_label is not null")
    con.execute("delete from typed where total_label is not null")  # typed keeps the column, all NULL
    if kind.name in VERSION_CHECKS:  # added in place: copying a million wide rows costs more
        con.execute(f"create or replace temp table versions as {VERSION_CHECKS[kind.name](catalog)}")
        for name, sql_type in con.execute("select column_name, column_type from (describe versions) "
                                          "where column_name <> 'line_number'").fetchall():
            con.execute(f"alter table typed add column {name} {sql_type}")
            con.execute(f"update typed set {name} = versions.{name} from versions "
                        "where versions.line_number = typed.line_number")
        con.execute("drop table versions")


def too_large(con: duckdb.DuckDBPyConnection, findings: list[Finding], kind: Kind,
              spelled: dict[str, str]) -> list[Finding]:
    """The findings, with each ``parses`` finding on an amount that is a number, only too large to
    hold (``<column>__too_large`` in ``typed``), said as that rather than as not an amount."""
    lines = {(spelled[c.name], line) for c in kind.columns if c.type == "amount" and c.name in spelled
             for (line,) in con.execute(f"select line_number from typed where {c.name}__too_large").fetchall()
             }
    return [Finding(f.line, f.column, f.value, "amount_too_large",
                    f"金额过大：超过可记录的上限 {MAX_AMOUNT:,} 元，请核对（是否多了位数或单位）",
                    f"too large: above the {MAX_AMOUNT:,} yuan that can be held; check it (extra digits, or "
                    "the unit?)") if f.rule == "parses" and (f.column, f.line) in lines else f
            for f in findings]
