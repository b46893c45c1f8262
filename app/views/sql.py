"""查询 SQL: read-only ad hoc queries on the snapshot (sandboxed, row cap, time limit)."""

import pandas as pd
import streamlit as st

from ggzy.common.errors import GgzyError
from ggzy.serve.adhoc_sql import ROW_CAP, run_query

import show
from data import warehouse_home
from labels import t

EXAMPLE = ("select month, region_code, deal_amount, savings_rate\nfrom marts.mart_kpi_monthly\n"
           "where region_level = 'province'\norder by month desc, deal_amount desc\nlimit 20")

query = st.text_area(t("query"), EXAMPLE, height=160, key="sql_query")
if st.button(t("run"), key="sql_run") or "sql_result" in st.session_state:
    try:
        result = run_query(warehouse_home(), query)
    except GgzyError as e:
        st.error(f"{t('query_failed')}: {e}")
        st.stop()
    frame = pd.DataFrame(result.rows, columns=result.columns)
    st.session_state["sql_result"] = True
    if result.truncated:
        st.warning(t("row_cap").format(n=ROW_CAP))
    show.grid(frame)
    show.download(frame, "query")
