"""dbt's macro files that are plain Jinja (``macros/ratio.sql``, ``period_change.sql``,
``latest_version.sql``'s current_rows), rendered from Python: one definition for the warehouse
and for the loader and the dashboard."""


import jinja2

from ggzy.common.paths import ROOT

PROJECT_DIR = ROOT  # dbt_project.yml, macros/, models/
MACROS_DIR = PROJECT_DIR / "macros"
MACROS = jinja2.Environment(loader=jinja2.FileSystemLoader(MACROS_DIR), undefined=jinja2.StrictUndefined)


def macro(file_name: str, name: str):
    """The macro ``name`` of ``macros/<file_name>``, as a function returning its SQL."""
    return getattr(MACROS.get_template(file_name).module, name)
