"""数据质量 Data quality: loads by month and kind (gaps show), the builds, validation warnings."""

import pandas as pd
import streamlit as st

from ggzy import dashboard_queries as queries

import show
from data import fetch
from labels import t

loads = fetch(queries.loads)
current = loads[~loads.retracted]
by_month = current.pivot_table(index="period", columns="kind", values="n_rows", aggfunc="sum")
every_month = pd.date_range(by_month.index.min(), by_month.index.max(), freq="MS") if len(by_month) else []
by_month = by_month.reindex(index=every_month, columns=["deals", "securities", "refunds"])  # gaps stay blank
by_month.index = [f"{m:%Y-%m}" for m in by_month.index]
st.subheader(t("loads_by_month"))
st.dataframe(by_month, width="stretch")
show.table(t("loads"), loads, "loads")
show.table(t("builds"), fetch(queries.builds), "builds")
warnings = fetch(queries.validation_warnings)
if warnings.empty:
    st.subheader(t("warnings"))
    st.write(t("none"))
else:
    show.table(t("warnings"), warnings, "warnings")
