"""The code lists and regions, read from the dbt seeds: one source of truth for loader and dbt."""

import csv
from functools import cache
from pathlib import Path

import duckdb
import pyarrow as pa

from ggzy.common.contract import BY_NAME
from ggzy.common.paths import ROOT

SEEDS_DIR = ROOT / "seeds"
CODE_LISTS = sorted({c.code_list for k in BY_NAME.values() for c in k.columns if c.code_list})


def seed_path(name: str) -> Path:
    return SEEDS_DIR / f"{name}.csv"


def seed_sql(name: str) -> str:
    """A ``read_csv`` of one seed, every column as text."""
    return f"read_csv('{seed_path(name)}', header = true, all_varchar = true)"


@cache
def unit_multipliers() -> tuple[dict[str, str], dict[str, str]]:
    """From ``seeds/price_units.csv``: code → multiplier, and the unit written after a number
    or in a header (its Chinese name, e.g. 万元) → multiplier."""
    with seed_path("price_units").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return {r["code"]: r["multiplier"] for r in rows}, {r["name_zh"]: r["multiplier"] for r in rows}


def codes_of(code_list: str) -> set[str]:
    with seed_path(code_list).open(encoding="utf-8") as f:
        return {row["code"] for row in csv.DictReader(f)}


@cache
def aliases(code_list: str) -> tuple[tuple[str, str], ...]:
    """Every way a code of the list may be written, in lower case — its code, its names and its
    aliases (seeds/<code_list>.csv) — each with the code: how a value is read as a code."""
    with seed_path(code_list).open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return tuple(dict.fromkeys(
        (spelled.lower(), row["code"]) for row in rows
        for spelled in (row["code"], row["name_zh"], row["name_en"], *row["aliases"].split("|")) if spelled))


@cache
def region_codes() -> frozenset[str]:
    """Every region code of seeds/regions.csv, current or retired."""
    with seed_path("regions").open(encoding="utf-8") as f:
        return frozenset(row["region_code"] for row in csv.DictReader(f))


def create_reference_tables(con: duckdb.DuckDBPyConnection,
                            mapped_values: dict[str, dict[str, str]]) -> None:
    """Temp tables ``code_aliases`` (code_list, alias_key, code), ``regions`` and ``trade_categories``.
    A mapping's values (code list → value → code, ggzy/ingest/mapping.py) are aliases too, and win over
    the seeds' for the same text."""
    spelled = [(name, key, code) for name in CODE_LISTS for key, code in aliases(name)]
    columns = zip(("code_list", "alias_key", "code"), zip(*spelled, strict=True), strict=True)
    con.register("seed_aliases", pa.table(dict(columns)))
    con.execute("create or replace temp table code_aliases as from seed_aliases")
    con.unregister("seed_aliases")
    mapped = [(code_list, value, code) for code_list, values in mapped_values.items()
              for value, code in values.items()]
    if mapped:
        con.executemany("delete from code_aliases where code_list = ? and alias_key = ?",
                        [m[:2] for m in mapped])
        con.executemany("insert into code_aliases (code_list, alias_key, code) values (?, ?, ?)", mapped)
    con.execute(f"create or replace temp table regions as select * from {seed_sql('regions')}")
    con.execute(
        f"create or replace temp table trade_categories as select * from {seed_sql('trade_categories')}"
    )
