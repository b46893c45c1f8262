"""Payer account numbers (缴款账号) are never stored in clear: a warehouse keeps a keyed hash of
each (HMAC-SHA256 with a secret created with the warehouse, ``account.key`` beside it, readable
only by its owner) to match deposits paid from one account, and a masked form (its last four
digits) for people. The clear number lives only in the load's in-memory staging tables.

The hash is computed in DuckDB, by the definition of HMAC (RFC 2104) with a 64-byte key:
sha256((key ⊕ opad) ‖ sha256((key ⊕ ipad) ‖ number)); the padded keys are in a temporary table,
never in a statement's text.
"""

import os
import secrets
from pathlib import Path

import duckdb

KEY_FILE = "account.key"
KEY_BYTES = 64  # SHA-256's block: a key of this length is used as it is (RFC 2104)
ACCOUNT = r"\d{6,32}"  # a bank account number once spaces and hyphens are taken out
_keys: dict[Path, bytes] = {}  # a new warehouse's key between staging and landing


def key_path(home_dir: Path) -> Path:
    return home_dir / KEY_FILE


def account_key(home_dir: Path) -> bytes:
    """The warehouse's key: its file's, else one made now (kept by ``keep_account_key`` when a
    load lands, so that a rejected load leaves the warehouse folder as it was)."""
    path = key_path(home_dir)
    if path.exists():
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    return _keys.setdefault(path.resolve(), secrets.token_bytes(KEY_BYTES))


def keep_account_key(home_dir: Path) -> None:
    """Write the key this process hashed with, if the warehouse has none yet: owner-only (0600)."""
    path = key_path(home_dir)
    if path.exists():
        return
    key = account_key(home_dir)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(key.hex() + "\n")


def create_key_table(con: duckdb.DuckDBPyConnection, home_dir: Path) -> None:
    """Temporary table ``account_key`` (ipad, opad): the key padded as HMAC pads it."""
    key = account_key(home_dir)
    con.execute("create or replace temp table account_key as select from_hex(?) as ipad, from_hex(?) as opad",
                [bytes(b ^ 0x36 for b in key).hex(), bytes(b ^ 0x5C for b in key).hex()])


def normalised_sql(clear: str) -> str:
    """The number as written without spaces and hyphens."""
    return f"regexp_replace({clear}, '[\\s\\-]', '', 'g')"


def hashed_sql(clear: str) -> str:
    """The keyed hash (hex) of a valid number, NULL for anything else."""
    number = normalised_sql(clear)
    return f"""case when regexp_full_match({number}, '{ACCOUNT}') then (
        select sha256(opad || from_hex(sha256(ipad || encode({number})))) from account_key) end"""


def masked_sql(clear: str) -> str:
    """What people see of a number: ``****`` and its last four characters."""
    return f"case when {clear} is not null then '****' || right({normalised_sql(clear)}, 4) end"
