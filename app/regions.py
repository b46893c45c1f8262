"""The regions one level below the selection, ranked: each KPI, its share of the whole, its
change in rank since last month and its 同比; choosing a row drills into it, as the sidebar does."""

import pandas as pd
import streamlit as st

from ggzy.serve import dashboard_queries as queries
from ggzy.serve.anomaly import is_anomaly, weak_base

import show
from data import fetch
from labels import t, with_unit

KPIS = ("n_concluded", "savings_rate", "e_bidding_rate", "on_time_rate", "amount_sediment",
        "substitution_rate")


def _unusual(long: pd.DataFrame, definitions: pd.DataFrame, month, first_month) -> pd.Series:
    """Per region, the figures of the table whose 同比 is beyond its threshold on a base strong
    enough to be news (ggzy.serve.anomaly), by name."""
    shown = long[long.metric.isin(("deal_amount", *KPIS))]
    base = long[long.metric == "n_concluded"].set_index("region_code").value_last_year
    values = long.set_index(["region_code", "metric"])

    def news(row) -> bool:
        def value(metric: str, now: bool):
            return values.value.get((row.region_code, metric)) if now else \
                values.value_last_year.get((row.region_code, metric))
        return (is_anomaly(row.change_yoy, row.change_unit, base.get(row.region_code))
                and weak_base(row.metric, definitions, value, month, first_month) is None)

    flagged = shown[[news(row) for row in shown.itertuples()]]
    return flagged.groupby("region_code").metric.agg(lambda ms: "⚠ " + "、".join(show.label(m) for m in ms))


def _rank_change(places: float) -> str:
    """↑2 / ↓1 places since last month, – unchanged, — no rank last month."""
    if places != places:
        return "—"
    return "–" if places == 0 else f"{'↑' if places > 0 else '↓'}{abs(int(places))}"


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
        t("rank_change"): [_rank_change(v)
                           for v in before.astype(float).rank(ascending=False, method="min") - rank],
    }
    formats = {t("rank"): "%d"}
    for metric in KPIS:
        shown, metric_unit, _ = show.scaled(values[metric], show.unit_of(metric))
        heading = with_unit(show.label(metric), metric_unit)
        columns[heading] = shown
        if show.unit_of(metric) == "count":
            formats[heading] = "localized"
    columns[t("anomaly")] = _unusual(long, fetch(queries.metric_definitions), selection.end,
                                     fetch(queries.months)[0])
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
