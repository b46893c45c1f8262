"""Benchmark ggzy against the floor, at the sizes of docs/operations.md (Benchmarks).

    .venv/bin/python bench/run.py --size province      # tiny | city | province | nation

For one size it generates the sample CSVs once (`ggzy sample`, kept in bench/data/), then runs,
each in its own process: the floor (DuckDB alone, bench/floor.sql), ggzy (`load` of every file
and `build`, timed by stage), the pandas baseline (city and province only), one more month
loaded and built incrementally on a year of history and on the whole history (up to province),
and the dashboard's heaviest queries on the published snapshot. It prints a table and writes
bench/results/<date>-<size>.json. Both the floor and ggzy report the total deal amount: they
must agree to the fen.
"""

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

BENCH = Path(__file__).resolve().parent
SEEDS = BENCH.parent / "seeds"
SIZES = {  # docs/operations.md, Benchmarks: city 5,000 deals a month for 24 months; province
    # 66,000 a year for 5 years; nation 2,000,000 deals in a year (sample scale 1 = 5,000 deals a
    # month); all end in 2025-12, before the build date, as real history does
    "tiny": {"months": 2, "scale": 0.05, "start": "2025-11"},
    "city": {"months": 24, "scale": 1.0, "start": "2024-01"},
    "province": {"months": 60, "scale": 1.1, "start": "2021-01"},
    "nation": {"months": 12, "scale": 33.34, "start": "2025-01"},
}
RATIO_TARGETS = {"city": 10.0, "nation": 5.0}  # load + build at most this many times the floor (#17)
MONTH_TARGET_SECONDS = 10.0  # one more month on province history: load + build
FLAT_IN_HISTORY = 1.3  # one more month on the whole history against on a year: at most this factor
NATION_MEMORY_MB = 8 * 1024
PANDAS_SIZES = ("tiny", "city", "province")
INCREMENTAL_SIZES = ("tiny", "city", "province")  # one more month on a year vs the whole history
QUERY_REPEATS = 20
DBT_SLOWEST = 6  # the dbt nodes named in the report


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- workers: each runs in its own process and prints one JSON object -----------------------

def work_floor(data: Path) -> dict:
    import duckdb

    script = (BENCH / "floor.sql").read_text(encoding="utf-8")
    started = time.perf_counter()
    with duckdb.connect() as con:
        row = con.execute(script.replace("{data}", str(data)).replace("{seeds}", str(SEEDS))).fetchone()
    return {"seconds": time.perf_counter() - started, "deal_amount": row[-1]}


def _month_of(path: Path) -> str:
    return path.stem[-7:]


def _load_all(files: list[Path], home: Path) -> list:
    from ggzy.ingest.load import load_files

    outcomes = load_files(files, home)
    assert all(o.status == "landed" for o in outcomes), [o.message for o in outcomes if o.status != "landed"]
    return outcomes


def _dbt_timings(home: Path, dbt_seconds: float) -> dict:
    """Where the build's dbt time went, from dbt's ``run_results.json``: the run itself (nodes on
    two threads), the rest before it (import, parse: a new warehouse or a changed project parses
    everything), and the slowest nodes."""
    results = json.loads((home / "dbt" / "target" / "run_results.json").read_text(encoding="utf-8"))
    nodes = sorted(results["results"], key=lambda node: -node["execution_time"])
    return {"run": results["elapsed_time"], "before_run": dbt_seconds - results["elapsed_time"],
            "tests": sum(n["execution_time"] for n in nodes if n["unique_id"].startswith("test.")),
            "slowest": {n["unique_id"].split(".")[2]: n["execution_time"] for n in nodes[:DBT_SLOWEST]}}


def _dbt_line(dbt: dict) -> str:
    return (f"dbt: before the run {dbt['before_run']:.1f}, run {dbt['run']:.1f} (tests "
            f"{dbt['tests']:.1f} of node time); slowest: "
            + ", ".join(f"{name} {seconds:.1f}" for name, seconds in dbt["slowest"].items()))


def work_ggzy(data: Path, home: Path) -> dict:
    from ggzy.transform.build import build

    stages: dict[str, float] = {}
    peaks: dict[str, float] = {}  # by how much each stage raised the process's peak memory
    started = time.perf_counter()
    outcomes = _load_all(sorted(data.glob("*_????-??.csv")), home)
    load_seconds = time.perf_counter() - started
    for outcome in outcomes:
        for stage, seconds in outcome.seconds.items():
            stages[f"load.{stage}"] = stages.get(f"load.{stage}", 0.0) + seconds
            peaks[f"load.{stage}"] = peaks.get(f"load.{stage}", 0.0) + outcome.peak_raised_mb[stage]
    started = time.perf_counter()
    built = build(home)
    build_seconds = time.perf_counter() - started
    assert built.published, built.problems
    stages.update({f"build.{stage}": seconds for stage, seconds in built.seconds.items()})
    peaks.update({f"build.{stage}": peak for stage, peak in built.peak_raised_mb.items()})
    from ggzy.serve.adhoc_sql import run_query

    total = run_query(home, "select sum(deal_amount)::varchar from marts.mart_trading_volume").rows[0][0]
    return {"load_seconds": load_seconds, "build_seconds": build_seconds, "stages": stages,
            "peak_raised_mb": peaks, "dbt": _dbt_timings(home, built.seconds["dbt"]), "deal_amount": total}


def work_pandas(data: Path) -> dict:
    """What a statistician would write: read the CSVs, group by month, region and category."""
    import pandas as pd

    started = time.perf_counter()

    def read(kind: str) -> pd.DataFrame:
        return pd.concat(pd.read_csv(path, dtype=str) for path in sorted(data.glob(f"{kind}_????-??.csv")))

    deals, securities, refunds = read("deals"), read("securities"), read("refunds")
    unit = deals["金额单位"].map({"万元": 10000}).fillna(1)
    deals["budget"] = pd.to_numeric(deals["预算金额"]) * unit
    deals["deal"] = pd.to_numeric(deals["成交金额"]) * unit
    deals["month"] = pd.to_datetime(deals["成交日期"]).dt.to_period("M")
    keys = ["month", "行政区域代码", "交易类别"]
    concluded = deals[deals["交易状态"] == "concluded"]
    concluded.groupby(keys).agg(n=("deal", "size"), deal=("deal", "sum"))
    priced = concluded[(concluded.budget > 0) & (concluded.deal > 0)]
    priced.assign(saved=priced.budget - priced.deal).groupby(keys)[["budget", "saved"]].sum()
    concluded.assign(e=concluded["是否电子化交易"] == "是").groupby(keys)["e"].agg(["size", "sum"])
    securities["amount"] = pd.to_numeric(securities["金额"])
    securities["month"] = pd.to_datetime(securities["递交时间"]).dt.to_period("M")
    with_deal = securities.merge(deals[["招标项目编号", "标段（包）编号", "行政区域代码", "交易类别"]],
                                 on=["招标项目编号", "标段（包）编号"])
    with_deal.assign(guarantee=with_deal.amount.where(with_deal["递交方式"] != "cash", 0)).groupby(
        ["month", "行政区域代码", "交易类别", "担保类型"])[["amount", "guarantee"]].sum()
    # month-end outstanding cash bid deposits: received minus refunded, accumulated by month
    cash = with_deal[(with_deal["递交方式"] == "cash") & (with_deal["担保类型"] == "bid")]
    refunds["amount"] = -pd.to_numeric(refunds["退还金额"])
    refunds["month"] = pd.to_datetime(refunds["退还日期"]).dt.to_period("M")
    moves = pd.concat([cash[["保证金编号", "month", "amount"]],
                       refunds[["保证金编号", "month", "amount"]].merge(
                           cash[["保证金编号"]], on="保证金编号")])
    moves.groupby("month")["amount"].sum().cumsum()
    return {"seconds": time.perf_counter() - started, "deal_amount": f"{concluded.deal.sum():.2f}"}


def work_incremental(data: Path, home: Path, next_month: Path, work: Path) -> dict:
    """One more month loaded and built (incrementally) on a year of history (the size's first
    twelve months, then its thirteenth) and on the whole history (a copy of the ggzy worker's
    warehouse, then a month generated after it)."""
    from ggzy.transform.build import build

    files = sorted(data.glob("*_????-??.csv"))
    months = sorted({_month_of(f) for f in files})
    year = months[:min(12, len(months) - 1)]
    shutil.rmtree(work, ignore_errors=True)
    _load_all([f for f in files if _month_of(f) in year], work / "year")
    assert build(work / "year").published
    shutil.copytree(home, work / "whole")
    runs = {len(year): (work / "year", [f for f in files if _month_of(f) == months[len(year)]]),
            len(months): (work / "whole", sorted(next_month.glob("*_????-??.csv")))}
    added = {}
    for n_months, (history, month_files) in runs.items():
        started = time.perf_counter()
        _load_all(month_files, history)
        load_seconds = time.perf_counter() - started
        started = time.perf_counter()
        built = build(history)
        assert built.published and not built.full_refresh, built.problems
        added[f"{n_months} months"] = {"load_seconds": load_seconds, "stages": built.seconds,
                                       "build_seconds": time.perf_counter() - started,
                                       "dbt": _dbt_timings(history, built.seconds["dbt"])}
    shutil.rmtree(work)
    return {"one_more_month": added}


def work_queries(home: Path) -> dict:
    """The dashboard's heaviest queries on the snapshot, all regions and categories, p50/p95."""
    from ggzy.serve import dashboard_queries as q
    from ggzy.serve.adhoc_sql import open_snapshot

    with open_snapshot(home) as con:
        months = q.months(con)
        everything = q.Selection(months[max(0, len(months) - 12)], months[-1])
        province = q.regions(con).query("region_level == 'province'").region_code.iloc[0]
        one_province = q.Selection(everything.start, everything.end, "province", province, ("engineering",))
        calls = {
            "headline_by_month": (q.headline_by_month, everything),
            "headline_by_month (province, category)": (q.headline_by_month, one_province),
            "trading_by_category": (q.trading_by_category, everything),
            "regions_ranked": (q.regions_ranked, everything),
            "tender_modes": (q.tender_modes, everything),
            "savings_by_category": (q.savings_by_category, everything),
            "days_to_refund_distribution": (q.days_to_refund_distribution, everything),
            "outstanding_by_age": (q.outstanding_by_age, everything),
            "sediment_deposits": (q.sediment_deposits, everything),
            "sediment_totals": (q.sediment_totals, everything),
        }
        timings = {}
        for name, (query, selection) in calls.items():
            query(con, selection)  # warm up
            runs = []
            for _ in range(QUERY_REPEATS):
                started = time.perf_counter()
                query(con, selection)
                runs.append((time.perf_counter() - started) * 1000)
            runs.sort()
            timings[name] = {"p50_ms": statistics.median(runs), "p95_ms": runs[int(0.95 * (len(runs) - 1))]}
    return {"queries": timings}


WORKERS = {"floor": work_floor, "ggzy": work_ggzy, "pandas": work_pandas, "incremental": work_incremental,
           "queries": work_queries}


# --- the run -------------------------------------------------------------------------------------

def _sample(folder: Path, how: dict) -> Path:
    """Sample CSVs, generated once (a marker file records how)."""
    marker = folder / "sample.json"
    if marker.exists() and json.loads(marker.read_text()) == how:
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "ggzy", "sample", "--months", str(how["months"]), "--scale",
                    str(how["scale"]), "--start", how["start"], "--out", str(folder)], check=True)
    marker.write_text(json.dumps(how))
    return folder


def _months_from(start: str, months: int) -> str:
    """The month ``months`` after ``start`` (YYYY-MM; before it when negative)."""
    year, month = map(int, start.split("-"))
    index = year * 12 + month - 1 + months
    return f"{index // 12}-{index % 12 + 1:02d}"


def _over_years(how: dict, years: int) -> dict:
    """The sample ``how`` with ``years`` times its months, starting that much earlier."""
    return {**how, "months": how["months"] * years,
            "start": _months_from(how["start"], -how["months"] * (years - 1))}


def _month_after(how: dict) -> str:
    return _months_from(how["start"], how["months"])


def _lines(path: Path) -> int:
    with path.open("rb") as f:
        return sum(block.count(b"\n") for block in iter(lambda: f.read(1 << 20), b""))


def _run_worker(name: str, *args: Path) -> dict:
    started = time.perf_counter()
    result = subprocess.run([sys.executable, __file__, "--worker", name, *map(str, args)],
                            capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"{name} failed:\n{result.stderr[-4000:]}")
    report = json.loads(result.stdout.strip().splitlines()[-1])
    report["wall_seconds"] = time.perf_counter() - started
    return report


def _row(label: str, seconds: float | None, rss_mb: float | None, note: str = "") -> str:
    shown = "—" if seconds is None else f"{seconds:10.1f}"
    memory = "—" if rss_mb is None else f"{rss_mb:10,.0f}"
    return f"{label:<34}{shown:>12}{memory:>14}  {note}"


def targets(size: str, results: dict) -> list[dict]:
    """Each of issue #17's targets that applies to this size, with the value measured and whether
    it holds."""
    ggzy = results["ggzy"]
    found = []
    if size in RATIO_TARGETS:
        ratio = results["ratio_to_floor"]
        found.append({"target": f"load + build ≤ {RATIO_TARGETS[size]:g}× the floor", "value": ratio,
                      "held": ratio <= RATIO_TARGETS[size]})
    if size == "nation":
        found.append({"target": f"peak memory < {NATION_MEMORY_MB:,} MB", "value": ggzy["rss_mb"],
                      "held": ggzy["rss_mb"] < NATION_MEMORY_MB})
    if size == "province":
        months = results["incremental"]["one_more_month"]
        seconds = {h: t["load_seconds"] + t["build_seconds"] for h, t in months.items()}
        whole, year = seconds[max(seconds, key=lambda h: int(h.split()[0]))], seconds["12 months"]
        found += [{"target": f"one more month on the whole history ≤ {MONTH_TARGET_SECONDS:g} s",
                   "value": whole, "held": whole <= MONTH_TARGET_SECONDS},
                  {"target": f"one more month: whole history ≤ {FLAT_IN_HISTORY}× one year",
                   "value": whole / year, "held": whole / year <= FLAT_IN_HISTORY},
                  {"target": "the pandas baseline no faster than ggzy",
                   "value": results["pandas"]["seconds"] / (ggzy["load_seconds"] + ggzy["build_seconds"]),
                   "held": results["pandas"]["seconds"] >= ggzy["load_seconds"] + ggzy["build_seconds"]}]
    return found


def report(size: str, data: Path, results: dict) -> str:
    floor, ggzy = results["floor"], results["ggzy"]
    ggzy_seconds = ggzy["load_seconds"] + ggzy["build_seconds"]
    stages = ggzy["stages"]
    lines = [f"size {size}: {results['rows']}, {results['csv_mb']:,.0f} MB of CSV in {data}",
             f"{'':<34}{'seconds':>12}{'peak RSS MB':>14}",
             _row("floor (DuckDB alone)", floor["seconds"], floor["rss_mb"]),
             _row("ggzy load", ggzy["load_seconds"], None, ", ".join(
                 f"{k.split('.')[1]} {v:.1f}" for k, v in stages.items() if k.startswith("load."))),
             _row("ggzy build", ggzy["build_seconds"], None, ", ".join(
                 f"{k.split('.')[1]} {v:.1f}" for k, v in stages.items() if k.startswith("build."))),
             f"{'':<34}{_dbt_line(ggzy['dbt'])}",
             f"{'':<34}peak memory raised (MB) by: " + ", ".join(
                 f"{stage} {peak:,.0f}" for stage, peak in ggzy["peak_raised_mb"].items()),
             _row("ggzy load + build", ggzy_seconds, ggzy["rss_mb"],
                  f"{results['ratio_to_floor']:.1f}× the floor")]
    if "pandas" in results:
        pandas = results["pandas"]
        lines.append(_row("pandas baseline", pandas["seconds"], pandas["rss_mb"],
                          f"pandas/ggzy {pandas['seconds'] / ggzy_seconds:.2f}"))
    lines.append(f"totals agree to the fen: floor {floor['deal_amount']} = ggzy {ggzy['deal_amount']}: "
                 f"{floor['deal_amount'] == ggzy['deal_amount']}")
    for history, t in results.get("incremental", {}).get("one_more_month", {}).items():
        lines.append(_row(f"one more month on {history}", t["load_seconds"] + t["build_seconds"], None,
                          f"load {t['load_seconds']:.1f}, build {t['build_seconds']:.1f} ("
                          + ", ".join(f"{k} {v:.1f}" for k, v in t["stages"].items()) + ")"))
        lines.append(f"{'':<34}{_dbt_line(t['dbt'])}")
    lines.append(f"dashboard queries ({QUERY_REPEATS} runs each)        p50 ms    p95 ms")
    for name, t in results["queries"]["queries"].items():
        lines.append(f"  {name:<44}{t['p50_ms']:8.1f}{t['p95_ms']:10.1f}")
    for target in results["targets"]:
        lines.append(f"target {target['target']}: {target['value']:.2f} — "
                     f"{'holds' if target['held'] else 'MISSED'}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=SIZES, default="city")
    parser.add_argument("--data", type=Path, default=BENCH / "data", help="where sample CSVs are kept")
    parser.add_argument("--results", type=Path, default=BENCH / "results")
    parser.add_argument("--memory", help="ggzy's --memory for every run (default: its own default)")
    parser.add_argument("--years", type=int, default=1,
                        help="the size's months this many times over, ending where they end (scaling)")
    parser.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory:
        os.environ["GGZY_MEMORY"] = args.memory  # the workers' environment
    if args.worker:
        name, *paths = args.worker
        result = WORKERS[name](*map(Path, paths))
        print(json.dumps({**result, "rss_mb": _peak_rss_mb()}))
        from ggzy.cli import silence_teardown

        silence_teardown()
        return
    how = _over_years(SIZES[args.size], args.years)
    label = args.size if args.years == 1 else f"{args.size}-{args.years}y"
    data = _sample(args.data / label, how)
    home = args.data / f"{label}-warehouse"
    shutil.rmtree(home, ignore_errors=True)
    results = {"size": args.size, "sample": how, "date": date.today().isoformat(),
               "memory": args.memory or "default",
               "csv_mb": sum(p.stat().st_size for p in data.glob("*_????-??.csv")) / 2**20}
    counts = {kind: sum(_lines(p) - 1 for p in data.glob(f"{kind}_????-??.csv"))
              for kind in ("deals", "securities", "refunds")}
    results["rows"] = ", ".join(f"{n:,} {kind}" for kind, n in counts.items())
    results["floor"] = _run_worker("floor", data)
    results["ggzy"] = _run_worker("ggzy", data, home)
    if args.size in PANDAS_SIZES:
        results["pandas"] = _run_worker("pandas", data)
    if args.size in INCREMENTAL_SIZES:
        next_month = _sample(args.data / f"{label}-next", {
            "months": 1, "scale": how["scale"], "start": _month_after(how)})
        results["incremental"] = _run_worker("incremental", data, home, next_month,
                                             args.data / f"{label}-incremental")
    results["queries"] = _run_worker("queries", home)
    ggzy = results["ggzy"]
    results["ratio_to_floor"] = (ggzy["load_seconds"] + ggzy["build_seconds"]) / results["floor"]["seconds"]
    results["targets"] = targets(args.size, results)
    text = report(args.size, data, results)
    print(text)
    args.results.mkdir(parents=True, exist_ok=True)
    memory = f"-memory-{args.memory}" if args.memory else ""
    out = args.results / f"{results['date']}-{label}{memory}.json"
    out.write_text(json.dumps({**results, "table": text}, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"written to {out}")


if __name__ == "__main__":
    main()
