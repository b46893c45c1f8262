"""节约率与溢价率 Savings (procurement-type) and premium (auction-type), recomputed from parts."""

import streamlit as st

from ggzy.serve import dashboard_queries as queries

import show
from data import fetch, headline_in_range
from labels import name, t

RATES = ("savings_rate", "premium_rate")

selection = st.session_state["selection"]
headline = show.or_stop(headline_in_range(selection))
parts = ["month", "savings_base_amount", "savings_amount", "premium_base_amount", "premium_amount", *RATES]
show.trend(f"{show.label('savings_rate')} / {show.label('premium_rate')}", headline[parts], list(RATES),
           "rate", "savings_trend")

by_category = fetch(queries.savings_by_category, selection)
shown = by_category.assign(
    category=[name(row) for row in by_category.to_dict("records")],
    deal_amount=[show.wan(v) for v in by_category.deal_amount_priced],
    savings_amount=[show.wan(v) for v in by_category.savings_amount],
    savings_rate=[show.pct(v) for v in by_category.savings_rate],
    premium_amount=[show.wan(v) for v in by_category.premium_amount],
    premium_rate=[show.pct(v) for v in by_category.premium_rate],
)
columns = ["category", "n_priced", "deal_amount", "savings_amount", "savings_rate", "premium_amount",
           "premium_rate"]
st.subheader(t("by_category"))
show.grid(shown[columns].rename(columns=t))
show.download(by_category, "savings_by_category")
