"""The regions one level below the selection, ranked: each KPI, its share of the whole, its
change in rank since last month and its 同比; choosing a row drills into it, as the sidebar does."""

import pandas as pd
import streamlit as st

from ggzy.serve import dashboard_queries as queries
from ggzy.serve.anomaly import is_anomaly

import show
from labels import t, with_unit

KPIS = ("n_concluded", "savings_rate", "e_bidding_rate", "on_time_rate", "amount_sediment",
        "substitution_rate")


def _unusual(long: pd.DataFrame) -> pd.Series:
    """Per region, the figures whose 同比 is beyond its threshold (ggzy.serve.anomaly), by name."""
    base = long[long.metric == "n_concluded"].set_index("region_code").value_last_year
    flagged = long[[is_anomaly(row.change_yoy, row.change_unit, base.get(row.region_code))
                    for row in long.itertuples()]]
    return flagged.groupby("region_code").metric.agg(lambda ms: "⚠ " + "、".join(show.label(m) for m in ms))


def table(long: pd.DataFrame, total, selection: queries.Selection) -> None:
    """``long``: dashboard_queries.sub_regions; ``total``: the selection's deal amount."""
    values = long.pivot(index="region_code", columns="metric", values="value")
    deal = values["deal_amount"].astype(float)
    before = long.pivot(index="region_code", columns="metric", values="value_prev_month")["deal_amount"]
    rank = deal.rank(ascending=False, method="min")
    amounts, unit, _ = show.scaled(values["deal_amount"], "amount")
    columns = {
        t("rank"): rank.astype(int),
        t("region"): long.drop_duplicates("region_code").set_index("region_code").name_zh,
        with_unit(show.label("deal_amount"), unit): amounts,
        with_unit(t("share"), "%"): deal / float(total) * 100 if total else None,
        t("yoy"): [show.change(v, "amount") or "—" for v in long.pivot(
            index="region_code", columns="metric", values="change_yoy")["deal_amount"].reindex(values.index)],
        t("rank_change"): [f"{int(v):+d}" if v == v else "—"
                           for v in before.astype(float).rank(ascending=False, method="min") - rank],
    }
    formats = {t("rank"): "%d"}
    for metric in KPIS:
        shown, metric_unit, _ = show.scaled(values[metric], show.unit_of(metric))
        heading = with_unit(show.label(metric), metric_unit)
        columns[heading] = shown
        if show.unit_of(metric) == "count":
            formats[heading] = "localized"
    columns[t("anomaly")] = _unusual(long)
    ranked = pd.DataFrame(columns).sort_values(t("rank"))
    child_level = queries.BELOW[selection.region_level].level

    def drill() -> None:  # before the next run, while the sidebar's choices may still be set
        chosen = st.session_state["regions_table"].selection.rows
        if chosen:
            st.session_state[child_level] = ranked.index[chosen[0]]

    st.subheader(t("regions_table"))
    show.grid(ranked, key="regions_table", on_select=drill, selection_mode="single-row",
              column_config={name: st.column_config.NumberColumn(format=formats.get(name, "%.2f"))
                             for name in ranked.columns if ranked[name].dtype.kind in "fi"})
    st.caption(t("regions_table_help"))
