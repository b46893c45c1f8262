"""总览 Overview: this month's headline figures with month-on-month and year-on-year changes."""

import pandas as pd
import streamlit as st

from ggzy import dashboard_queries as queries

import show
from data import fetch
from labels import t

CARDS = (  # (figure, how it is shown)
    ("n_concluded", show.count), ("deal_amount", show.wan), ("savings_rate", show.pct),
    ("premium_rate", show.pct), ("e_bidding_rate", show.pct), ("on_time_rate", show.pct),
    ("amount_outstanding", show.wan), ("amount_sediment", show.wan), ("substitution_rate", show.pct),
)
TREND_RATES = ("savings_rate", "e_bidding_rate", "on_time_rate", "substitution_rate")

selection = st.session_state["selection"]
headline = fetch(queries.headline_by_month, selection).set_index("month")
month = pd.Timestamp(selection.end)
if month not in headline.index:
    st.info(t("no_data"))
    st.stop()
periods = fetch(queries.headline_periods, selection)  # 环比 and 同比, from mart_kpi_periods

st.caption(f"{t('as_of')}: {month:%Y-%m}")
columns = st.columns(3)
for i, (column, fmt) in enumerate(CARDS):
    figure = periods.loc[column]
    with columns[i % 3]:
        st.metric(t(column), fmt(headline.at[month, column]),
                  delta=show.change(figure.change_mom, figure.unit), help=f"{t('mom')} / {t('yoy')}")
        st.caption(f"{t('yoy')} {show.change(figure.change_yoy, figure.unit) or '—'}")

n_months = st.radio(t("trend_months"), [12, 24], horizontal=True, key="trend_months")
trend = headline[headline.index > month - pd.DateOffset(months=n_months)].reset_index()
show.line_chart(f"{t('trend')} · {t('deal_amount')}", trend[["month", "deal_amount"]], "month",
                t("deal_amount"), "trend_deal_amount", chart=show.labelled(trend, wan=("deal_amount",)))
show.line_chart(f"{t('trend')} (%)", trend[["month", *TREND_RATES]], "month", [t(c) for c in TREND_RATES],
                "trend_rates", chart=show.labelled(trend, percent=TREND_RATES))
