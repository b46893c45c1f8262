"""Write seeds/regions.csv, every GB/T 2260 code, from the `cpca` package's adcode table.

Source: cpca (MIT, https://github.com/DQinYuan/chinese_province_city_area_mapper),
file cpca/resources/adcodes.csv; its codes have 12 digits, the first 6 are GB/T 2260.
Every county's prefecture (first 4 digits + 00) and province (first 2 + 0000) must be in the
table; the script stops if one is not, rather than write a seed that cannot roll up.

Run: .venv/bin/python scripts/make_regions_seed.py   (needs `pip install cpca`)
"""

import csv
from importlib import resources
from importlib.metadata import version
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "seeds" / "regions.csv"


def level_of(code: str) -> str:
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "prefecture"
    return "county"


def main() -> None:
    table = resources.files("cpca") / "resources" / "adcodes.csv"
    with table.open(encoding="utf-8") as f:
        names = {row["adcode"][:6]: row["name"] for row in csv.DictReader(f)}
    orphans = [c for c in names if c[:4] + "00" not in names or c[:2] + "0000" not in names]
    if orphans:
        raise SystemExit(f"codes without a prefecture or province row: {orphans[:10]}")
    with OUT.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(["region_code", "name_zh", "region_level", "prefecture_code", "province_code"])
        for code in sorted(names):
            level = level_of(code)
            prefecture = "" if level == "province" else code[:4] + "00"
            out.writerow([code, names[code], level, prefecture, code[:2] + "0000"])
    print(f"wrote {len(names)} regions to {OUT} from cpca {version('cpca')}")


if __name__ == "__main__":
    main()
