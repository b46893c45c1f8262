"""Codes that differ between kinds only by their leading zeros (``1`` and ``001``), what a
spreadsheet re-saved from Excel does to a code column: a security or a bid that finds its
section's deal, or a refund its security, only once the zeros are ignored is a row that would
silently lose its partner (地区未知, no due date). Such rows are rejected, naming both spellings.

The links between kinds are those the marts join on; each is checked from both sides: a file of
the referring kind against the loaded rows it refers to, and a file of the referred kind against
the loaded rows that would still find no exact partner.
"""

import duckdb

from ggzy.common.contract import BY_NAME, Kind
from ggzy.common.findings import Finding
from ggzy.ingest.current import current_sql

LINKS = (  # (referring kind, referred kind): the referring rows carry the referred kind's key
    ("securities", "deals"),
    ("refunds", "securities"),
    ("bids", "deals"),
)
WORDS = {"deals": ("成交记录", "deal"), "securities": ("保证金", "security"),
         "refunds": ("退还记录", "refund"), "bids": ("投标记录", "bid")}


def _codes(alias: str, columns: tuple[str, ...], stripped: bool = False) -> str:
    return ", ".join(f"ltrim({alias}.{c}, '0')" if stripped else f"{alias}.{c}" for c in columns)


def _same(a: str, b: str, columns: tuple[str, ...]) -> str:
    return " and ".join(f"{a}.{c} = {b}.{c}" for c in columns)


def _current_with_codes(kind: Kind, catalog: str, codes: str, columns: tuple[str, ...],
                        stripped: bool = False) -> str:
    """The current rows of ``kind`` whose ``columns`` are among ``codes`` (a query of them),
    compared as they are or with leading zeros ignored."""
    wanted = f"select ({_codes('c', columns, stripped)}) from ({codes}) as c"
    keys = f"""select distinct {_codes('r', kind.key)} from {catalog}.raw.{kind.name} as r
        where ({_codes('r', columns, stripped)}) in ({wanted})"""
    return current_sql(kind, catalog, keys)


def leading_zero_findings(con: duckdb.DuckDBPyConnection, kind: Kind, catalog: str,
                          spelled: dict[str, str]) -> list[Finding]:
    """Rows of ``typed`` (a file of ``kind``) that match loaded rows of another kind only once
    leading zeros are ignored, where no row matches exactly."""
    findings = []
    for referring, referred in LINKS:
        if kind.name not in (referring, referred):
            continue
        columns = BY_NAME[referred].key
        other = BY_NAME[referred if kind.name == referring else referring]
        loaded = _current_with_codes(other, catalog, "select * from typed", columns, stripped=True)
        if kind.name == referring:  # this file's rows, against the rows they refer to
            exact = _current_with_codes(other, catalog, "select * from typed", columns)
            unmatched = f"not exists (select 1 from ({exact}) as e where {_same('e', 't', columns)})"
        else:  # the loaded rows referring to this file's, which would still find no exact partner
            exact = _current_with_codes(kind, catalog, loaded, columns)
            unmatched = f"""not exists (select 1 from typed as x where {_same('x', 'o', columns)})
                and not exists (select 1 from ({exact}) as e where {_same('e', 'o', columns)})"""
        rows = con.execute(f"""
            select t.line_number, {_codes('t', columns)}, {', '.join(f'any_value(o.{c})' for c in columns)}
            from typed as t
            join ({loaded}) as o on ({_codes('o', columns, True)}) = ({_codes('t', columns, True)})
                and not ({_same('o', 't', columns)})
            where {unmatched}
            group by all order by t.line_number""").fetchall()
        zh, en = WORDS[other.name]
        for line, *codes in rows:
            here, there = "/".join(codes[:len(columns)]), "/".join(codes[len(columns):])
            findings.append(Finding(
                line, spelled.get(columns[-1], columns[-1]), here, "leading_zeros",
                f"编号只在去掉前导零后才与已入库的{zh}相符（本文件 {here}，已入库 {there}）：Excel 另存时"
                f"常会丢掉前导零，请把编号列设为文本后重新导出",
                f"matches a loaded {en} only once leading zeros are ignored (this file {here}, loaded "
                f"{there}): a spreadsheet re-saved from Excel often drops them; export again with the "
                f"code columns as text"))
    return findings
