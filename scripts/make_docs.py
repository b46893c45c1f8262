"""Write the generated parts of ``docs/*.md`` from where each thing is defined, so the documents
cannot drift from the code:

    .venv/bin/python scripts/make_docs.py           # rewrite them
    .venv/bin/python scripts/make_docs.py --check   # exit 1 naming the stale files (tests/test_docs.py)

A generated part sits between ``<!-- BEGIN GENERATED <part> -->`` and ``<!-- END GENERATED
<part> -->``; everything outside the markers is written by hand. The parts: the columns of each
kind of file (ggzy/common/contract.py) and the codes they take (seeds/), the rules of each kind
(expectations/input_*.json), the metrics (models/marts/_metrics.yml), the deposit due-date rules
(seeds/refund_rules.csv), the mart tables and their columns (models/marts/_marts__models.yml,
models/docs.md), the commands (ggzy/cli.py), the exit codes (ggzy/common/errors.py) and the OCDS mapping
(ggzy/ingest/ocds_deals.py, ggzy/ingest/ocds_stage.py).
"""

import argparse
import csv
import json
import re
import sys
import tomllib
from functools import cache
from pathlib import Path

import jinja2
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ggzy.cli import build_parser  # noqa: E402
from ggzy.common import errors  # noqa: E402
from ggzy.common.codes import CODE_LISTS, seed_path  # noqa: E402
from ggzy.common.contract import BY_NAME  # noqa: E402
from ggzy.ingest.ocds_deals import BID_KEPT, BID_MAPPING, MAPPING  # noqa: E402
from ggzy.ingest.ocds_stage import EXEMPT_RULES  # noqa: E402
from ggzy.serve.ocds_export import FIELDS, METHODS  # noqa: E402

DOCS = ROOT / "docs"
PART = re.compile(r"(<!-- BEGIN GENERATED (\S+) -->\n).*?(<!-- END GENERATED \2 -->)", re.S)
TYPE_WORDS = {"text": "文本 text", "code": "代码 code", "region": "行政区划代码 GB/T 2260",
              "amount": "金额 amount (元 yuan, or as 金额单位 says)", "date": "日期 date",
              "boolean": "是/否 yes/no", "integer": "整数 integer",
              "account": "账号 account number (stored only as a keyed hash and masked: docs/risk-flags.md)"}


def _cell(text: object) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _table(header: list[str], rows: list[list[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return "\n".join(lines + ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]) + "\n"


def _seed(name: str) -> list[dict[str, str]]:
    with seed_path(name).open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def columns(kind: str) -> str:
    """Each column of a kind, with its field codes in the national data-spec (the mapping every
    file is read with, mappings/national-data-spec.toml)."""
    k = BY_NAME[kind]
    national = tomllib.loads((ROOT / "mappings" / "national-data-spec.toml").read_text(encoding="utf-8"))
    fields = {c.name: [f"`{field}`" for field, name in national["columns"].items() if name == c.name]
              for c in k.columns}
    rows = [[f"`{c.name}`", " / ".join(c.spellings), " ".join(fields[c.name]), TYPE_WORDS[c.type],
             "是 yes" if c.required else "",
             f"[{c.code_list}](#{c.code_list})" if c.code_list else "",
             c.default or ""] for c in k.columns]
    return (f"Key 键: {', '.join(f'`{c}`' for c in k.key)} (unique in a file). "
            f"Month 所属月份: `{k.date_column}`. Totalled by 合计: `{k.amount_column}`.\n\n"
            + _table(["column 列", "header spellings 表头写法", "data-spec field 数据规范字段", "type 类型",
                      "required 必填", "codes 代码表", "when empty 空值取"], rows))


def code_lists() -> str:
    out = []
    for name in CODE_LISTS:
        rows = [[f"`{r['code']}`", r["name_zh"], r["name_en"], r.get("aliases", "").replace("|", " / ")]
                for r in _seed(name)]
        out.append(f"#### {name}\n\n`seeds/{name}.csv`\n\n"
                   + _table(["code", "中文", "English", "also read as 也接受"], rows))
    return "\n".join(out)


def rules(kind: str) -> str:
    suite = json.loads((ROOT / "expectations" / f"input_{kind}.json").read_text(encoding="utf-8"))
    seen, rows = set(), []
    for e in suite["expectations"]:
        meta = e.get("meta", {})
        if "rule" in meta and (meta["rule"], meta.get("column")) not in seen:
            seen.add((meta["rule"], meta.get("column")))
            severity = ("警告 warning (lands)" if e.get("severity") == "warning"
                        else "错误 error (rejects the file)")
            rows.append([f"`{meta['rule']}`", f"`{meta['column']}`" if meta.get("column") else "",
                         meta.get("zh", ""), meta.get("en", ""), severity])
    return _table(["rule 规则", "column 列", "中文", "English", "severity 级别"], rows)


def _yaml(*path: str) -> dict:
    return yaml.safe_load(ROOT.joinpath(*path).read_text(encoding="utf-8"))


@cache
def _doc_blocks() -> dict[str, str]:
    """The ``{% docs name %}`` blocks of models/docs.md, read once."""
    return dict(re.findall(r"{% docs (\w+) %}(.*?){% enddocs %}",
                           (ROOT / "models/docs.md").read_text(encoding="utf-8"), re.S))


def _described(text: str | None) -> str:
    """A dbt description with its ``{{ doc("…") }}`` blocks (models/docs.md) written out."""
    return " ".join(jinja2.Environment().from_string(text or "").render(
        doc=lambda name: _doc_blocks()[name].strip()).split())


def metrics() -> str:
    """A part's definition is its measure's description, else its column's in the mart it is
    summed from (mart_kpi_category_monthly)."""
    declared = _yaml("models", "marts", "_metrics.yml")
    (kpi,) = (m for m in declared["semantic_models"] if m["name"] == "kpi")
    (mart,) = (m for m in _yaml("models", "marts", "_marts__models.yml")["models"]
               if m["name"] == "mart_kpi_category_monthly")
    columns = {c["name"]: c.get("description") for c in mart["columns"]}
    parts = [[f"`{m['name']}`", m.get("label", ""), m["config"]["meta"]["label_en"],
              m["config"]["meta"]["unit"],
              "stock 月末存量" if "non_additive_dimension" in m else "flow 当月发生",
              _described(m.get("description") or columns[m["name"]])] for m in kpi["measures"]]
    ratios = [[f"`{m['name']}`", m.get("label", ""), m["config"]["meta"]["label_en"],
               f"`{m['type_params']['numerator']}` / `{m['type_params']['denominator']}`",
               m["config"]["meta"]["unit"], _described(m.get("description"))]
              for m in declared["metrics"] if m["type"] == "ratio"]
    return ("Parts 组成部分 (summed at any rollup):\n\n"
            + _table(["name", "中文", "English", "unit", "kind", "definition 口径"], parts)
            + "\nRatios 比率 (the summed numerator over the summed denominator, never an average):\n\n"
            + _table(["name", "中文", "English", "= numerator / denominator", "unit", "definition 口径"],
                     ratios))


def due_date_rules() -> str:
    rows = [[r["trade_category"], r["deal_status"], r["bidder_role"], r["anchor_date"] or "—",
             f"{r['n_days']} {r['day_kind']}" if r["n_days"] else "—", r["settlement"], r["legal_basis"]]
            for r in _seed("refund_rules")]
    return _table(["trade category", "deal status", "bidder", "from 起算日", "within 期限", "settlement",
                   "basis 依据"], rows)


def marts() -> str:
    out = []
    for model in _yaml("models", "marts", "_marts__models.yml")["models"]:
        rows = [[f"`{c['name']}`", _described(c.get("description"))] for c in model.get("columns", [])]
        out.append(f"#### `marts.{model['name']}`\n\n{_described(model.get('description'))}\n\n"
                   + (_table(["column", "description"], rows) if rows else ""))
    return "\n".join(out)


def commands() -> str:
    parser = build_parser()
    (sub,) = (a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    helps = {a.dest: a.help for a in sub._choices_actions}
    out = []
    for name, command in sub.choices.items():
        usage = " ".join(command.format_usage().split()).removeprefix("usage: ")
        out.append(f"- **`ggzy {name}`** — {helps[name]}\n\n  `{usage}`\n")
    return "\n".join(out)


def exit_codes() -> str:
    rows = [[0, "", "done 完成"]]
    rows += [[cls.exit_code, f"`{cls.__name__}`", " ".join((cls.__doc__ or "").split())]
             for cls in sorted(errors.GgzyError.__subclasses__(), key=lambda c: (c.exit_code, c.__name__))]
    return _table(["exit code 退出码", "error", "when 何时"], rows)


def _mapping(mapping: dict[str, tuple[str, str]]) -> str:
    return _table(["column 列", "OCDS", "rule 规则"],
                  [[f"`{column}`", source, rule] for column, (source, rule) in mapping.items()])


def ocds() -> str:
    """Where each deals and bids column comes from in an OCDS compiled release
    (ggzy/ingest/ocds_deals.py), and the rules of the contract an OCDS row is not held to
    (ggzy/ingest/ocds_stage.py)."""
    exempt = _table(["rule 规则", "column 列", "why"],
                    [[f"`{rule}`", f"`{column}`", why] for (rule, column), why in EXEMPT_RULES.items()])
    bids = f"The bids of the lots that are deals, {BID_KEPT}:\n\n{_mapping(BID_MAPPING)}"
    return (f"{_mapping(MAPPING)}\n{bids}\nRules of the contract an OCDS row is not held to:\n\n{exempt}")


def ocds_export() -> str:
    """What each OCDS field of an export is written from, and each tender mode's procurement
    method (ggzy/serve/ocds_export.py)."""
    fields = _table(["OCDS", "written from 来源"], [[f, source] for f, source in FIELDS.items()])
    methods = _table(["tender_mode", "procurementMethod"],
                     [[f"`{mode}`", f"`{method}`"] for mode, method in METHODS.items()])
    return f"{fields}\nThe procurement method of each tender mode:\n\n{methods}"


PARTS = {
    **{f"columns-{kind}": (lambda kind=kind: columns(kind)) for kind in BY_NAME},
    **{f"rules-{kind}": (lambda kind=kind: rules(kind)) for kind in BY_NAME},
    "code-lists": code_lists, "ocds": ocds, "ocds-export": ocds_export, "metrics": metrics,
    "due-date-rules": due_date_rules,
    "marts": marts, "commands": commands, "exit-codes": exit_codes,
}


def generated(text: str) -> str:
    return PART.sub(lambda m: m.group(1) + PARTS[m.group(2)]() + m.group(3), text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if a document is stale")
    check = parser.parse_args().check
    stale = []
    for path in sorted(DOCS.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        if (new := generated(text)) != text:
            stale.append(str(path.relative_to(ROOT)))
            if not check:
                path.write_text(new, encoding="utf-8")
    if stale and check:
        print(f"stale: {', '.join(stale)}: run .venv/bin/python scripts/make_docs.py")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
