"""The code lists and regions, read from the dbt seeds: one source of truth for loader and dbt."""

from pathlib import Path

import duckdb

from ggzy.contract import BY_NAME

SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"
CODE_LISTS = sorted({c.code_list for k in BY_NAME.values() for c in k.columns if c.code_list})


def seed_path(name: str) -> Path:
    return SEEDS_DIR / f"{name}.csv"


def seed_sql(name: str) -> str:
    """A ``read_csv`` of one seed, every column as text."""
    return f"read_csv('{seed_path(name)}', header = true, all_varchar = true)"


def create_reference_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Temp tables ``code_aliases`` (code_list, alias_key, code), ``regions`` and ``trade_categories``."""
    alias_selects = [
        f"""
        select '{name}' as code_list, code, unnest(list_distinct(
            [lower(code), lower(name_zh), lower(name_en)]
            || coalesce(string_split(lower(aliases), '|'), [])
        )) as alias_key
        from {seed_sql(name)}"""
        for name in CODE_LISTS
    ]
    con.execute(f"create or replace temp table code_aliases as {' union all '.join(alias_selects)}")
    con.execute(f"create or replace temp table regions as select * from {seed_sql('regions')}")
    con.execute(
        f"create or replace temp table trade_categories as select * from {seed_sql('trade_categories')}"
    )
