"""交易量 Trading volume: by category over time with counts, amounts and their total, the last
month by category with 同比 and the year to date, regions ranked, tender modes."""

import pandas as pd
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
summed = by_category.groupby("category", sort=False)[[*counts, "deal_amount"]].sum()
summed.loc[t("total")] = summed.sum()  # additive parts: the total is their sum
summed["deal_amount"] = [show.wan(v) for v in summed.deal_amount]
summed.index.name = t("category")
show.grid(summed.rename(columns=t), hide_index=False)

changes = fetch(queries.category_changes, selection)  # the last month, with 同比 and the year to date
st.subheader(t("category_changes").format(month=f"{selection.end:%Y-%m}"))
show.grid(pd.DataFrame({
    t("category"): [name(r) if r["trade_category"] != "all" else t("total")
                    for r in changes.to_dict("records")],
    t("deal_amount"): [show.wan(v) for v in changes.value],
    t("yoy"): [show.change(v, "amount") or "—" for v in changes.change_yoy],
    t("last_year_value") + t("wan_suffix"): [show.wan(v) for v in changes.value_last_year],
    t("ytd") + t("wan_suffix"): [show.wan(v) for v in changes.value_ytd],
    t("ytd_yoy"): [show.change(v, "amount") or "—" for v in changes.change_ytd_yoy]}))

ranked = fetch(queries.regions_ranked, selection)
if ranked.empty:  # one county, or deals of no known region (OCDS)
    st.subheader(f"{t('regions_ranked')} · {show.label('deal_amount')}")
    st.caption(t("no_sub_regions"))
else:
    show.ranked(f"{t('regions_ranked')} · {show.label('deal_amount')}", ranked, "name_zh", "deal_amount",
                "amount", "regions_ranked")

modes = fetch(queries.tender_modes, selection)
modes["mode"] = [name(row) for row in modes.to_dict("records")]
show.ranked(f"{t('tender_modes')} · {show.label('deal_amount')}", modes, "mode", "deal_amount", "amount",
            "tender_modes")
