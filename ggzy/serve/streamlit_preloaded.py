"""``python -m ggzy.serve.streamlit_preloaded run app/streamlit_app.py …``: ``streamlit run`` with
what the dashboard's first run would otherwise import while its first visitor waits (altair,
pandas and duckdb through the queries, the report's writers, and the emoji table the page icon is
looked up in) imported before the server starts. The script runs in this process, so it finds them
imported: the first visitor of a server just started waited 3.16 s before, 2.0–2.2 s after
(bench/dashboard_pages.py on the demo warehouse, 2026-12-02)."""

import sys

import altair  # noqa: F401
import fpdf  # noqa: F401  the report's writers (ggzy.report, a later stage, is the app's to import)
import openpyxl  # noqa: F401
import streamlit.emojis  # noqa: F401
from streamlit.web.cli import main

import ggzy.serve.dashboard_queries  # noqa: F401

if __name__ == "__main__":
    sys.exit(main(prog_name="streamlit"))
