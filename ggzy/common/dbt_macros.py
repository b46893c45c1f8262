"""dbt's macro files that are plain Jinja (``macros/ratio.sql``, ``period_change.sql``,
``latest_version.sql``'s current_rows), rendered from Python: one definition for the warehouse
and for the loader and the dashboard."""


import hashlib
from functools import cache

import jinja2

from ggzy.common.paths import ROOT

PROJECT_DIR = ROOT  # dbt_project.yml, macros/, models/
MACROS_DIR = PROJECT_DIR / "macros"
MACROS = jinja2.Environment(loader=jinja2.FileSystemLoader(MACROS_DIR), undefined=jinja2.StrictUndefined)


def macro(file_name: str, name: str):
    """The macro ``name`` of ``macros/<file_name>``, as a function returning its SQL."""
    return getattr(MACROS.get_template(file_name).module, name)


@cache
def models_digest() -> str:
    """A digest of the dbt project's code (models, macros, seeds, dbt_project.yml): the build
    after an upgrade that changed it rebuilds everything, so no table keeps rows of the old rules."""
    digest = hashlib.sha256()
    files = [PROJECT_DIR / "dbt_project.yml",
             *(p for folder in ("models", "macros", "seeds") for p in (PROJECT_DIR / folder).rglob("*"))]
    for path in sorted(p for p in files if p.is_file()):
        digest.update(str(path.relative_to(PROJECT_DIR)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()
