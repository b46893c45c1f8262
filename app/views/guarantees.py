"""保函替代 Guarantee substitution: the selected months' totals (cash freed, fees and the average
fee rate, substitution by amount and by count), share by pay form over time, cash freed and fees
by month."""

import streamlit as st

from ggzy.serve import dashboard_queries as queries

import show
from data import fetch, headline_in_range
from labels import name, t

TOTALS = ("amount_guarantee", "guarantee_fee", "guarantee_fee_rate", "substitution_rate",
          "substitution_rate_count")

selection = st.session_state["selection"]
forms = show.or_stop(fetch(queries.guarantee_forms_by_month, selection))
over_range = fetch(queries.headline_over_range, selection)
st.subheader(t("over_range"))
for column, metric in zip(st.columns(len(TOTALS)), TOTALS, strict=True):
    column.metric(show.label(metric), show.figure(over_range[metric], show.unit_of(metric)),
                  help=show.definition(metric, fetch(queries.metric_definitions)))
names = {form["code"]: name(form) for form in fetch(queries.pay_forms).to_dict("records")}
shares = forms.assign(**{code: forms[code] / forms.amount_total for code in names})
show.trend(t("share_by_form"), shares, list(names), "rate", "guarantee_forms", bars=True, names=names,
           raw=forms)

freed = headline_in_range(selection)[
    ["month", "amount_guarantee", "guarantee_fee", "amount_total", "substitution_rate"]]
show.trend(show.label("amount_guarantee"), freed, ["amount_guarantee"], "amount", "cash_freed", bars=True)
show.trend(show.label("guarantee_fee"), freed, ["guarantee_fee"], "amount", "guarantee_fees")
