"""The project documents itself: docs/ is current with the code it is generated from, nothing
in the repository cites a document outside it, and the documents' links lead somewhere
(docs/*.md, README.md, scripts/make_docs.py)."""

import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
URL = re.compile(r"https?://\S+")
MD_REFERENCE = re.compile(r"(?<![\w/.-])((?:\.{1,2}/)*(?:[\w.-]+/)*[\w.-]+\.md)\b")
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def _repository_files() -> list[Path]:
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, capture_output=True,
                            text=True, check=True).stdout.split()
    return [ROOT / name for name in listed if (ROOT / name).is_file()]


def _text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, OSError):
        return None  # a picture, a workbook


def _slug(heading: str) -> str:
    """GitHub's anchor of a heading: lower case, no punctuation, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_the_generated_parts_of_the_documents_are_current():
    checked = subprocess.run([sys.executable, str(ROOT / "scripts" / "make_docs.py"), "--check"],
                             capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    contract = (ROOT / "docs/data-contract.md").read_text(encoding="utf-8")
    assert ("<!-- BEGIN GENERATED columns-deals -->\n"
            "Key 键: `tender_project_code`, `bid_section_code`") in contract


def test_no_file_cites_a_document_outside_the_repository():
    outside = []
    for path in _repository_files():
        text = _text(path)
        if text is None:
            continue
        for reference in MD_REFERENCE.findall(URL.sub("", text)):
            found = [base / reference for base in (path.parent, ROOT) if (base / reference).is_file()]
            if not any(f.resolve().is_relative_to(ROOT) for f in found):
                outside.append(f"{path.relative_to(ROOT)}: {reference}")
        if "shared/spec" in text and path != Path(__file__):
            outside.append(f"{path.relative_to(ROOT)}: shared/spec")
    assert outside == []


def test_every_link_of_the_documents_leads_to_a_file_and_heading():
    broken = []
    for document in DOCUMENTS:
        for target in LINK.findall(document.read_text(encoding="utf-8")):
            if target.startswith(("http://", "https://")):
                continue
            file_part, _, anchor = target.partition("#")
            linked = (document.parent / file_part).resolve() if file_part else document
            if not linked.is_file() or not linked.is_relative_to(ROOT):
                broken.append(f"{document.name}: {target}")
            elif anchor:
                headings = re.findall(r"^#+ (.+)$", linked.read_text(encoding="utf-8"), re.M)
                if anchor not in {_slug(h) for h in headings}:
                    broken.append(f"{document.name}: {target}")
    assert broken == []


def test_the_documents_name_every_rule_on_the_whole_file():
    raised = set()
    for path in (ROOT / "ggzy").rglob("*.py"):
        raised |= set(re.findall(r'whole_file_problem\(\s*"(\w+)"', path.read_text(encoding="utf-8")))
    contract = (ROOT / "docs/data-contract.md").read_text(encoding="utf-8")
    assert raised and {rule for rule in raised if f"`{rule}`" not in contract} == set()


def test_every_column_the_dbt_yaml_describes_is_a_name_and_a_description():
    """A flow mapping ``{name: x, description: a, b}`` cuts the description at the comma (what the
    analysts read as each column's comment): quote such descriptions."""
    for path in (ROOT / "models").rglob("*.yml"):
        for model in yaml.safe_load(path.read_text(encoding="utf-8")).get("models", []):
            for column in model.get("columns", []):
                assert set(column) <= {"name", "description", "data_tests", "data_type", "granularity"}, (
                    path.name, model["name"], column)
