"""An OCDS file into the load's staging schema, ready for the same checks as a deals file (or,
in a second pass, a bids file: an OCDS file lands as a deals load and, with ``bids.details``, a
bids load).

The file's releases go to ``ocds_new`` (they land in ``raw.ocds_releases`` with the load). Every
ocid the file names is compiled from all its releases — the file's and those already in the
warehouse, a release id given again taking its newest copy — with the merge rules of the shipped
schema (ocdsmerge), then turned into deals or bids rows (``ocds_deals.py``): ``src`` as a
file's text would give them, and ``ocds_rows`` with each row's ocid, release and JSON paths, by which
``locate`` turns a finding on a row into one on the JSON. An ocid is compiled in the memory of
its own releases: the file is streamed, the releases and the rows wait in DuckDB.
"""

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow as pa

from ggzy.common.contract import BY_NAME
from ggzy.common.findings import Finding
from ggzy.common.ocds import merger
from ggzy.common.warehouse import cursor_like
from ggzy.ingest.ocds_deals import bid_rows, deal_rows, location
from ggzy.ingest.ocds_read import read_releases

BATCH = 10_000  # releases inserted, and ocids compiled, at a time
SORTED_AT_ONCE = 50_000  # about this many releases are sorted at a time (their ocids by hash)
RELEASE_COLUMNS = ("ocid", "release_id", "release_date", "version", "release_json")
# the rules of the deals contract an OCDS row cannot meet, and why (docs/data-contract.md, "OCDS")
EXEMPT_RULES = {
    ("required", "region_code"): "OCDS has no region code: the buyer's address region may give one",
    ("region_exists", "region_code"): "a publisher's address region need not be a code: unmapped, the "
                                      "row counts under 地区未知 unknown region",
    ("required", "is_electronic"): "a release need not say how bids were submitted",
    ("concluded_has_amounts", "budget_amount"): "a release need not state a budget",
    ("concluded_has_amounts", "deal_amount"): "an award need not state its value",
    ("late_entry", "deal_date"): "an OCDS file is not one month's report",
    ("winner_code_format", "winner_code"): "suppliers' ids follow their own schemes",
    ("late_entry", "bid_time"): "an OCDS file is not one month's report",
}
LATEST = {"deals": "greatest(try_cast(deal_date as date), try_cast(contract_sign_date as date))",
          "bids": "try_cast(bid_time as date)"}  # the day a row's month comes from


class _Appender:
    """Rows of text appended to a new table of the connection's current schema, BATCH at a time
    (through Arrow), each numbered from 1 in ``number``: what is held is one batch, never the file."""

    def __init__(self, con: duckdb.DuckDBPyConnection, table: str, number: str, columns: tuple[str, ...]):
        self.con, self.table, self.number, self.columns = con, table, number, columns
        self.n = 0
        self.batch: list[tuple] = []
        con.execute(f"create table {table} ({number} bigint, {', '.join(f'{c} varchar' for c in columns)})")

    def add(self, row: tuple) -> None:
        self.batch.append(row)
        self.n += 1
        if len(self.batch) == BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.batch:
            return
        values = list(zip(*self.batch, strict=True))
        arrow = pa.table({self.number: pa.array(range(self.n - len(self.batch) + 1, self.n + 1), pa.int64()),
                          **{c: pa.array(v, pa.string()) for c, v in zip(self.columns, values, strict=True)}})
        self.con.register("appended_batch", arrow)
        self.con.execute(f"insert into {self.table} select * from appended_batch")
        self.con.unregister("appended_batch")
        self.batch.clear()


def _insert_releases(con: duckdb.DuckDBPyConnection, path: Path) -> int:
    releases = _Appender(con, "ocds_new", "ordinal", RELEASE_COLUMNS)
    for release in read_releases(path):
        releases.add((release.ocid, release.release_id, release.date, release.version, release.text))
    releases.flush()
    return releases.n


_ORDER = "release_date nulls first, load_id nulls last, ordinal"


def _releases_sql(catalog: str, parts: int, part: int) -> str:
    """The releases of the file's ocids whose hash falls in ``part`` of ``parts`` — the file's and
    those loaded before, a release id given again taking its newest copy — in ocid order, each
    ocid's oldest first: by date, and releases without one (older than any dated one) in the
    order they were loaded. The newest copies are found on the keys alone, and the texts sorted a
    part at a time: an ocid at a time is what Python holds, a part what the sort does."""
    return f"""
        with newest_in_file as (
            select ocid, release_id, max(ordinal) as ordinal from ocds_new
            where hash(ocid) % {parts} = {part} group by all
        ),
        file_releases as (
            select ocds_new.* from ocds_new inner join newest_in_file using (ocid, release_id, ordinal)
        ),
        current_loads as (
            select load_id from {catalog}.meta.load_log where not retracted
        ),
        newest_earlier as (
            select r.ocid, r.release_id, max(r.load_id) as load_id
            from {catalog}.raw.ocds_releases as r
            inner join current_loads using (load_id)
            where r.ocid in (select ocid from newest_in_file) and not exists (
                select 1 from newest_in_file as f where f.ocid = r.ocid and f.release_id = r.release_id)
            group by all
        ),
        earlier as (
            select r.load_id, r.ordinal, r.ocid, r.release_id, r.release_date, r.release_json
            from {catalog}.raw.ocds_releases as r
            inner join newest_earlier using (ocid, release_id, load_id)
        ),
        releases as (
            select null as load_id, ordinal, ocid, release_id, release_date, release_json
            from file_releases
            union all
            select * from earlier
        )
        select ocid, release_id, release_json from releases order by ocid, {_ORDER}"""


def _by_ocid(con: duckdb.DuckDBPyConnection, catalog: str, n_releases: int
             ) -> Iterator[tuple[list[str], list[str]]]:
    """Each ocid's releases (texts and ids, oldest first), streamed from _releases_sql."""
    parts = max(1, -(-n_releases // SORTED_AT_ONCE))
    for part in range(parts):
        ocid, texts, ids = None, [], []
        for batch in con.sql(_releases_sql(catalog, parts, part)).to_arrow_reader(BATCH):
            for here, release_id, text in zip(*(batch.column(i).to_pylist() for i in range(3)), strict=True):
                if here != ocid and texts:
                    yield texts, ids
                    texts, ids = [], []
                ocid = here
                texts.append(text)
                ids.append(release_id)
        if texts:
            yield texts, ids


def _compiled(texts: list[str], ids: list[str]) -> dict:
    """The ocid's compiled release (its releases oldest first); its id is the latest release's,
    the one a finding names. ocdsmerge orders by ``date``: an undated release is given the
    empty date, which keeps the order it comes in, before the dated ones."""
    releases = [json.loads(t, parse_float=Decimal) for t in texts]
    if len(releases) == 1:
        return releases[0]
    undated = [r for r in releases if not isinstance(r.get("date"), str)]
    for release in undated:
        release["date"] = ""
    compiled = merger().create_compiled_release(releases)
    compiled["id"] = ids[-1]
    if len(undated) == len(releases):
        compiled.pop("date", None)
    return compiled


def stage_ocds(con: duckdb.DuckDBPyConnection, path: Path, currency: str, kind: str = "deals",
               catalog: str = "wh") -> tuple[int, date | None, list[Finding], int]:
    """Create ``ocds_new``, ``src`` and ``ocds_rows`` in the current schema, ``src`` of ``kind``.
    Returns the number of releases, the month of the rows' latest date (None without rows), the
    findings on the values and the number of bids rows; the deals pass also raises the errors of
    the bids' values, so a file whose bids cannot land does not land its deals either."""
    n_releases = _insert_releases(con, path)
    columns = BY_NAME[kind].names
    findings: list[Finding] = []
    n_bids = 0
    with cursor_like(con) as writer:  # the ocids stream from con while their rows are written
        rows = _Appender(writer, "ocds_kind_rows", "line_number", ("ocid", "release_id", "paths", *columns))
        for texts, ids in _by_ocid(con, catalog, n_releases):
            release = _compiled(texts, ids)
            deals, said = deal_rows(release, currency)
            bids, bids_said = bid_rows(release, currency, deals)
            n_bids += len(bids)
            if kind == "deals":  # and the errors of its bids: a file lands whole or not at all
                made, findings = deals, findings + said + [f for f in bids_said if f.severity == "error"]
            else:
                made, findings = bids, findings + bids_said
            for row in made:
                rows.add((row.ocid, row.release_id, json.dumps(row.paths),
                          *(row.values.get(c) for c in columns)))
        rows.flush()
    con.execute(f"create table src as select line_number, {', '.join(columns)}, "
                "null::varchar as total_label from ocds_kind_rows")
    con.execute("create table ocds_rows as select line_number, ocid, release_id, paths from ocds_kind_rows")
    con.execute("drop table ocds_kind_rows")
    latest = con.execute(f"select date_trunc('month', max({LATEST[kind]}))::date from src").fetchone()[0]
    return n_releases, latest, findings, n_bids


def locate(con: duckdb.DuckDBPyConnection, findings: list[Finding]) -> list[Finding]:
    """Findings on rows of ``src`` (by line) as findings on the JSON: ocid, release, path."""
    lines = sorted({f.line for f in findings if f.line is not None})
    where = {line: (ocid, release_id, json.loads(paths)) for line, ocid, release_id, paths in con.execute(
        "select line_number, ocid, release_id, paths from ocds_rows where line_number in "
        "(select unnest(?::bigint[]))", [lines]).fetchall()} if lines else {}
    located = []
    for f in findings:
        if f.line in where:
            ocid, release_id, paths = where[f.line]
            f = replace(f, line=None, column=location(ocid, release_id, paths.get(f.column, f.column)))
        located.append(f)
    return located
