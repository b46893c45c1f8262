"""Mapping files: one platform's headers, code values and amount units onto the contract.

    [columns]            # the file's header = canonical column
    "项目编码" = "tender_project_code"
    [values.pay_form]    # a value in the file = the code (seeds/pay_forms.csv)
    "01" = "cash"
    [values.region_code] # a region as the file writes it = its code (seeds/regions.csv)
    "城关区" = "620102"
    [units]              # the unit of an amount column whose header does not say it
    deal_amount = "万元"

The national data-spec is itself a mapping (``mappings/national-data-spec.toml``), applied to
every file; ``ggzy load --mapping FILE`` applies a platform's on top of it (it wins). A mapping
that names an unknown column, code or unit is a usage error (exit 2), before any file is read.
"""

import difflib
import hashlib
import json
import tomllib
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

from ggzy.common.codes import codes_of, region_codes, unit_multipliers
from ggzy.common.contract import BY_NAME, Column, header_key
from ggzy.common.errors import UsageError
from ggzy.common.paths import ROOT

MAPPINGS_DIR = ROOT / "mappings"
NATIONAL = MAPPINGS_DIR / "national-data-spec.toml"
COLUMNS = {c.name: c for kind in BY_NAME.values() for c in kind.columns}  # one meaning per name


@dataclass(frozen=True)
class Mapping:
    columns: dict[str, str] = field(default_factory=dict)  # header_key → canonical column
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # column → lower(value) → code
    units: dict[str, str] = field(default_factory=dict)  # amount column → unit as written (万元)
    file_name: str | None = None  # the user's --mapping file, if one was given

    def digest(self) -> str:
        """What the mapping says, as a digest: part of a load's identity (the same bytes read
        through another mapping are another load)."""
        said = json.dumps([self.columns, self.values, self.units], sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(said.encode()).hexdigest()

    def code_values(self) -> dict[str, dict[str, str]]:
        """The values by code list, a region column's as ``regions`` (what
        ``codes.create_reference_tables`` takes)."""
        return {COLUMNS[column].code_list or "regions": values for column, values in self.values.items()}

    def over(self, base: "Mapping") -> "Mapping":
        """This mapping applied on top of ``base``: where both say something, this one wins."""
        values = {c: {**base.values.get(c, {}), **v} for c, v in self.values.items()}
        return Mapping({**base.columns, **self.columns}, {**base.values, **values},
                       {**base.units, **self.units})


def _refuse(path: Path, zh: str, en: str) -> UsageError:
    return UsageError(f"映射文件 mapping {path}: {zh} / {en}")


def _suggest(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.5)
    return f" (最接近 closest: {close[0]})" if close else ""


def _column(path: Path, name: str, where: str, types: tuple[str, ...] | None = None) -> Column:
    """The canonical column ``name`` (of one of ``types``, if given), else a usage error."""
    column = COLUMNS.get(name)
    if column is None or (types and column.type not in types):
        allowed = sorted(c.name for c in COLUMNS.values() if not types or c.type in types)
        raise _refuse(path, f"{where} 的 {name!r} 不是可用的列名", f"{where}: {name!r} is not one of "
                      f"{', '.join(allowed)}{_suggest(name, allowed)}")
    return column


def _values(path: Path, name: str, table: object) -> dict[str, str]:
    column = _column(path, name, f"[values.{name}]", ("code", "region"))
    if not isinstance(table, dict):
        raise _refuse(path, f"[values.{name}] 应为表", f"[values.{name}] must be a table")
    codes = region_codes() if column.type == "region" else codes_of(column.code_list)
    for value, code in table.items():
        if code not in codes:
            listed = "" if column.type == "region" else \
                f": {', '.join(sorted(codes))}{_suggest(str(code), sorted(codes))}"  # not 3,000 regions
            raise _refuse(path, f"[values.{name}] 中 {value!r} 对应的 {code!r} 不是代码",
                          f"[values.{name}]: {code!r} (for {value!r}) is not a code of "
                          f"seeds/{column.code_list or 'regions'}.csv{listed}")
    return {str(value).strip().lower(): code for value, code in table.items()}


def _parse(path: Path) -> Mapping:
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise UsageError(f"找不到映射文件 mapping file not found: {path}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise _refuse(path, "不是有效的 TOML", f"not valid TOML: {e}") from None
    unknown = set(document) - {"columns", "values", "units"}
    if unknown:
        raise _refuse(path, f"未知的部分 {sorted(unknown)}", "only [columns], [values.COLUMN] and [units] "
                      f"are known, not {', '.join(sorted(unknown))}")
    columns = {header_key(header): _column(path, target, f"[columns] {header!r}").name
               for header, target in document.get("columns", {}).items()}
    values = {name: _values(path, name, table) for name, table in document.get("values", {}).items()}
    units_known = unit_multipliers()[1]
    units = {}
    for name, unit in document.get("units", {}).items():
        _column(path, name, "[units]", ("amount",))
        if unit not in units_known:
            raise _refuse(path, f"[units] {name} 的单位 {unit!r} 未知", f"[units] {name}: unit {unit!r} "
                          f"is not one of {', '.join(units_known)}")
        units[name] = unit
    return Mapping(columns, values, units)


@cache
def national() -> Mapping:
    return _parse(NATIONAL)


def mapping_for(path: Path | None) -> Mapping:
    """The national data-spec's mapping, with the user's ``--mapping`` file on top."""
    return national() if path is None else replace(_parse(path).over(national()), file_name=path.name)
