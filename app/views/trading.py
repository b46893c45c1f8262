"""交易量 Trading volume: by category over time, regions ranked, tender modes."""

import streamlit as st

from ggzy.serve import dashboard_queries as queries

import show
from data import fetch
from labels import name, t

selection = st.session_state["selection"]
by_category = show.or_stop(fetch(queries.trading_by_category, selection))
by_category["category"] = [name(row) for row in by_category.to_dict("records")]
names = dict(zip(by_category.trade_category, by_category.category, strict=False))
stacked = by_category.pivot_table(index="month", columns="trade_category", values="deal_amount",
                                  aggfunc="sum").reset_index()
show.trend(f"{t('by_category')} · {show.label('deal_amount')}", stacked, list(names), "amount",
           "trading_by_category", bars=True, names=names, raw=by_category)
counts = ["n_sections", "n_concluded", "n_failed", "n_terminated"]
show.grid(by_category.groupby("category", sort=False)[counts].sum().rename(columns=t), hide_index=False)

ranked = fetch(queries.regions_ranked, selection)
show.ranked(f"{t('regions_ranked')} · {show.label('deal_amount')}", ranked, "name_zh", "deal_amount",
            "amount", "regions_ranked")

modes = fetch(queries.tender_modes, selection)
modes["mode"] = [name(row) for row in modes.to_dict("records")]
show.ranked(f"{t('tender_modes')} · {show.label('deal_amount')}", modes, "mode", "deal_amount", "amount",
            "tender_modes")
