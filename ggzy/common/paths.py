"""Where the checkout's folders are: ggzy runs from its repository (``make install`` installs it
editable), beside its dbt project, seeds, suites, mappings and dashboard."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
