"""电子化 E-bidding and remote evaluation over concluded sections."""

import streamlit as st

from ggzy import dashboard_queries as queries

import show
from data import fetch, headline_in_range
from labels import name, t

RATES = ("e_bidding_rate", "e_bidding_rate_amount")

selection = st.session_state["selection"]
headline = show.or_stop(headline_in_range(selection))
parts = ["month", "n_concluded", "n_electronic", "deal_amount", "deal_amount_electronic", *RATES]
show.line_chart(f"{t('e_bidding_rate')} (%)", headline[parts], "month", [t(r) for r in RATES],
                "e_bidding_trend", chart=show.labelled(headline, percent=RATES))
remote = headline[["month", "n_remote_evaluation", "deal_amount_remote_evaluation"]]
show.bar_chart(t("n_remote_evaluation"), remote, "month", t("n_remote_evaluation"), "remote_evaluation",
               chart=show.labelled(remote, plain=("n_remote_evaluation",)))

by_category = fetch(queries.e_bidding_by_category, selection)
by_category["category"] = [name(row) for row in by_category.to_dict("records")]
show.bar_chart(f"{t('by_category')} · {t('e_bidding_rate')} (%)", by_category, "category",
               t("e_bidding_rate"), "e_bidding_by_category",
               chart=show.labelled(by_category, percent=("e_bidding_rate",)), horizontal=True)
