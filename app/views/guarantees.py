"""保函替代 Guarantee substitution: share by pay form over time, cash freed, fees bidders paid."""

import streamlit as st

from ggzy import dashboard_queries as queries

import show
from data import fetch, headline_in_range
from labels import name, t

selection = st.session_state["selection"]
forms = show.or_stop(fetch(queries.guarantee_forms_by_month, selection))
names = {form["code"]: name(form) for form in fetch(queries.pay_forms).to_dict("records")}
shares = forms.assign(**{code: forms[code].astype(float) / forms.amount_total.astype(float) * 100
                         for code in names}).rename(columns=names)
show.bar_chart(f"{t('share_by_form')} (%)", forms, "month", list(names.values()), "guarantee_forms",
               chart=shares)

freed = headline_in_range(selection)[
    ["month", "amount_guarantee", "guarantee_fee", "amount_total", "substitution_rate"]]
show.bar_chart(t("amount_guarantee"), freed, "month", t("amount_guarantee"), "cash_freed",
               chart=show.labelled(freed, wan=("amount_guarantee",)))
show.line_chart(t("guarantee_fee"), freed, "month", t("guarantee_fee"), "guarantee_fees",
                chart=show.labelled(freed, wan=("guarantee_fee",)))
