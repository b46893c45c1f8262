"""ggzy dashboard: `ggzy serve` (or `streamlit run app/streamlit_app.py`) on the published snapshot.

The pages in views/ only draw: their data comes from ggzy.serve.dashboard_queries through data.fetch.
"""

import streamlit as st

from ggzy.report.report import MIME, file_name
from ggzy.serve import dashboard_queries as queries

import filters
from data import fetch, report_bytes, snapshot_version, warehouse_home
from labels import LABELS, LANGUAGES, language, t

NARROW = """<style>@media (max-width: 900px) {  /* a narrow window: cards two abreast, none cut off */
  div[data-testid="stHorizontalBlock"] { flex-wrap: wrap; }
  div[data-testid="stHorizontalBlock"] > div[data-testid="stColumn"] {
    flex: 1 1 calc(50% - 1rem) !important; min-width: calc(50% - 1rem) !important; }
}</style>"""

st.set_page_config(page_title="公共资源交易数据 ggzy", page_icon="📊", layout="wide")
st.markdown(NARROW, unsafe_allow_html=True)
st.sidebar.radio(LABELS["language"][0], LANGUAGES, key="language", horizontal=True)

months = fetch(queries.months) if snapshot_version() is not None else []
if months and fetch(queries.built_by_another_release):  # upgraded since the last build
    st.title(t("title"))
    st.info(queries.STALE)
    st.code(f"ggzy --home {warehouse_home()} build", language="sh")
    st.stop()
if not months:
    st.title(t("title"))
    st.info(t("no_snapshot"))
    home = warehouse_home()
    st.code(f"ggzy --home {home} load deals_YYYY-MM.csv securities_YYYY-MM.csv refunds_YYYY-MM.csv\n"
            f"ggzy --home {home} build", language="sh")
    st.stop()

selection = filters.sidebar(months)
st.sidebar.subheader(t("report"), help=t("report_help"))
lang = language()
for fmt, column in zip(MIME, st.sidebar.columns(len(MIME)), strict=True):
    column.download_button(  # the report is made when the button is clicked (data: a callable)
        fmt.upper(), data=lambda fmt=fmt: report_bytes(selection, lang, fmt), mime=MIME[fmt],
        file_name=file_name(selection.end, selection.region_code, lang, fmt), on_click="ignore",
        key=f"report_{fmt}")
PAGES = ["overview", "trading", "savings", "e_bidding", "deposits", "guarantees", "risk", "quality", "sql"]
pages = [st.Page(f"views/{page}.py", title=t(page), url_path=page, default=page == PAGES[0])
         for page in PAGES]
page = st.navigation(pages)
st.title(f"{page.title} · {t('title')}")
# every page's figures are of the filters' scope; the SQL page's are of the query alone
st.caption(t("sql_scope") if page.url_path == "sql" else st.session_state["scope"])
page.run()
