"""电子化 E-bidding and remote evaluation over concluded sections: the last month's cards (count
and amount with 同比 and the year to date), trends, by category."""

import streamlit as st

from ggzy.serve import dashboard_queries as queries

import show
from data import fetch, headline_in_range
from labels import name, t

RATES = ("e_bidding_rate", "e_bidding_rate_amount")

selection = st.session_state["selection"]
headline = show.or_stop(headline_in_range(selection))
show.cards(("e_bidding_rate", "n_remote_evaluation", "deal_amount_remote_evaluation"),
           fetch(queries.headline_periods, selection), selection)
parts = ["month", "n_concluded", "n_e_known", "n_electronic", "deal_amount", "deal_amount_e_known",
         "deal_amount_electronic", *RATES]
show.trend(show.label("e_bidding_rate"), headline[parts], list(RATES), "rate", "e_bidding_trend")
remote = headline[["month", "n_remote_evaluation", "deal_amount_remote_evaluation"]]
show.trend(show.label("n_remote_evaluation"), remote, ["n_remote_evaluation"], "count", "remote_evaluation",
           bars=True)

by_category = fetch(queries.e_bidding_by_category, selection)
by_category["category"] = [name(row) for row in by_category.to_dict("records")]
show.ranked(f"{t('by_category')} · {show.label('e_bidding_rate')}", by_category, "category", "e_bidding_rate",
            "rate", "e_bidding_by_category")
