"""保函替代 Guarantee substitution: share by pay form over time, cash freed, fees bidders paid."""

import streamlit as st

from ggzy.serve import dashboard_queries as queries

import show
from data import fetch, headline_in_range
from labels import name, t

selection = st.session_state["selection"]
forms = show.or_stop(fetch(queries.guarantee_forms_by_month, selection))
names = {form["code"]: name(form) for form in fetch(queries.pay_forms).to_dict("records")}
shares = forms.assign(**{code: forms[code] / forms.amount_total for code in names})
show.trend(t("share_by_form"), shares, list(names), "rate", "guarantee_forms", bars=True, names=names,
           raw=forms)

freed = headline_in_range(selection)[
    ["month", "amount_guarantee", "guarantee_fee", "amount_total", "substitution_rate"]]
show.trend(show.label("amount_guarantee"), freed, ["amount_guarantee"], "amount", "cash_freed", bars=True)
show.trend(show.label("guarantee_fee"), freed, ["guarantee_fee"], "amount", "guarantee_fees")
