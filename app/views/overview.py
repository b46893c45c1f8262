"""总览 Overview: this month's headline figures with month-on-month and year-on-year changes."""

import pandas as pd
import streamlit as st

from ggzy import dashboard_queries as queries

import show
from data import fetch
from labels import t

CARDS = (  # (figure, how it is shown, is a rate)
    ("n_concluded", show.count, False), ("deal_amount", show.wan, False),
    ("savings_rate", show.pct, True), ("premium_rate", show.pct, True),
    ("e_bidding_rate", show.pct, True), ("on_time_rate", show.pct, True),
    ("amount_outstanding", show.wan, False), ("amount_sediment", show.wan, False),
    ("substitution_rate", show.pct, True),
)
TREND_RATES = ("savings_rate", "e_bidding_rate", "on_time_rate", "substitution_rate")

selection = st.session_state["selection"]
headline = fetch(queries.headline_by_month, selection).set_index("month")
month = pd.Timestamp(selection.end)
if month not in headline.index:
    st.info(t("no_data"))
    st.stop()


def figure_at(months_back: int, column: str):
    at = month - pd.DateOffset(months=months_back)
    return headline.at[at, column] if at in headline.index else None


st.caption(f"{t('as_of')}: {month:%Y-%m}")
columns = st.columns(3)
for i, (column, fmt, is_rate) in enumerate(CARDS):
    now = headline.at[month, column]
    with columns[i % 3]:
        st.metric(t(column), fmt(now), delta=show.change(now, figure_at(1, column), is_rate),
                  help=f"{t('mom')} / {t('yoy')}")
        st.caption(f"{t('yoy')} {show.change(now, figure_at(12, column), is_rate) or '—'}")

n_months = st.radio(t("trend_months"), [12, 24], horizontal=True, key="trend_months")
trend = headline[headline.index > month - pd.DateOffset(months=n_months)].reset_index()
show.line_chart(f"{t('trend')} · {t('deal_amount')}", trend[["month", "deal_amount"]], "month",
                t("deal_amount"), "trend_deal_amount", chart=show.labelled(trend, wan=("deal_amount",)))
show.line_chart(f"{t('trend')} (%)", trend[["month", *TREND_RATES]], "month", [t(c) for c in TREND_RATES],
                "trend_rates", chart=show.labelled(trend, percent=TREND_RATES))
