"""How figures look: 万元 with thousands separators, rates as percentages, charts with downloads."""

import math
from decimal import Decimal

import pandas as pd
import streamlit as st

from data import csv_bytes
from labels import t

WAN = 10_000


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def wan(yuan) -> str:
    """Yuan as 万元 to two decimals; exact for the Decimal amounts the queries return."""
    return "—" if _missing(yuan) else f"{Decimal(yuan) / WAN:,.2f}"


def pct(rate) -> str:
    return "—" if _missing(rate) else f"{float(rate) * 100:.2f}%"


def count(n) -> str:
    return "—" if _missing(n) else f"{int(n):,}"


def cell(value) -> str:
    """Any value as text for a two-column detail table."""
    return "—" if _missing(value) or value is pd.NaT else str(value)


def change(value, unit: str) -> str | None:
    """A change as the warehouse computed it (mart_kpi_periods): percentage points for a rate,
    per cent for anything else."""
    if _missing(value):
        return None
    return f"{float(value):+.2f} pp" if unit == "rate" else f"{float(value):+.2f}%"


def labelled(frame: pd.DataFrame, wan: tuple = (), percent: tuple = (), plain: tuple = ()) -> pd.DataFrame:
    """A copy for a chart: amounts in 万元, rates in %, and those columns named by their labels
    (the download keeps the canonical columns in yuan)."""
    scaled = frame.assign(**{c: frame[c].astype(float) / WAN for c in wan},
                          **{c: frame[c].astype(float) * 100 for c in percent})
    return scaled.rename(columns={c: t(c) for c in (*wan, *percent, *plain)})


def or_stop(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame, or the page stops here with "no data in the selected range"."""
    if frame.empty:
        st.info(t("no_data"))
        st.stop()
    return frame


def download(frame: pd.DataFrame, key: str) -> None:
    st.download_button(t("download"), csv_bytes(frame), file_name=f"{key}.csv", mime="text/csv", key=key)


def line_chart(title: str, frame: pd.DataFrame, x: str, y, key: str,
               chart: pd.DataFrame | None = None):
    """A titled line chart of ``chart`` (default ``frame``) and the download of ``frame``."""
    st.subheader(title)
    st.line_chart(frame if chart is None else chart, x=x, y=y)
    download(frame, key)


def bar_chart(title: str, frame: pd.DataFrame, x: str, y, key: str, chart: pd.DataFrame | None = None,
              horizontal: bool = False, color: str | None = None):
    st.subheader(title)
    chart = frame if chart is None else chart
    if x == "month":  # one bar per month, labelled 2024-03, not a bar on a day axis
        chart = chart.assign(month=pd.to_datetime(chart["month"]).dt.strftime("%Y-%m"))
    st.bar_chart(chart, x=x, y=y, horizontal=horizontal, color=color)
    download(frame, key)


def table(title: str, frame: pd.DataFrame, key: str) -> None:
    st.subheader(title)
    st.dataframe(frame, hide_index=True, width="stretch")
    download(frame, key)
