"""The dashboard's only way to its data: ggzy's query functions, cached.

The connection to the published snapshot is cached per warehouse and snapshot version (the
file's modification time), so after a new build a page refresh reads the new snapshot; query
results are cached per version and selection.
"""

import os
import threading
from pathlib import Path

import pandas as pd
import streamlit as st

from ggzy.common.warehouse import home, snapshot_path
from ggzy.report import report
from ggzy.serve import dashboard_queries
from ggzy.serve.adhoc_sql import open_snapshot
from ggzy.serve.export import csv_text


def warehouse_home() -> Path:
    """``GGZY_HOME`` (set by ``ggzy serve``), else ``warehouse/``."""
    return home().resolve()


def snapshot_version() -> float | None:
    """The snapshot's modification time, or None when nothing has been published."""
    try:
        return os.stat(snapshot_path(warehouse_home())).st_mtime
    except FileNotFoundError:
        return None


class _Snapshot:
    """The one open connection to the snapshot. DuckDB hands a new connection to a path that is
    already open in this process the old file's instance, so after a build has renamed a new
    snapshot into place the old connection must be closed before the new file can be opened."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.key: tuple[str, float] | None = None
        self.connection = None

    def connect(self, home_dir: str, version: float):
        with self.lock:
            if self.key != (home_dir, version):
                if self.connection is not None:
                    self.connection.close()
                self.connection = open_snapshot(Path(home_dir))
                self.key = (home_dir, version)
            return self.connection


@st.cache_resource(show_spinner=False)
def _snapshot() -> _Snapshot:
    return _Snapshot()


def _connection(home_dir: str, version: float):
    return _snapshot().connect(home_dir, version)


@st.cache_data(max_entries=500, show_spinner=False)
def _fetch(name: str, home_dir: str, version: float, *args) -> pd.DataFrame | list:
    return getattr(dashboard_queries, name)(_connection(home_dir, version), *args)


def fetch(query, *args):
    """``query(connection, *args)`` from ggzy.serve.dashboard_queries, cached for this snapshot."""
    return _fetch(query.__name__, str(warehouse_home()), snapshot_version(), *args)


def currency() -> str:
    """The warehouse's currency: CNY until something is published."""
    return "CNY" if snapshot_version() is None else fetch(dashboard_queries.currency)


def published_build() -> pd.Series:
    """The build the snapshot is of: build_id, finished_at (the date figures "as at the build"
    are of)."""
    return fetch(dashboard_queries.builds).query("status == 'published'").iloc[0]


def headline_in_range(selection: dashboard_queries.Selection) -> pd.DataFrame:
    """The headline figures of the selected months (the query also returns earlier months, for
    the overview's month-on-month and year-on-year changes)."""
    headline = fetch(dashboard_queries.headline_by_month, selection)
    return headline[headline.month.dt.date >= selection.start]


def report_bytes(selection: dashboard_queries.Selection, lang: str, fmt: str) -> bytes:
    """The monthly report of the selection's last month and region, all categories: the bytes
    ``ggzy report`` writes (made when the download button is clicked)."""
    con = _connection(str(warehouse_home()), snapshot_version())
    return report.FORMATS[fmt](report.monthly_report(con, selection.end, selection.region_code, lang))


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """What a download button offers: UTF-8 with BOM (Excel), text cells formula-safe."""
    return csv_text(list(frame.columns), frame.itertuples(index=False)).encode("utf-8-sig")
