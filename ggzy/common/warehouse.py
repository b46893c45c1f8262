"""The DuckDB warehouse files (build database and snapshot): where they are, the raw and meta tables.

``raw.<kind>`` are append-only: one row per input row, typed and canonical, with ``load_id``,
``source_file`` and ``line_number`` (deals also with the ``attempt_month`` the loader assigned).
Which of those rows are current is ``ggzy/ingest/current.py``.
"""

import os
import re
import shutil
import tempfile
from pathlib import Path

import duckdb

from ggzy.common.contract import BY_NAME, Kind
from ggzy.common.errors import EnvironmentProblem, UsageError
from ggzy.common.lock import attempts, busy_message, holder, writer_lock

READERS_GRACE_SECONDS = 5  # a reader of the build database holds it for well under a second
DEFAULT_CURRENCY = "CNY"
DEFAULT_MEMORY = "25%"  # of the machine's memory, DuckDB's own reading (profiles.yml says the same)
MEMORY_SIZE = re.compile(r"\d+(\.\d+)?\s*([KMGT]i?B|%)", re.IGNORECASE)

SQL_TYPES = {"text": "varchar", "code": "varchar", "region": "varchar", "amount": "decimal(18, 2)",
             "date": "date", "boolean": "boolean", "integer": "bigint",
             "account": "varchar"}  # an account: its keyed hash (ggzy/common/accounts.py)

META_DDL = """
create schema if not exists meta;
create sequence if not exists meta.load_id_seq start 1;
create table if not exists meta.load_log (
    load_id bigint primary key,
    file_name varchar not null,
    sha256 varchar not null,
    kind varchar not null,
    period date not null,
    n_rows bigint not null,
    n_replaced bigint not null,
    n_warnings bigint not null,
    status varchar not null,
    message varchar,
    loaded_at timestamp not null,
    retracted boolean not null default false,
    retracted_at timestamp,
    mode varchar not null default 'normal',  -- normal / replace / append (ggzy load --replace, --append)
    n_withdrawn bigint not null default 0,   -- current rows of the kind and period a --replace withdrew
    sheet varchar,                           -- the workbook's sheet given with --sheet (null: the first)
    mapping_file varchar,                    -- the --mapping file's name (null: the national mapping)
    mapping_digest varchar,                  -- what the mapping said (Mapping.digest)
    n_releases bigint                        -- an OCDS file's releases (null: a monthly file)
);
alter table meta.load_log add column if not exists mode varchar default 'normal';
alter table meta.load_log add column if not exists n_withdrawn bigint default 0;
alter table meta.load_log add column if not exists sheet varchar;
alter table meta.load_log add column if not exists mapping_file varchar;
alter table meta.load_log add column if not exists mapping_digest varchar;
alter table meta.load_log add column if not exists n_releases bigint;
create table if not exists meta.validation_results (
    load_id bigint not null,
    suite varchar not null,
    expectation varchar not null,
    rule varchar not null,
    column_name varchar,
    severity varchar not null,
    success boolean not null,
    n_unexpected bigint not null
);
create sequence if not exists meta.build_id_seq start 1;
create table if not exists meta.build_log (
    build_id bigint primary key,
    started_at timestamp not null,
    finished_at timestamp not null,
    status varchar not null,        -- published / failed
    dbt_summary varchar,            -- e.g. "PASS=78 WARN=0 ERROR=0 SKIP=0"
    n_check_warnings bigint not null,
    message varchar,
    loads_through bigint,           -- the newest load_id the build included
    full_refresh boolean,           -- false: incremental, the loads after the last published build
    models_digest varchar           -- the dbt project's code the build ran (a change: build all again)
);
alter table meta.build_log add column if not exists loads_through bigint;
alter table meta.build_log add column if not exists full_refresh boolean;
alter table meta.build_log add column if not exists models_digest varchar;
create table if not exists meta.current_rows_by_load (  -- as at the last published build
    load_id bigint primary key,
    n_current bigint not null       -- its rows still current: not replaced by a later load, not retracted
);
create table if not exists meta.settings (  -- what a warehouse is made with: currency (ggzy init)
    name varchar primary key,
    value varchar not null
);
create table if not exists meta.mart_validation_results (
    build_id bigint not null,
    suite varchar not null,
    expectation varchar not null,
    rule varchar not null,
    column_name varchar,
    severity varchar not null,
    success boolean not null,
    n_unexpected bigint not null,
    examples varchar
);
"""


def home(path: str | os.PathLike | None = None) -> Path:
    """The warehouse folder: ``--home``, else ``GGZY_HOME``, else ``warehouse/``."""
    return Path(path or os.environ.get("GGZY_HOME") or "warehouse")


def memory_limit() -> str:
    """How much memory DuckDB may hold in a command, and dbt in a build: ``--memory`` /
    ``GGZY_MEMORY`` (``4GB``, ``500MiB``, ``40%``), else DEFAULT_MEMORY. Beyond it DuckDB spills to
    disk (slower, not failing)."""
    limit = os.environ.get("GGZY_MEMORY", "").strip() or DEFAULT_MEMORY
    if not MEMORY_SIZE.fullmatch(limit):
        raise UsageError(f"内存上限应形如 4GB、500MiB 或 40% / --memory (GGZY_MEMORY) must look like "
                         f"4GB, 500MiB or 40%, got {limit!r}")
    return limit


def connect() -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB for a command's work on the warehouse (which it attaches), held to
    memory_limit() and spilling beyond it into the system's temporary folder (DuckDB names its
    files by process and removes them when it closes)."""
    return duckdb.connect(config={"memory_limit": memory_limit(),
                                  "temp_directory": str(Path(tempfile.gettempdir()) / "ggzy-duckdb")})


def cursor_like(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """A second connection to ``con``'s database, with the same default catalog and schema."""
    [(catalog, schema)] = con.execute("select current_database(), current_schema()").fetchall()
    cursor = con.cursor()
    cursor.execute(f'use "{catalog}"."{schema}"')
    return cursor


def database_path(home_dir: Path) -> Path:
    """The build database: written by ``ggzy load`` and dbt, never opened by readers."""
    return home_dir / "ggzy.duckdb"


def snapshot_path(home_dir: Path) -> Path:
    """The published read-only snapshot: what the dashboard, ``ggzy sql`` and analysts open."""
    return home_dir / "snapshot.duckdb"


def stored_columns(kind: Kind) -> list[tuple[str, str, str]]:
    """The columns of ``raw.<kind>`` a file's rows fill: (name, SQL type, its expression in the
    load's ``typed`` table). An account is stored as its keyed hash and, as ``<name>_masked``,
    the masked form its ``__raw`` cell holds (ggzy/common/accounts.py)."""
    stored = []
    for column in kind.columns:
        stored.append((column.name, SQL_TYPES[column.type], column.name))
        if column.type == "account":
            stored.append((f"{column.name}_masked", "varchar", f"{column.name}__raw"))
    return stored


def raw_ddl(kind: Kind) -> str:
    columns = ",\n    ".join(f"{name} {sql_type}" for name, sql_type, _ in stored_columns(kind))
    attempt = ",\n    attempt_month date" if kind.attempts else ""
    return f"""create table if not exists raw.{kind.name} (
    load_id bigint not null,
    source_file varchar not null,
    line_number bigint not null,
    {columns}{attempt}
);"""


OCDS_RELEASES_DDL = """create table if not exists raw.ocds_releases (  -- every OCDS release loaded, as given
    load_id bigint not null,
    ordinal bigint not null,        -- its place in the file
    ocid varchar not null,
    release_id varchar not null,
    release_date varchar,
    version varchar not null,       -- as its package says: 1.0 when it says none
    release_json varchar not null   -- the release, numbers with the digits they were written with
);"""

ATTEMPT_MONTH_BACKFILL = """
update raw.deals as r set attempt_month = first.month
from (
    select tender_project_code, bid_section_code, min(date_trunc('month', deal_date))::date as month
    from raw.deals group by all
) as first
where r.attempt_month is null
    and first.tender_project_code = r.tender_project_code
    and first.bid_section_code = r.bid_section_code;
"""


def create_schemas(con: duckdb.DuckDBPyConnection) -> None:
    """Create schemas and tables in the connection's default catalog (idempotent). An older
    warehouse gains the columns added to the contract since (empty), and from before attempts one
    attempt per section, as it had (``ATTEMPT_MONTH_BACKFILL``)."""
    con.execute(META_DDL)
    con.execute("create schema if not exists raw")
    for kind in BY_NAME.values():
        con.execute(raw_ddl(kind))
        for name, sql_type, _ in stored_columns(kind):  # a warehouse from before a column was added
            con.execute(f"alter table raw.{kind.name} add column if not exists {name} {sql_type}")
    con.execute(OCDS_RELEASES_DDL)
    con.execute("alter table raw.deals add column if not exists attempt_month date")
    [(n_without_attempt,)] = con.execute(
        "select count(*) from raw.deals where attempt_month is null").fetchall()
    if n_without_attempt:
        con.execute(ATTEMPT_MONTH_BACKFILL)


def attach(con: duckdb.DuckDBPyConnection, path: Path, alias: str = "wh",
           read_only: bool = False, wait: float = 0) -> None:
    """Attach the warehouse file, waiting up to ``wait`` seconds while another process has it
    open; after that, an environment problem naming that process (exit 3). A writer (which holds
    the writer lock, so the other can only be a reader: ``ggzy status``, ``loads``, a dry run's
    copy) waits at least ``READERS_GRACE_SECONDS``: readers never make a load or build fail."""
    mode = " (read_only)" if read_only else ""
    for last in attempts(wait if read_only else max(wait, READERS_GRACE_SECONDS)):
        try:
            con.execute(f"attach '{path}' as {alias}{mode}")
            return
        except duckdb.IOException as e:
            if "lock" not in str(e).lower():
                raise EnvironmentProblem(f"无法打开数据仓库 cannot open the warehouse {path}: {e}") from e
            if last:
                raise EnvironmentProblem(busy_message(path.parent, holder(path.parent))) from e


def copy_database(home_dir: Path, target_dir: Path, wait: float = 0) -> None:
    """Copy the build database (and its WAL) into ``target_dir``, holding it read-only meanwhile
    so that no writer changes it under the copy. Nothing to copy when there is no warehouse."""
    source = database_path(home_dir)
    if not source.exists():
        return
    with connect() as con:
        attach(con, source, read_only=True, wait=wait)
        for path in (source, source.with_name(source.name + ".wal")):
            if path.exists():
                shutil.copyfile(path, target_dir / path.name)


def currency(con: duckdb.DuckDBPyConnection, catalog: str = "wh") -> str:
    """The warehouse's currency (ISO 4217): every amount in it is in this currency."""
    exists = con.execute("""select count(*) from duckdb_tables() where database_name = ?
        and schema_name = 'meta' and table_name = 'settings'""", [catalog]).fetchone()[0]  # older warehouses
    row = exists and con.execute(f"select value from {catalog}.meta.settings where name = 'currency'"
                                 ).fetchone()
    return row[0] if row else DEFAULT_CURRENCY


def init(home_dir: Path, wait: float = 0, currency_code: str | None = None) -> Path:
    """``ggzy init``: create the warehouse file and its schemas (idempotent), in ``currency_code``
    (default CNY). A warehouse's currency is set once: to change it, a warehouse that holds data
    is refused."""
    from ggzy.common.ocds import currencies

    if currency_code is not None and currency_code not in currencies():
        raise UsageError(f"不是 ISO 4217 货币代码 / not an ISO 4217 currency code: {currency_code!r}")
    path = database_path(home_dir)
    with writer_lock(home_dir, "ggzy init", wait), connect() as con:
        attach(con, path)
        con.execute("use wh")
        create_schemas(con)
        held = currency(con)
        if currency_code is not None and currency_code != held:
            if con.execute("select count(*) from wh.meta.load_log").fetchone()[0]:
                raise UsageError(f"数据仓库已有数据，币种 {held} 不能再改 / the warehouse holds "
                                 f"data in {held}: its currency cannot change (make a new one)")
            con.execute("insert or replace into wh.meta.settings values ('currency', ?)", [currency_code])
    return path
