"""风险预警 Risk flags: where to look — leads (疑似, 风险提示), never verdicts. How many of each
indicator fired by month, the flagged sections and bidders with the figure that fired and its
threshold, the deposits behind them, and which indicators this warehouse can calculate (the
column that would enable the others). Rules and sources: docs/risk-flags.md."""

from decimal import Decimal

import streamlit as st

from ggzy.common.contract import KINDS, column_words
from ggzy.serve import dashboard_queries as queries

import show
from data import fetch
from labels import english, name, t

selection = st.session_state["selection"]
flags = fetch(queries.risk_flags, selection)
st.info(t("risk_leads"))
if flags.empty:
    st.write(t("none"))
    st.stop()
flags = flags.sort_values(["sort_order", "month", "entity_key"], ignore_index=True)
flags["indicator_name"] = [name(row, "indicator_zh", "indicator_en") for _, row in flags.iterrows()]
flags["period"] = [f"{m:%Y}" if grain == "bidder_year" else f"{m:%Y-%m}"  # a bidder's year, a section's month
                   for m, grain in zip(flags.month, flags.grain, strict=True)]
flagged = flags[flags.flagged.fillna(False).astype(bool)]


def column_name(column: str | None) -> str:
    """The column a result lacks, as users call it (a deals or securities column)."""
    for kind in KINDS:
        zh, en = column_words(kind, column)
        if zh != column:
            return en if english() else zh
    return column or ""


st.subheader(t("risk_by_month"))
by_month = flagged.pivot_table(index="indicator_name", columns="period", values="entity_key", aggfunc="count",
                               sort=False).fillna(0).astype(int)
show.grid(by_month.rename_axis(index=t("risk_indicator"), columns=None), hide_index=False)

def share(value) -> str:
    """A share as a percentage to the precision it fired at: 2.01%, 2.0036% (above a 2% cap)."""
    return f"{Decimal(value) * 100:.4f}".rstrip("0").rstrip(".") + "%"


shown_as = {"share": share, "count": show.count}  # dim_risk_indicator.unit
listed = flagged.assign(
    value=[shown_as[unit](v) for unit, v in zip(flagged.unit, flagged.value, strict=True)],
    threshold=[shown_as[unit](v) for unit, v in zip(flagged.unit, flagged.threshold, strict=True)],
    threshold_source=[t(f"risk_source_{s}") for s in flagged.threshold_source],
    region_zh=flagged.region_zh.fillna("—"))[
    ["indicator_name", "entity_key", "period", "region_zh", "value", "threshold", "threshold_source"]]
show.table(t("risk_list"), listed.rename(columns={
    "indicator_name": t("risk_indicator"), "entity_key": t("risk_entity"), "period": t("month"),
    "region_zh": t("region"), "value": t("risk_value"), "threshold": t("risk_threshold"),
    "threshold_source": t("risk_source")}), "risk_flags",
    raw=flagged.drop(columns=["indicator_name", "period"]))

evidence = fetch(queries.risk_evidence, selection)
names = dict(zip(flags.indicator, flags.indicator_name, strict=False))
shown = evidence.assign(
    indicator=[names.get(i, i) for i in evidence.indicator],
    pay_form=[name(row, "pay_form_zh", "pay_form_en") for _, row in evidence.iterrows()],
    received_date=evidence.received_date.dt.strftime("%Y-%m-%d"))
show.table(t("risk_evidence"), shown[[
    "indicator", "entity_key", "bidder_code", "bidder_name", "security_id", "pay_form", "issuer",
    "received_date", "amount", "budget_amount"]].rename(columns={
        "indicator": t("risk_indicator"), "entity_key": t("risk_entity"), "bidder_code": t("bidder"),
        "bidder_name": t("bidder_name"), "security_id": t("security_code"), "pay_form": t("pay_form"),
        "issuer": t("issuer"), "received_date": t("received_date"), "amount": t("amount_yuan"),
        "budget_amount": t("budget_yuan")}), "risk_evidence", raw=evidence)

coverage = flags.groupby("indicator_name", sort=False).agg(
    calculated=("status", lambda s: int((s == "calculated").sum())),
    flagged=("flagged", lambda s: int(s.fillna(False).astype(bool).sum())),
    insufficient=("status", lambda s: int((s == "insufficient_data").sum())),
    undefined=("status", lambda s: int((s == "undefined").sum())),
    missing=("missing", lambda s: "、".join(column_name(c) for c in s.dropna().unique())))
show.table(t("risk_coverage"), coverage.reset_index().rename(columns={
    "indicator_name": t("risk_indicator"), "calculated": t("risk_calculated"), "flagged": t("risk_flagged"),
    "insufficient": t("risk_insufficient"), "undefined": t("risk_undefined"), "missing": t("risk_missing")}),
    "risk_coverage")
