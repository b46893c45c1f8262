"""Shared helpers: small hand-made CSVs, a warehouse per test, and ways to look into it."""

import atexit
import csv
import hashlib
import io
from pathlib import Path

import duckdb
import pytest

from ggzy.cli import silence_teardown
from ggzy.common.warehouse import database_path, snapshot_path
from ggzy.ingest.load import LoadOutcome, load_file, load_files

atexit.register(silence_teardown)  # after pytest's summary: the same quiet exit as ggzy itself

DEAL = {
    "tender_project_code": "P1", "bid_section_code": "S1", "region_code": "330106",
    "trade_category": "engineering", "tender_mode": "open_tender", "budget_amount": "1000.00",
    "deal_amount": "900.00", "savings_amount": "100.00", "price_unit": "元",
    "deal_status": "concluded", "deal_date": "2024-03-05", "contract_sign_date": "2024-03-08",
    "winner_code": "91330000MA27XL0E2K", "bidder_count": "5", "is_electronic": "Y",
    "is_remote_evaluation": "N", "platform_code": "PT01",
}
SECURITY = {
    "security_id": "G1", "tender_project_code": "P1", "bid_section_code": "S1",
    "bidder_code": "91330000MA27XL0E2K", "security_kind": "bid", "pay_form": "cash",
    "amount": "100.00", "received_date": "2024-03-01", "issuer": "", "guarantee_fee": "",
}
REFUND = {
    "refund_id": "R1", "security_id": "G1", "refund_type": "refund", "settle_date": "2024-03-10",
    "refund_amount": "100.00", "interest_amount": "0.10", "refund_route": "原路退还",
}
BASE = {"deals": DEAL, "securities": SECURITY, "refunds": REFUND}


def csv_text(rows: list[dict[str, str]], delimiter: str = ",") -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), delimiter=delimiter, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def rows_of(kind: str, *changes: dict[str, str]) -> list[dict[str, str]]:
    """One row per change: the kind's valid base row with those cells changed, keys made unique."""
    key = {"deals": "bid_section_code", "securities": "security_id", "refunds": "refund_id"}[kind]
    return [{**BASE[kind], key: f"{BASE[kind][key]}-{i}", **change} for i, change in enumerate(changes)]


@pytest.fixture(autouse=True)
def _no_memory_setting(monkeypatch):
    """``ggzy --memory`` sets GGZY_MEMORY for the rest of the process: each test starts without it
    (set, then removed, so that the test's end restores the process's own state)."""
    monkeypatch.setenv("GGZY_MEMORY", "")
    monkeypatch.delenv("GGZY_MEMORY")


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "warehouse"


@pytest.fixture
def write(tmp_path: Path):
    def write(name: str, text: str, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_bytes(text.encode(encoding))
        return path
    return write


@pytest.fixture
def load(home: Path):
    def load(path: Path, **kw) -> LoadOutcome:
        return load_file(path, home, **kw)
    return load


def land(files: list[Path], home: Path) -> None:
    """Load the files; every one of them must land."""
    outcomes = load_files(files, home)
    assert all(o.status == "landed" for o in outcomes), [o.message for o in outcomes if o.status != "landed"]


def seed_warehouse(home: Path, directory: Path) -> None:
    """A warehouse holding one deal (P1/S1-0, March 2024), a cash security G1-0 of 100.00 and an
    electronic guarantee G1-1, and a partial refund of 60.00 of G1-0."""
    directory.mkdir(parents=True, exist_ok=True)
    files = {
        "deals_2024-03.csv": rows_of("deals", {}),
        "securities_2024-03.csv": rows_of("securities", {"amount": "100.00"}, {
            "pay_form": "电子保函", "issuer": "某保险公司", "guarantee_fee": "50"}),
        "refunds_2024-03.csv": rows_of("refunds", {"security_id": "G1-0", "refund_amount": "60.00"}),
    }
    for name, rows in files.items():
        (directory / name).write_text(csv_text(rows), encoding="utf-8")
    land([directory / name for name in files], home)


def query(home: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(database_path(home)), read_only=True) as con:
        return con.execute(sql).fetchall()


def snapshot_query(home: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(snapshot_path(home)), read_only=True) as con:
        return con.execute(sql).fetchall()


def marts_of(home: Path) -> dict[str, tuple]:
    """Every mart table of the published snapshot: its row count and the sum of its rows' hashes
    (equal for the same rows in any order; computed in DuckDB, the long marts have millions of
    cells)."""
    with duckdb.connect(str(snapshot_path(home)), read_only=True) as con:
        tables = [t for (t,) in con.execute("select table_name from information_schema.tables "
                                            "where table_schema = 'marts' order by 1").fetchall()]
        return {t: con.execute(f"select count(*), sum(hash(r)::hugeint) from marts.{t} as r").fetchone()
                for t in tables}


def fingerprint(home: Path) -> str:
    """The warehouse files' bytes (database, WAL, snapshot), to show a rejected load changed
    nothing; not the writer lock or ggzy.log, which record that a command ran."""
    digest = hashlib.sha256()
    records = (".writer.lock", "ggzy.log")
    for path in sorted(p for p in home.glob("*") if p.is_file() and p.name not in records):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()
