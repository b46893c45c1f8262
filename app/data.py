"""The dashboard's only way to its data: ggzy's query functions, cached.

The connection to the published snapshot is cached per snapshot file version (its modification
time), so after a new build a page refresh reads the new snapshot; query results are cached per
version and selection.
"""

import os
from pathlib import Path

import pandas as pd
import streamlit as st

from ggzy import dashboard_queries
from ggzy.adhoc_sql import open_snapshot
from ggzy.export import csv_text
from ggzy.warehouse import home, snapshot_path

HOME: Path = home()


def snapshot_version() -> float | None:
    """The snapshot's modification time, or None when nothing has been published."""
    try:
        return os.stat(snapshot_path(HOME)).st_mtime
    except FileNotFoundError:
        return None


@st.cache_resource(max_entries=1, show_spinner=False)
def _connection(version: float):
    return open_snapshot(HOME)


@st.cache_data(max_entries=500, show_spinner=False)
def _fetch(name: str, version: float, *args) -> pd.DataFrame | list:
    return getattr(dashboard_queries, name)(_connection(version), *args)


def fetch(query, *args):
    """``query(connection, *args)`` from ggzy.dashboard_queries, cached for this snapshot."""
    return _fetch(query.__name__, snapshot_version(), *args)


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """What a download button offers: UTF-8 with BOM (Excel), text cells formula-safe."""
    return csv_text(list(frame.columns), frame.itertuples(index=False)).encode("utf-8-sig")
