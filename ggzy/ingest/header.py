"""Which column is which: a file's header placed onto a kind's columns, with the units it states.

A header cell is compared as ``contract.header_key`` (full-width and half-width alike, every
bracket one, spaces and case ignored): as written, else without its unit (``成交价格（万元）``),
else without a trailing note (``投标人数（家）``), against the contract's spellings and the
mapping's (the national data-spec's, and a platform's ``--mapping``). An amount column's unit
comes from its header, else a title row (``金额单位：万元``), else the mapping's ``[units]``.
What cannot be placed is named with the closest of the user's headers or of the contract's.
"""

import difflib
import re
import unicodedata
from dataclasses import dataclass
from typing import Protocol

from ggzy.common.codes import unit_multipliers
from ggzy.common.contract import BY_NAME, CHINESE, NOT_DATA_COLUMNS, Column, Kind, header_key, spellings_of
from ggzy.common.errors import DataRejected
from ggzy.common.findings import Finding
from ggzy.ingest.mapping import Mapping, national

UNIT_IN_HEADER = re.compile(r"\((?:(?:金额)?单位:?)?([^()]*元)\)$")  # on a header_key: (万元) (单位:元)
UNIT_IN_TITLE = re.compile(r"单位[:：]\s*(\S*?元)")
TRAILING_NOTE = re.compile(r"\([^()]*\)$")  # 投标人数（家）
LIKE_ENOUGH = 0.6  # how alike (difflib's ratio) a header and a spelling must be to be named as closest


class Top(Protocol):
    """The top of a file as read (``read.SourceFile``): its header and the title rows above it."""

    header: tuple[str, ...]  # as spelled in the file
    header_line: int
    title_rows: tuple[tuple[int, str], ...]  # (line, text)


@dataclass(frozen=True)
class Layout:
    """How a file's columns map onto a kind's canonical columns."""

    kind: Kind
    positions: dict[str, int]  # canonical name → position in the file
    spelled: dict[str, str]  # canonical name → header as spelled in the file
    unknown: tuple[str, ...]  # headers that are no column of the kind (kept as warnings)
    unit_sources: dict[str, "UnitSource"]  # amount column → the unit its header, title or mapping gives

    @property
    def units(self) -> dict[str, str]:
        """Amount column → the multiplier of its unit."""
        known = unit_multipliers()[1]
        return {name: known[said.unit] for name, said in self.unit_sources.items()}

    @property
    def title_unit_line(self) -> int | None:
        """The title row whose unit applies, if one does."""
        return next((s.title_line for s in self.unit_sources.values() if s.title_line), None)


@dataclass(frozen=True)
class UnitSource:
    """An amount column's unit and where the file (or the mapping) says it."""

    unit: str  # as written: 万元
    where_zh: str
    where_en: str
    title_line: int | None = None  # the title row that says it


def header_index(records: list[list[str]], mapping: Mapping) -> int | None:
    """The first record naming two columns of some kind: the header (records above it are titles)."""
    return next((i for i, record in enumerate(records)
                 if max(len(placed_columns(kind, record, mapping)) for kind in BY_NAME.values()) >= 2), None)


def _spellings(kind: Kind, mapping: Mapping) -> dict[str, str]:
    return spellings_of(kind) | {k: v for k, v in mapping.columns.items() if v in kind.names}


def _split_unit(key: str) -> tuple[str, str | None]:
    """``成交价格(万元)`` → (``成交价格``, ``万元``); ``金额(单位:元)`` → (``金额``, ``元``)."""
    match = UNIT_IN_HEADER.search(key)
    return (key[:match.start()], match[1]) if match else (key, None)


def placed_columns(kind: Kind, header: list[str] | tuple[str, ...],
                   mapping: Mapping) -> dict[int, tuple[str, str | None]]:
    """Position → (canonical name, unit written in the header) of each header cell the kind knows:
    as written, else without its unit, else without a trailing bracketed note (``投标人数（家）``)."""
    spellings = _spellings(kind, mapping)
    placed = {}
    for position, text in enumerate(header):
        key = header_key(text)
        base, unit = _split_unit(key)
        name = next((spellings[k] for k in (key, base, TRAILING_NOTE.sub("", key)) if k in spellings), None)
        if name is not None:
            placed[position] = (name, unit)
    return placed


def _by_column(placed: dict[int, tuple[str, str | None]]) -> dict[str, list[int]]:
    matched: dict[str, list[int]] = {}
    for position, (name, _) in placed.items():
        matched.setdefault(name, []).append(position)
    return matched


def match_header(kind: Kind, header: tuple[str, ...], mapping: Mapping) -> dict[str, list[int]]:
    """Canonical name → the positions of the header cells placed on it."""
    return _by_column(placed_columns(kind, header, mapping))


def recognise_kind(header: tuple[str, ...], mapping: Mapping) -> Kind:
    """The kind whose required columns the header has, preferring the one with most columns."""

    def score(kind: Kind) -> tuple[bool, int]:
        matched = match_header(kind, header, mapping)
        return all(c.name in matched for c in kind.columns if c.required), len(matched)

    return max(BY_NAME.values(), key=score)


def _likeness(header: str, spelling: str) -> float:
    return difflib.SequenceMatcher(None, _split_unit(header_key(header))[0], header_key(spelling)).ratio()


def closest_header(column: Column, headers: list[str]) -> str | None:
    """Of ``headers`` (as the file spells them), the one most like one of the column's spellings."""
    scored = [(max(_likeness(h, s) for s in (column.name, *column.spellings)), h) for h in headers]
    best = max(scored, default=(0.0, ""))
    return best[1] if best[0] >= LIKE_ENOUGH else None


def closest_column(kind: Kind, header: str) -> Column | None:
    """The kind's column whose spellings are most like ``header`` (for a header it cannot place)."""
    scored = [(_likeness(header, s), c) for c in kind.columns for s in (c.name, *c.spellings)]
    best = max(scored, key=lambda x: x[0], default=(0.0, None))
    return best[1] if best[0] >= LIKE_ENOUGH else None


def _title_unit(source: Top) -> tuple[int, str] | None:
    """A ``单位：万元`` (or ``金额单位：元``) in a title row: (its line, the unit)."""
    for line, text in source.title_rows:
        if match := UNIT_IN_TITLE.search(unicodedata.normalize("NFKC", text)):
            return line, match[1]
    return None


def _units(source: Top, kind: Kind, mapping: Mapping, placed: dict[int, tuple[str, str | None]]
           ) -> tuple[dict[str, UnitSource], list[Finding]]:
    """Each amount column's unit: its header's, else a title row's, else the mapping's. A unit
    ggzy does not know (``亿元``) rejects the file rather than be taken as 元."""
    known = unit_multipliers()[1]
    amounts = [c.name for c in kind.columns if c.type == "amount"]
    findings = []
    title = _title_unit(source)
    units = {name: UnitSource(mapping.units[name], "映射文件", "the mapping")
             for name in amounts if name in mapping.units}
    if title and title[1] in known:
        said = UnitSource(title[1], f"第 {title[0]} 行标题", f"the title line {title[0]}", title[0])
        units |= dict.fromkeys(amounts, said)
    elif title:
        findings.append(Finding(title[0], "", title[1], "unknown_unit",
                                f"标题行中的金额单位 {title[1]} 无法识别（可用：{'、'.join(known)}）",
                                f"the unit {title[1]} in a title row is not one of {', '.join(known)}"))
    for position, (name, unit) in placed.items():
        if name in amounts and unit in known:
            header = source.header[position]
            units[name] = UnitSource(unit, f"列名 {header}", f"the header {header}")
        elif name in amounts and unit is not None:
            findings.append(Finding(source.header_line, source.header[position], unit, "unknown_unit",
                                    f"列名中的金额单位 {unit} 无法识别（可用：{'、'.join(known)}）",
                                    f"the unit {unit} in this header is not one of {', '.join(known)}"))
    return units, findings


def _remedy(column: Column, mapping: Mapping) -> tuple[str, str]:
    """What to do about a missing column: name it in a mapping file, or, where the user's mapping
    names headers for it, that none of them is in the file."""
    if not mapping.file_name:
        return "映射文件（--mapping）可以指明它", "a mapping file (--mapping) can name it"
    named = sorted(h for h, c in mapping.columns.items() if c == column.name and h not in national().columns)
    if named:
        return (f"映射文件 {mapping.file_name} 为它指定的列 {'、'.join(named)} 不在本文件中",
                f"the mapping file {mapping.file_name} names {', '.join(named)} for it, not in this file")
    return (f"映射文件 {mapping.file_name} 没有为它指定列", f"the mapping file {mapping.file_name} names no "
            "column for it")


def layout_of(source: Top, kind: Kind, mapping: Mapping) -> Layout:
    """Map the header onto ``kind``; raise DataRejected for duplicate or missing columns or an
    unknown unit. Every finding names the columns as the file spells them."""
    placed = placed_columns(kind, source.header, mapping)
    matched = _by_column(placed)
    line = source.header_line
    findings = [
        Finding(line, " / ".join(source.header[p] for p in positions), None, "duplicate_column",
                f"这些列都是 {kind.column(name).spellings[0]}", f"these columns all mean {name}")
        for name, positions in matched.items() if len(positions) > 1
    ]
    used = {p for positions in matched.values() for p in positions}
    unplaced = [h for p, h in enumerate(source.header) if p not in used and h.strip()]
    chinese = any(CHINESE.search(h) for h in source.header)  # name a missing column as the file would
    unplaced_data = [h for h in unplaced if header_key(h) not in NOT_DATA_COLUMNS]
    listed = (f"；本文件未识别的列：{'、'.join(unplaced_data)}",
              f"; your columns ggzy did not place: {', '.join(unplaced_data)}") if unplaced_data else (
        "；本文件的列都已识别", "; every column of yours is placed")
    for column in kind.columns:
        if column.required and column.name not in matched:
            remedy = _remedy(column, mapping)
            near = closest_header(column, unplaced_data)
            hint = (f"；最接近的列：{near}", f"; the closest of your columns: {near}") if near else ("", "")
            findings.append(Finding(
                line, column.spellings[0] if chinese else column.name, None, "missing_column",
                f"缺少 {column.spellings[0]}（或 {'、'.join(column.spellings[1:4])} 等）"
                f"{hint[0]}{listed[0]}；{remedy[0]}",
                f"required column {column.name} ({column.spellings[0]}) is missing{hint[1]}{listed[1]}; "
                f"{remedy[1]}"))
    unit_sources, unit_findings = _units(source, kind, mapping, placed)
    findings += unit_findings
    if findings:
        best = recognise_kind(source.header, mapping)
        if best is not kind and all(c.name in match_header(best, source.header, mapping)
                                    for c in best.columns if c.required):
            findings.append(Finding(line, "", None, "wrong_kind",
                                    f"此文件像是 {best.name} 文件，而不是 {kind.name}",
                                    f"this looks like a {best.name} file, not {kind.name}"))
        raise DataRejected("列名不符合数据规范 the header does not fit the contract", findings)
    return Layout(
        kind=kind,
        positions={name: positions[0] for name, positions in matched.items()},
        spelled={name: source.header[positions[0]] for name, positions in matched.items()},
        unknown=tuple(unplaced),
        unit_sources=unit_sources,
    )
