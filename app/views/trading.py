"""交易量 Trading volume: by category over time, regions ranked, tender modes."""

import streamlit as st

from ggzy import dashboard_queries as queries

import show
from data import fetch
from labels import name, t

selection = st.session_state["selection"]
by_category = show.or_stop(fetch(queries.trading_by_category, selection))
by_category["category"] = [name(row) for row in by_category.to_dict("records")]
stacked = show.labelled(by_category, wan=("deal_amount",))
show.bar_chart(f"{t('by_category')} · {t('deal_amount')}", by_category, "month", t("deal_amount"),
               "trading_by_category", chart=stacked, color="category")
counts = ["n_sections", "n_concluded", "n_failed", "n_terminated"]
st.dataframe(by_category.groupby("category")[counts].sum().rename(columns=t), width="stretch")

ranked = fetch(queries.regions_ranked, selection)
show.bar_chart(t("regions_ranked"), ranked, "name_zh", t("deal_amount"), "regions_ranked",
               chart=show.labelled(ranked.head(30), wan=("deal_amount",)), horizontal=True)

modes = fetch(queries.tender_modes, selection)
modes["mode"] = [name(row) for row in modes.to_dict("records")]
show.bar_chart(t("tender_modes"), modes, "mode", t("deal_amount"), "tender_modes",
               chart=show.labelled(modes, wan=("deal_amount",)), horizontal=True)
