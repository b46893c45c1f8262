"""节约率与溢价率 Savings (procurement-type) on their budgets and premium (auction-type) on their
starting prices, recomputed from parts, by category and in total; — where a figure does not apply."""

import pandas as pd
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

by_category = fetch(queries.savings_by_category, selection)  # the last row: every category together
shown = pd.DataFrame({
    "category": [t("total") if pd.isna(row["code"]) else name(row) for row in by_category.to_dict("records")],
    "n_priced": by_category.n_priced,
    "deal_amount": [show.wan(v) for v in by_category.deal_amount_priced],
    **{column: [show.wan(v) for v in by_category[column]]
       for column in ("savings_base_amount", "savings_amount", "premium_base_amount", "premium_amount")},
    **{rate: [show.pct(v) for v in by_category[rate]] for rate in RATES},
})
st.subheader(t("by_category"))
show.grid(shown.rename(columns=t))
show.download(by_category, "savings_by_category")
