"""The metric declaration (models/marts/_metrics.yml) is the one home of every ratio, and the
project's structure flows one way: dbt layers and ggzy's modules (ggzy/common/metrics.py)."""

import ast
import json
import re
from pathlib import Path

import pytest

import ggzy
from ggzy.common import metrics
from ggzy.transform.build import PROJECT_DIR, run_dbt


@pytest.fixture(scope="module")
def parsed(tmp_path_factory) -> dict:
    """The dbt manifest, from `dbt parse` (which also validates the semantic layer spec)."""
    home = tmp_path_factory.mktemp("parse") / "warehouse"
    home.mkdir()
    assert run_dbt(home, ["parse"]).success
    return json.loads((home / "dbt" / "target" / "manifest.json").read_text(encoding="utf-8"))


def test_the_declaration_is_the_semantic_layer_dbt_parses(parsed):
    ratios = {m["name"]: m for m in parsed["metrics"].values() if m["type"] == "ratio"}
    assert set(ratios) == {r.name for r in metrics.ratios()}
    assert ratios["savings_rate"]["type_params"]["numerator"]["name"] == "savings_amount"
    assert metrics.ratio_column("savings_rate") == (
        "case when savings_base_amount <> 0 then round(savings_amount / savings_base_amount, 6) end"
        " as savings_rate")
    measures = [m["name"] for m in parsed["semantic_models"]["semantic_model.ggzy.kpi"]["measures"]]
    assert measures == [p.name for p in metrics.parts()]
    for r in metrics.ratios():  # every ratio divides two declared parts
        assert {r.numerator, r.denominator} <= set(measures), r.name


def test_python_writes_a_ratio_as_macros_ratio_does(tmp_path):
    home = tmp_path / "warehouse"
    home.mkdir()
    result = run_dbt(home, ["compile", "--inline", "select {{ ratio('n_due_on_time', 'n_due') }}"])
    assert result.success
    compiled = result.result.results[0].node.compiled_code
    assert compiled.strip() == f"select {metrics.ratio_sql('n_due_on_time', 'n_due')}"


def test_no_intermediate_model_refs_a_mart(parsed):
    backwards = {(name, parent) for name, node in parsed["nodes"].items()
                 if name.startswith("model.ggzy.int_")
                 for parent in node["depends_on"]["nodes"]
                 if parent.split(".")[-1].startswith(("fct_", "mart_", "dim_"))}
    assert backwards == set()
    assert any(n.startswith("model.ggzy.int_") for n in parsed["nodes"])


PACKAGE = PROJECT_DIR / "ggzy"


def _module_name(path: Path) -> str:
    """``ggzy/ingest/load.py`` → ``ingest.load``; ``ggzy/cli.py`` → ``cli``."""
    return ".".join(path.relative_to(PACKAGE).with_suffix("").parts)


def _imports(path: Path, modules: set[str]) -> set[str]:
    """The ggzy modules ``path`` imports, anywhere in it (a lazy import in a function counts)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "ggzy":
            base = node.module.removeprefix("ggzy").removeprefix(".")
            for alias in node.names:
                submodule = f"{base}.{alias.name}".lstrip(".")
                found.add(submodule if submodule in modules else base)
        elif isinstance(node, ast.Import):
            found |= {a.name.removeprefix("ggzy.") for a in node.names if a.name.startswith("ggzy.")}
    return found & modules


@pytest.fixture(scope="module")
def imports() -> dict[str, set[str]]:
    paths = {_module_name(p): p for p in PACKAGE.rglob("*.py") if p.name != "__init__.py"}
    return {name: _imports(path, set(paths)) for name, path in paths.items()}


def test_no_two_modules_of_ggzy_import_each_other_even_in_a_loop(imports):
    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        return any(m == goal or (m not in seen and reaches(m, goal, seen | {m})) for m in imports[start])

    loops = sorted(name for name in imports if reaches(name, name, {name}))
    assert loops == []
    assert "common.metrics" in imports["serve.dashboard_queries"]  # the walk sees real imports


def test_every_folder_of_ggzy_is_a_stage_in_the_order():
    folders = {p.parent.name for p in PACKAGE.glob("*/__init__.py")}
    assert folders == set(ggzy.STAGES)


def test_no_stage_imports_a_later_stage_or_the_front_door(imports):
    """A module of a stage imports its own stage and earlier ones (ggzy/__init__.py's order); only
    the front door (cli, __main__, sample), outside every stage, may import any of them."""
    def rank(module: str) -> int:
        stage = module.split(".")[0]
        return ggzy.STAGES.index(stage) if stage in ggzy.STAGES else len(ggzy.STAGES)

    backwards = sorted((module, imported) for module, found in imports.items() for imported in found
                       if rank(imported) > rank(module))
    assert backwards == []
    assert ("report.report", "serve.dashboard_queries") in {(m, i) for m, f in imports.items() for i in f}
    assert {"cli", "sample"} <= {m for m in imports if rank(m) == len(ggzy.STAGES)}


def test_no_ratio_formula_outside_its_declaration():
    """A ratio's numerator and denominator side by side (`n / d`, `('n', 'd')`, `"n", "d"`) appear
    only in models/marts/_metrics.yml: every other figure is generated from it."""
    patterns = {r.name: re.compile(rf"\b{r.numerator}\b\W{{1,6}}\b{r.denominator}\b")
                for r in metrics.ratios()}
    places = [path for folder in ("ggzy", "app", "models", "macros", "expectations", "bench")
              for path in (PROJECT_DIR / folder).rglob("*")]
    found = [(str(path.relative_to(PROJECT_DIR)), name)
             for path in places if path.is_file() and path.suffix in {".py", ".sql", ".yml", ".json", ".md"}
             and path != metrics.DECLARATION
             for name, pattern in patterns.items() if pattern.search(path.read_text(encoding="utf-8"))]
    assert found == []
