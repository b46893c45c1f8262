"""Benchmark the OCDS import: N compiled releases, generated here, loaded and built.

    .venv/bin/python bench/ocds.py --releases 100000

The generator writes JSON Lines of compiled releases in the shapes publishers use (one to three
lots, awards linked by relatedLots, bids.details with two to eight tenderers, an unsuccessful
award now and then, contracts, parties), deterministic for a seed, into bench/data/ (kept). Then
`ggzy load` and `ggzy build` run each in its own process, timed, with the peak memory of each
(the largest resident set). It prints a table and writes bench/results/<date>-ocds-<N>.json. The
generator adds up what the deals must total (Decimal): the warehouse must agree to the fen.
"""

import argparse
import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import duckdb

from ggzy.serve.ocds_export import json_text

BENCH = Path(__file__).resolve().parent
CATEGORIES = ("works", "goods", "services")
METHODS = ("open", "selective", "limited", "direct")


def _lot(rng: random.Random, ocid: str, n: int, day: date) -> tuple[dict, dict | None, list[dict], Decimal]:
    """A lot, its active award (or none: the lot failed), its bids, and the amount awarded."""
    lot_id = f"{ocid}-L{n}"
    budget = Decimal(rng.randrange(10_000_00, 50_000_000_00)) / 100
    bidders = [f"UA-EDR-{rng.randrange(100_000):06d}" for _ in range(rng.randrange(2, 9))]
    bids = [{"id": f"{lot_id}-b{i}", "status": rng.choice(("valid", "valid", "disqualified")),
             "tenderers": [{"id": b, "name": b}], "relatedLots": [lot_id]} for i, b in enumerate(bidders)]
    value = {"amount": budget, "currency": "UAH"}
    if rng.random() < 0.1:
        return {"id": lot_id, "status": "unsuccessful", "value": value}, None, bids, Decimal(0)
    awarded = (budget * Decimal(rng.randrange(80, 101)) / 100).quantize(Decimal("0.01"))
    award = {"id": f"{lot_id}-a", "status": "active", "date": f"{day + timedelta(days=20)}T10:00:00+02:00",
             "value": {"amount": awarded, "currency": "UAH"}, "relatedLots": [lot_id],
             "suppliers": [{"id": bidders[0], "name": bidders[0]}]}
    return {"id": lot_id, "status": "complete", "value": value}, award, bids, awarded


def release(rng: random.Random, i: int) -> tuple[dict, int, Decimal]:
    """One compiled release, how many deals its lots are, and what they were awarded."""
    ocid = f"ocds-bench0-{i:08d}"
    day = date(2024, 1, 1) + timedelta(days=rng.randrange(340))
    lots, awards, bids, total = [], [], [], Decimal(0)
    for n in range(rng.randrange(1, 4)):
        lot, award, lot_bids, awarded = _lot(rng, ocid, n, day)
        lots.append(lot)
        bids += lot_bids
        total += awarded
        if award and rng.random() < 0.2:  # an earlier bidder's award that did not succeed
            awards.append({**award, "id": f"{award['id']}-x", "status": "unsuccessful"})
        if award:
            awards.append(award)
    signed = f"{day + timedelta(days=30)}T10:00:00+02:00"
    contracts = [{"id": f"{a['id']}-c", "awardID": a["id"], "status": "active", "dateSigned": signed}
                 for a in awards if a["status"] == "active"]
    return {
        "ocid": ocid, "id": f"{ocid}-compiled", "date": signed, "tag": ["compiled"],
        "initiationType": "tender",
        "parties": [{"id": "UA-EDR-BUYER", "name": "Buyer", "roles": ["buyer"],
                     "address": {"region": "Kyiv"}}],
        "buyer": {"id": "UA-EDR-BUYER", "name": "Buyer"},
        "tender": {"id": ocid, "status": "complete", "procurementMethod": rng.choice(METHODS),
                   "mainProcurementCategory": rng.choice(CATEGORIES),
                   "submissionMethod": ["electronicAuction"],
                   "tenderPeriod": {"startDate": f"{day}T00:00:00+02:00"}, "lots": lots},
        "bids": {"details": bids}, "awards": awards, "contracts": contracts,
    }, len(lots), total


def generate(path: Path, n: int, seed: int = 1) -> dict:
    """Write ``n`` releases as JSON Lines; what the deals must come to."""
    rng = random.Random(seed)
    n_deals, total = 0, Decimal(0)
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            compiled, lots, awarded = release(rng, i)
            f.write(json_text(compiled) + "\n")
            n_deals, total = n_deals + lots, total + awarded
    return {"releases": n, "deals": n_deals, "deal_amount": str(total), "bytes": path.stat().st_size}


def _timed(*command: str) -> tuple[float, float]:
    """Seconds and peak resident memory (MB) of a ggzy command in its own process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "ggzy", *command], capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode:
        sys.exit(f"ggzy {' '.join(command)} failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(peak, before) / 1024  # the largest child so far: run load before build


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--releases", type=int, default=100_000)
    parser.add_argument("--data", type=Path, default=BENCH / "data")
    parser.add_argument("--results", type=Path, default=BENCH / "results")
    parser.add_argument("--memory", help="ggzy's --memory (default: its own default)")
    args = parser.parse_args()
    args.data.mkdir(parents=True, exist_ok=True)
    source = args.data / f"ocds-{args.releases}.jsonl"
    expected = generate(source, args.releases)
    home = Path(tempfile.mkdtemp(prefix="ggzy-bench-ocds-"))
    try:
        subprocess.run([sys.executable, "-m", "ggzy", "--home", str(home), "init", "--currency", "UAH"],
                       check=True, stdout=subprocess.DEVNULL)
        options = ["--home", str(home)] + (["--memory", args.memory] if args.memory else [])
        load_seconds, load_mb = _timed(*options, "load", str(source))
        build_seconds, build_mb = _timed(*options, "build")
        with duckdb.connect(str(home / "snapshot.duckdb"), read_only=True) as con:
            n_deals, amount = con.execute("select count(*), sum(deal_amount) from marts.fct_deals").fetchone()
    finally:
        shutil.rmtree(home)
    result = {"memory": args.memory, "expected": expected, "deals": n_deals, "deal_amount": str(amount),
              "load_seconds": load_seconds, "load_peak_mb": load_mb,
              "build_seconds": build_seconds, "peak_mb": build_mb}
    table = (f"OCDS import: {args.releases:,} compiled releases, {expected['bytes'] / 1e6:,.1f} MB, "
             f"{n_deals:,} deals, --memory {args.memory or 'default'}\n"
             f"  load   {load_seconds:8.1f} s   peak {load_mb:8,.0f} MB\n"
             f"  build  {build_seconds:8.1f} s   peak {build_mb:8,.0f} MB (the larger of load and build)\n"
             f"  deal amount {amount:,} (generator: {Decimal(expected['deal_amount']):,})")
    print(table)
    args.results.mkdir(parents=True, exist_ok=True)
    bounded = f"-memory-{args.memory}" if args.memory else ""
    out = args.results / f"{date.today()}-ocds-{args.releases}{bounded}.json"
    out.write_text(json.dumps({**result, "table": table}, indent=2), encoding="utf-8")
    if n_deals != expected["deals"] or Decimal(amount) != Decimal(expected["deal_amount"]):
        sys.exit("the warehouse does not agree with the generator")


if __name__ == "__main__":
    main()
