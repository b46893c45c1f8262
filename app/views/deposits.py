"""保证金 Deposits: due / on time / late, days to refund, outstanding by age, sediment to clear."""

import streamlit as st

from ggzy import dashboard_queries as queries

import show
from data import fetch, headline_in_range
from labels import name, t

selection = st.session_state["selection"]
headline = show.or_stop(headline_in_range(selection))
due = headline[["month", "n_due", "n_due_on_time", "n_due_late", "on_time_rate"]]
show.bar_chart(f"{t('n_due')}: {t('n_due_on_time')} / {t('n_due_late')}", due, "month",
               [t("n_due_on_time"), t("n_due_late")], "deposits_due",
               chart=show.labelled(due, plain=("n_due_on_time", "n_due_late")))
show.line_chart(f"{t('on_time_rate')} (%)", due, "month", t("on_time_rate"), "on_time_rate",
                chart=show.labelled(due, percent=("on_time_rate",)))

days = fetch(queries.days_to_refund_distribution, selection)
days["days_bucket"] = [name(bucket) for bucket in days.to_dict("records")]
show.bar_chart(t("days_to_refund"), days, "days_bucket", "n_settled", "days_to_refund")

ages = fetch(queries.outstanding_by_age, selection)
ages["age"] = [name(bucket) for bucket in ages.to_dict("records")]
show.bar_chart(t("outstanding_by_age"), ages, "age", t("amount_outstanding"), "outstanding_by_age",
               chart=show.labelled(ages, wan=("amount_outstanding",)), horizontal=True)

n_sediment, amount_sediment = fetch(queries.sediment_totals, selection)
sediment = fetch(queries.sediment_deposits, selection)
st.subheader(f"{t('sediment_list')}: {n_sediment:,} · {show.wan(amount_sediment)}")
if n_sediment > len(sediment):
    st.caption(t("sediment_list_cut").format(n=len(sediment)))
categories = [name(r, "category_zh", "category_en") for r in sediment.to_dict("records")]
listed = sediment.assign(category=categories).drop(columns=["category_zh", "category_en"])
st.dataframe(listed, hide_index=True, width="stretch")
show.download(sediment, "sediment_deposits")
if not sediment.empty:
    chosen = st.selectbox(t("security"), sediment.security_id, key="sediment_security")
    detail = fetch(queries.security_detail, chosen).iloc[0]
    st.dataframe({"": list(detail.index), chosen: [show.cell(v) for v in detail]}, width="stretch")
