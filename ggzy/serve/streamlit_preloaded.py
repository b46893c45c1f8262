"""``python -m ggzy.serve.streamlit_preloaded run app/streamlit_app.py …``: ``streamlit run`` with
what the dashboard's first run would otherwise import while its first visitor waits (altair,
pandas, duckdb, the report's writers, and the emoji table the page icon is looked up in: about
0.8 s of a 3 s first open) imported before the server starts. The script runs in this process,
so it finds them imported."""

import sys

import altair  # noqa: F401
import fpdf  # noqa: F401  the report's writers (ggzy.report, a later stage, is the app's to import)
import openpyxl  # noqa: F401
import streamlit.emojis  # noqa: F401
from streamlit.web.cli import main

import ggzy.serve.dashboard_queries  # noqa: F401

if __name__ == "__main__":
    sys.exit(main(prog_name="streamlit"))
