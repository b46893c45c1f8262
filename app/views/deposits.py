"""保证金 Deposits: due / on time / late, days to refund, outstanding by age, sediment to clear."""

from decimal import Decimal

import pandas as pd
import streamlit as st

from ggzy.report.report import MIME, sediment_workbook
from ggzy.serve import dashboard_queries as queries

import show
from data import csv_bytes, fetch, headline_in_range
from labels import language, name, t

selection = st.session_state["selection"]
headline = show.or_stop(headline_in_range(selection))
# the stocks, ages and lists below are all as at the selected range's last month end
as_at = f"{fetch(queries.as_at, selection):%Y-%m-%d}"
n_sediment, amount_sediment = fetch(queries.sediment_totals, selection)
amount_card, count_card = st.columns(2)
for card, metric, words, shown in ((amount_card, "amount_sediment", "sediment_month_end",
                                    show.figure(amount_sediment, "amount")),
                                   (count_card, "n_sediment", "n_sediment_month_end", f"{n_sediment:,}")):
    card.metric(t(words).format(month=f"{selection.end:%Y-%m}"), shown,
                help=f"{show.definition(metric, fetch(queries.metric_definitions))}\n\n"
                     + t("as_at_help").format(date=as_at))
st.subheader(t("sediment_cleared"))  # 清理沉淀保证金: the flow out of the stock, month and year
show.cards(("n_sediment_cleared", "amount_sediment_cleared"), fetch(queries.headline_periods, selection),
           selection, per_row=2)

due = headline[["month", "n_due", "n_due_on_time", "n_due_late", "on_time_rate"]]
show.trend(f"{show.label('n_due')}: {show.label('n_due_on_time')} / {show.label('n_due_late')}", due,
           ["n_due_on_time", "n_due_late"], "count", "deposits_due", bars=True)
show.trend(show.label("on_time_rate"), due, ["on_time_rate"], "rate", "on_time_rate")

days = fetch(queries.days_to_refund_distribution, selection)
days["days_bucket"] = [name(bucket) for bucket in days.to_dict("records")]
show.ranked(t("days_to_refund"), days, "days_bucket", "n_settled", "count", "days_to_refund",
            order=list(days.days_bucket))  # the buckets' own order, shortest first

ages = fetch(queries.outstanding_by_age, selection)
ages["age"] = [name(bucket) for bucket in ages.to_dict("records")]
show.ranked(t("outstanding_by_age"), ages, "age", "amount_outstanding", "amount", "outstanding_by_age",
            order=list(ages.age))  # sediment last

st.subheader(f"{t('sediment_list')}: {n_sediment:,} · {show.figure(amount_sediment, 'amount')}")
by_county, by_bidder = st.columns(2)
with by_county:
    county = fetch(queries.sediment_ranking, selection, "county")
    show.ranked(t("sediment_by_county"), county, "holder", "amount_sediment", "amount", "sediment_by_county")
with by_bidder:
    bidder = fetch(queries.sediment_ranking, selection, "bidder")
    show.ranked(t("sediment_by_bidder"), bidder, "holder", "amount_sediment", "amount", "sediment_by_bidder")
min_days, min_wan = st.columns(2)
days = min_days.number_input(t("min_days_overdue"), min_value=0, value=0, step=30, key="sediment_min_days")
wan = min_wan.number_input(t("min_outstanding_wan"), min_value=0.0, value=0.0, step=1.0,
                           key="sediment_min_wan")
threshold = (Decimal(str(wan)) * show.WAN).quantize(Decimal("0.01"))
sediment = fetch(queries.sediment_deposits, selection, queries.SEDIMENT_LIST_ROWS, days, threshold)
n_listed = int(sediment.n_listed.iloc[0]) if len(sediment) else 0
if n_listed > len(sediment):
    st.caption(t("sediment_list_cut").format(n=len(sediment), total=n_listed))
listed = pd.DataFrame({  # oldest first: the work list, in the words and units a centre uses
    t("security_code"): sediment.security_id, t("province"): sediment.province_name_zh,
    t("prefecture"): sediment.prefecture_name_zh, t("county"): sediment.region_name,
    t("category"): [name(r, "category_zh", "category_en") for r in sediment.to_dict("records")],
    t("project"): sediment.tender_project_code, t("bidder_name"): sediment.bidder_name.fillna("—"),
    t("bidder"): sediment.bidder_code,
    t("outstanding_wan"): [show.wan(v) for v in sediment.outstanding_amount],
    t("due_date"): sediment.due_date.dt.strftime("%Y-%m-%d"), t("days_overdue"): sediment.days_overdue})
show.grid(listed)


def whole_list():
    """Every deposit of the filtered list (fetched only when a download is clicked)."""
    return fetch(queries.sediment_deposits, selection, None, days, threshold).drop(columns="n_listed")


region_path, lang = st.session_state["region_path"], language()
csv, xlsx = st.columns(2)
csv.download_button(t("download"), data=lambda: csv_bytes(whole_list()), file_name="sediment_deposits.csv",
                    mime="text/csv", key="sediment_csv", on_click="ignore")
xlsx.download_button(t("download_xlsx"), key="sediment_xlsx", on_click="ignore",
                     data=lambda: sediment_workbook(whole_list(), region_path, as_at, lang),
                     file_name="sediment_deposits.xlsx", mime=MIME["xlsx"])
if not sediment.empty:
    st.subheader(t("security_detail"))
    chosen = st.selectbox(t("security_code"), sediment.security_id, key="sediment_security")
    show.grid(show.detail(fetch(queries.security_detail, chosen).iloc[0]), height="content")
