"""总览 Overview: this month's headline figures with month-on-month and year-on-year changes and
the year to date."""

import pandas as pd
import streamlit as st

from ggzy.serve import dashboard_queries as queries

import regions
import show
from data import fetch
from labels import t

CARDS = ("n_concluded", "deal_amount", "savings_rate", "premium_rate", "e_bidding_rate", "on_time_rate",
         "amount_outstanding", "amount_sediment", "substitution_rate")
TREND_RATES = ("savings_rate", "e_bidding_rate", "on_time_rate", "substitution_rate")

selection = st.session_state["selection"]
headline = fetch(queries.headline_by_month, selection).set_index("month")
month = pd.Timestamp(selection.end)
if month not in headline.index:
    st.info(t("no_data"))
    st.stop()
periods = fetch(queries.headline_periods, selection)  # 环比 and 同比, from mart_kpi_periods

st.caption(f"{t('as_of')}: {month:%Y-%m}")
show.cards(CARDS, periods, selection)

long = fetch(queries.sub_regions, selection)  # the regions one level below, this month
if long.empty:
    st.caption(t("no_sub_regions"))
else:
    regions.table(long, periods.at["deal_amount", "value"], selection)

n_months = st.radio(t("trend_months"), [12, 24], horizontal=True, key="trend_months")
trend = headline[headline.index > month - pd.DateOffset(months=n_months)].reset_index()
show.trend(f"{t('trend')} · {show.label('deal_amount')}", trend[["month", "deal_amount"]], ["deal_amount"],
           "amount", "trend_deal_amount")
show.trend(f"{t('trend')} · %", trend, list(TREND_RATES), "rate", "trend_rates")  # with their parts
show.year_on_year(f"{t('yoy')} · {show.label('deal_amount')}", headline, "deal_amount", "amount", month.year,
                  "deal_amount_year_on_year")
