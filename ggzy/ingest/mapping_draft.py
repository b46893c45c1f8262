"""``ggzy mapping draft FILE``: a commented mapping file drafted from a file's header.

Columns ggzy places already are listed commented out; for each one it cannot place, its best
guess is written as a line to check (or, without a guess, a commented line to fill in); then the
required columns still missing, and a template for the code values and units of the columns found.
"""

import tempfile
from pathlib import Path

from ggzy.common.codes import codes_of, unit_multipliers
from ggzy.common.contract import BY_NAME
from ggzy.ingest.header import closest_column, match_header, recognise_kind
from ggzy.ingest.mapping import mapping_for
from ggzy.ingest.read import open_source


def _toml_key(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def draft(path: Path, kind_name: str | None = None, sheet: str | None = None) -> str:
    mapping = mapping_for(None)
    with tempfile.TemporaryDirectory(prefix="ggzy-draft-") as workdir:
        source = open_source(path, Path(workdir), mapping, sheet)
    kind = BY_NAME[kind_name] if kind_name else recognise_kind(source.header, mapping)
    matched = match_header(kind, source.header, mapping)
    placed = {p: name for name, positions in matched.items() for p in positions}
    lines = [f"# ggzy 映射文件草稿 draft mapping for {path.name} ({kind.name}; "
             f"表头在第 {source.header_line} 行 header on line {source.header_line})",
             f"# 用法 use: ggzy load {path.name} --mapping THIS.toml — 请逐行核对 check every line",
             "", "[columns]   # 文件中的列名 the file's header = 规范列名 the contract's column"]
    guessed: set[str] = set()
    for position, header in enumerate(source.header):
        if not header.strip():
            continue
        key = _toml_key(header)
        if position in placed:
            lines.append(f'# {key} = "{placed[position]}"   # 已识别 recognised')
        elif (guess := closest_column(kind, header)) and guess.name not in {*placed.values(), *guessed}:
            guessed.add(guess.name)
            lines.append(f'{key} = "{guess.name}"   # 猜测 guess ({guess.spellings[0]})：请核对 check')
        else:
            lines.append(f'# {key} = ""   # 未能对应 not placed: 填写列名或删去 name a column or delete')
    missing = [c for c in kind.columns if c.required and c.name not in {*placed.values(), *guessed}]
    if missing:
        lines.append("# 缺少必填列 required and not found: "
                     + ", ".join(f"{c.name} ({c.spellings[0]})" for c in missing))
    for name in dict.fromkeys(placed.values()):
        column = kind.column(name)
        if column.code_list:
            lines += ["", f"# [values.{name}]   # 文件中的值 a value in the file = 代码 one of: "
                      + ", ".join(sorted(codes_of(column.code_list))), '# "01" = "…"']
    amounts = [c.name for c in kind.columns if c.type == "amount" and c.name in placed.values()]
    if amounts:
        lines += ["", "# [units]   # 列名未写单位的金额列 an amount column whose header has no unit: "
                  + " / ".join(unit_multipliers()[1])]
        lines += [f'# {name} = "万元"' for name in amounts]
    return "\n".join(lines) + "\n"
