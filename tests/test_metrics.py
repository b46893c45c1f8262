"""The metric declaration (models/marts/_metrics.yml) is the one home of every ratio, and the
project's structure flows one way: dbt layers and ggzy's modules (ggzy/metrics.py)."""

import ast
import json
import re
from pathlib import Path

import pytest

from ggzy import metrics
from ggzy.build import PROJECT_DIR, run_dbt


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


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "ggzy":
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("ggzy."):
            found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            found |= {a.name.split(".")[1] for a in node.names if a.name.startswith("ggzy.")}
    return found


def test_no_two_modules_of_ggzy_import_each_other_even_in_a_loop():
    modules = {p.stem: p for p in (PROJECT_DIR / "ggzy").glob("*.py")}
    imports = {name: _imports(path) & set(modules) for name, path in modules.items()}

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        return any(m == goal or (m not in seen and reaches(m, goal, seen | {m})) for m in imports[start])

    loops = sorted(name for name in modules if reaches(name, name, {name}))
    assert loops == []
    assert "metrics" in imports["dashboard_queries"]  # the walk sees real imports


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
