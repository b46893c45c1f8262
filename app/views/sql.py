"""查询 SQL: read-only ad hoc queries on the snapshot (sandboxed, row cap, time limit)."""

import pandas as pd
import streamlit as st

from ggzy.common.errors import GgzyError
from ggzy.serve.adhoc_sql import ROW_CAP, run_query

import show
from data import warehouse_home
from labels import t

# the months held only (a deals file loaded for them): the mart also runs to the build month
EXAMPLE = ("select kpi.month, region.name_zh, kpi.deal_amount, kpi.savings_rate\n"
           "from marts.mart_kpi_monthly as kpi\n"
           "join marts.dim_region as region using (region_code)\n"
           "where kpi.region_level = 'province'\n"
           "  and kpi.month in (select period from meta.load_log where kind = 'deals' and not retracted)\n"
           "order by kpi.month desc, kpi.deal_amount desc\nlimit 20")

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
