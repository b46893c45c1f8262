"""风险预警 Risk flags: where to look — leads (疑似, 风险提示), never verdicts. How many of each
indicator fired by month, the flagged sections and bidders with the figure that fired and its
threshold, the deposits behind them, and which indicators this warehouse can calculate (the
column that would enable the others). Rules and sources: docs/risk-flags.md."""

from functools import partial

import pandas as pd
import streamlit as st

from ggzy.common.contract import BY_NAME, FILE_KINDS, column_words
from ggzy.ingest.validate import subject_words
from ggzy.report.format import exact_share, exact_yuan
from ggzy.report.report import MIME, flagged_only, risk_counts, risk_workbook
from ggzy.serve import dashboard_queries as queries

import show
from data import fetch
from labels import english, language, name, t

selection = st.session_state["selection"]
flags = fetch(queries.risk_flags, selection)
indicators = fetch(queries.risk_indicators)
st.info(t("risk_leads"))


def column_name(column: str | None) -> str:
    """The column a result lacks, as users call it (a column of a kind of file), or the kind of
    file itself (the bids: a warehouse without any)."""
    if column in BY_NAME:
        zh, en = subject_words()[column]
        return f"{en} files" if english() else f"{zh}文件"
    for kind in FILE_KINDS:
        zh, en = column_words(kind, column)
        if zh != column:
            return en if english() else zh
    return column or ""


def coverage_table() -> None:
    """Which indicators the selection's data can calculate, and the columns that would make the
    others calculable (ggzy.report.report.risk_counts)."""
    counts = risk_counts(flags, indicators)
    rows = pd.DataFrame({
        t("risk_indicator"): [name(c, "indicator_zh", "indicator_en") for _, c in counts.iterrows()],
        t("risk_calculated"): counts.n_calculated, t("risk_flagged"): counts.n_flagged,
        t("risk_insufficient"): counts.n_insufficient, t("risk_undefined"): counts.n_undefined,
        t("risk_missing"): [(", " if english() else "、").join(column_name(c) for c in missing)
                            for missing in counts.missing]})
    show.table(t("risk_coverage"), rows, "risk_coverage")


if flags.empty:
    st.write(t("none"))
    coverage_table()
    st.stop()
flags = flags.sort_values(["sort_order", "month", "entity_key"], ignore_index=True)
flags["indicator_name"] = [name(row, "indicator_zh", "indicator_en") for _, row in flags.iterrows()]
flags["period"] = [f"{m:%Y-%m}" if grain in ("section", "security") else f"{m:%Y}"  # a year's
                   for m, grain in zip(flags.month, flags.grain, strict=True)]
flagged = flagged_only(flags)


changes = fetch(queries.risk_changes, selection)
st.subheader(t("risk_changes").format(month=f"{selection.end:%Y-%m}"))
show.grid(pd.DataFrame({
    t("risk_indicator"): [name(row, "indicator_zh", "indicator_en") for _, row in changes.iterrows()],
    t("risk_flagged"): [show.count(n) for n in changes.n_month],
    t("risk_month_before"): [show.count(n) for n in changes.n_month_before],
    t("mom"): [show.change(c, "count") or "—" for c in changes.change_mom],
    t("risk_year_before"): [show.count(n) for n in changes.n_year_before],
    t("yoy"): [show.change(c, "count") or "—" for c in changes.change_yoy]}))

st.subheader(t("risk_by_month"))
by_month = flagged.pivot_table(index="indicator_name", columns="period", values="entity_key", aggfunc="count",
                               sort=False).fillna(0).astype(int)
show.grid(by_month.rename_axis(index=t("risk_indicator"), columns=None), hide_index=False)

def days(value) -> str:
    return "—" if pd.isna(value) else t("risk_days").format(int(value))


shown_as = {"share": exact_share, "amount": exact_yuan, "count": show.count, "days": days,  # by the
            "none": lambda _: "—"}  # indicator's unit (dim_risk_indicator)
listed = flagged.assign(
    value=[shown_as[unit](v) for unit, v in zip(flagged.unit, flagged.value, strict=True)],
    threshold=[shown_as[unit](v) for unit, v in zip(flagged.unit, flagged.threshold, strict=True)],
    threshold_source=[t(f"risk_source_{s}") for s in flagged.threshold_source],
    region_zh=flagged.region_zh.fillna("—"))[
    ["indicator_name", "entity_key", "period", "region_zh", "value", "threshold", "threshold_source"]]
list_headers = {
    "indicator_name": t("risk_indicator"), "entity_key": t("risk_entity"), "period": t("month"),
    "region_zh": t("region"), "value": t("risk_value"), "threshold": t("risk_threshold"),
    "threshold_source": t("risk_source")}
show.table(t("risk_list"), listed.rename(columns=list_headers), "risk_flags",
           raw=flagged.drop(columns=["indicator_name", "period"]))

evidence = fetch(queries.risk_evidence, selection)
names = dict(zip(flags.indicator, flags.indicator_name, strict=False))
shown = evidence.assign(
    indicator=[names.get(i, i) for i in evidence.indicator],
    pay_form=[name(row, "pay_form_zh", "pay_form_en") for _, row in evidence.iterrows()],
    received_date=evidence.received_date.dt.strftime("%Y-%m-%d"))
evidence_headers = {
    "indicator": t("risk_indicator"), "entity_key": t("risk_entity"), "bidder_code": t("bidder"),
    "bidder_name": t("bidder_name"), "security_id": t("security_code"), "pay_form": t("pay_form"),
    "issuer": t("issuer"), "payer_account_masked": t("payer_account"), "payer_name": t("payer_name"),
    "received_date": t("received_date"), "amount": t("amount_yuan"), "budget_amount": t("budget_yuan")}
evidence_columns = list(evidence_headers)
if not flagged.empty:
    st.subheader(t("risk_drill"))
    chosen = st.selectbox(t("risk_entity"), flagged.entity_key.unique(), key="risk_entity")
    show.grid(listed[listed.entity_key == chosen].rename(columns=list_headers), height="content")
    behind = shown[shown.entity_key == chosen]
    if behind.empty:
        st.caption(t("risk_no_deposits"))
    else:
        show.grid(behind[evidence_columns].rename(columns=evidence_headers), height="content")

show.table(t("risk_evidence"), shown[evidence_columns].rename(columns=evidence_headers), "risk_evidence",
           raw=evidence)

coverage_table()
workbook = partial(risk_workbook, flags, indicators, evidence.assign(
    indicator_name=shown.indicator, pay_form=shown.pay_form), st.session_state["region_path"],
    f"{fetch(queries.as_at, selection):%Y-%m-%d}", language())
st.download_button(t("download_xlsx"), data=workbook, file_name="risk_flags.xlsx", mime=MIME["xlsx"],
                   key="risk_xlsx", on_click="ignore")
