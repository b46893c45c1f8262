"""总览 Overview: this month's headline figures with month-on-month and year-on-year changes."""

import pandas as pd
import streamlit as st

from ggzy.serve import dashboard_queries as queries
from ggzy.serve.anomaly import is_anomaly

import regions
import show
from data import fetch
from labels import name, t

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
definitions = fetch(queries.metric_definitions)
months = fetch(queries.months)

st.caption(f"{t('as_of')}: {month:%Y-%m}")
columns = st.columns(3)
for i, metric in enumerate(CARDS):
    figure, definition = periods.loc[metric], definitions.loc[metric]
    weak = show.weak_year_on_year(metric, periods, definitions, selection.end, months[0])
    unusual = [t(when) for when, change, base in (
        ("mom", figure.change_mom, periods.at["n_concluded", "value_prev_month"]),
        ("yoy", None if weak else figure.change_yoy, periods.at["n_concluded", "value_last_year"]))
        if is_anomaly(change, figure.change_unit, base)]
    with columns[i % 3]:
        st.metric(name(definition, "label_zh", "label_en"), show.figure(figure.value, figure.unit),
                  delta=show.change(figure.change_mom, figure.unit), delta_description=t("mom"),
                  delta_color="inverse" if definition.is_lower_better else "normal",
                  help=show.definition(metric, definitions)
                       + (f"\n\n{t('anomaly_help').format(changes='/'.join(unusual))}" if unusual else ""))
        st.caption(show.year_on_year_line(metric, periods, definitions, weak)
                   + (f" · ⚠ {t('anomaly')}（{'/'.join(unusual)}）" if unusual else ""))

long = fetch(queries.sub_regions, selection)  # the regions one level below, this month
if long.empty:
    st.caption(t("no_sub_regions"))
else:
    regions.table(long, periods.at["deal_amount", "value"], selection)

n_months = st.radio(t("trend_months"), [12, 24], horizontal=True, key="trend_months")
trend = headline[headline.index > month - pd.DateOffset(months=n_months)].reset_index()
show.trend(f"{t('trend')} · {show.label('deal_amount')}", trend[["month", "deal_amount"]], ["deal_amount"],
           "amount", "trend_deal_amount")
show.trend(f"{t('trend')} · %", trend[["month", *TREND_RATES]], list(TREND_RATES), "rate", "trend_rates")
show.year_on_year(f"{t('yoy')} · {show.label('deal_amount')}", headline, "deal_amount", "amount", month.year,
                  "deal_amount_year_on_year")
