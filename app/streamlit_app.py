"""ggzy dashboard: `ggzy serve` (or `streamlit run app/streamlit_app.py`) on the published snapshot.

The pages in views/ only draw: their data comes from ggzy.dashboard_queries through data.fetch.
"""

import streamlit as st

from ggzy import dashboard_queries as queries

import filters
from data import fetch, snapshot_version, warehouse_home
from labels import LABELS, LANGUAGES, t

st.set_page_config(page_title="公共资源交易数据 ggzy", page_icon="📊", layout="wide")
st.sidebar.radio(LABELS["language"][0], LANGUAGES, key="language", horizontal=True)
st.title(t("title"))

months = fetch(queries.months) if snapshot_version() is not None else []
if not months:
    st.info(t("no_snapshot"))
    home = warehouse_home()
    st.code(f"ggzy --home {home} load deals_YYYY-MM.csv securities_YYYY-MM.csv refunds_YYYY-MM.csv\n"
            f"ggzy --home {home} build", language="sh")
    st.stop()

filters.sidebar(months)
PAGES = ["overview", "trading", "savings", "e_bidding", "deposits", "guarantees", "quality", "sql"]
pages = [st.Page(f"views/{page}.py", title=t(page), url_path=page, default=page == PAGES[0])
         for page in PAGES]
st.navigation(pages).run()
