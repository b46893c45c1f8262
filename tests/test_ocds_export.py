"""OCDS out: `ggzy export ocds` writes the published deals as compiled releases that validate
against the shipped OCDS 1.1 schema (with the lots and bids extensions), and that ggzy's import
reads back to the same trading volume, savings and e-bidding figures to the fen."""

import json
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import jsonschema
import pytest
from conftest import land, snapshot_query
from test_ocds import exact, package, release, value, write_json

from ggzy import sample
from ggzy.common.ocds import release_schema
from ggzy.common.warehouse import init, snapshot_path
from ggzy.transform.build import build

# what OCDS carries of each mart: all of it but remote evaluation, which OCDS has no place for
CARRIED = {"mart_trading_volume": "*",
           "mart_e_bidding": "* exclude (n_remote_evaluation, deal_amount_remote_evaluation)"}
# mart_savings: all of it but framework agreements, which an OCDS import does not price
SAVINGS_DIFFER = """
with framework as (
    select month, region_code, trade_category, count(*) as n_priced,
        sum(budget_amount) as budget_amount_priced, sum(deal_amount) as deal_amount_priced,
        sum(savings_amount) as savings_amount, sum(premium_amount) as premium_amount
    from marts.fct_deals where is_priced and tender_mode = 'framework_agreement' group by all)
select count(*) from marts.mart_savings as original
full join again.marts.mart_savings as again using (month, region_code, trade_category)
left join framework using (month, region_code, trade_category)
where {differs}"""
SAVINGS_PARTS = ("n_priced", "budget_amount_priced", "deal_amount_priced", "savings_amount", "premium_amount")


def export(home: Path, out: Path, *options: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ggzy", "--home", str(home), "export", "ocds",
                           "--out", str(out), *options], capture_output=True, text=True)


def releases(path: Path) -> list[dict]:
    """The exported releases, numbers as Decimal from their text."""
    return [json.loads(line, parse_float=Decimal) for line in path.read_text(encoding="utf-8").splitlines()]


def invalid(found: list[dict]) -> list[tuple[str, str]]:
    """Where the releases break the OCDS 1.1 release schema (lots and bids extensions applied)."""
    validator = jsonschema.Draft4Validator(release_schema(),
                                           format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
    as_json = json.loads(json.dumps(found, default=float))  # jsonschema checks numbers as JSON has them
    return [(f"{r['ocid']} {e.json_path}", e.message) for r in as_json for e in validator.iter_errors(r)]


@pytest.fixture(scope="module")
def round_trip(tmp_path_factory) -> tuple[Path, Path, Path]:
    """Three sample months loaded and built; exported; the export loaded into a new CNY
    warehouse and built."""
    root = tmp_path_factory.mktemp("round-trip")
    original, again = root / "original", root / "again"
    land(sample.generate(root / "sample", months=3, scale=0.05, start=date(2024, 1, 1)), original)
    assert build(original).published
    out = root / "deals.jsonl"
    done = export(original, out, "--prefix", "ocds-ggzy01")
    assert done.returncode == 0, done.stderr
    land([out], again)
    assert build(again).published
    return original, again, out


def test_every_exported_release_validates_against_the_ocds_schema(round_trip):
    found = releases(round_trip[2])
    assert len(found) > 700 and invalid(found) == []
    broken = {**found[0], "tender": {**found[0]["tender"], "status": "finished"}}  # not a tender status
    statuses = "['planning', 'planned', 'active', 'cancelled', 'unsuccessful', 'complete', 'withdrawn', None]"
    assert invalid([broken]) == [(f"{broken['ocid']} $.tender.status",
                                  f"'finished' is not one of {statuses}")]
    assert {r["ocid"].split("-")[1] for r in found} == {"ggzy01"}


def test_the_export_reads_back_to_the_same_figures_to_the_fen(round_trip):
    original, again, out = round_trip
    with duckdb.connect(str(snapshot_path(original)), read_only=True) as con:
        con.execute(f"attach '{snapshot_path(again)}' as again (read_only)")
        for mart, columns in CARRIED.items():
            for a, b in (("marts", "again.marts"), ("again.marts", "marts")):
                differ = f"select {columns} from {a}.{mart} except all select {columns} from {b}.{mart}"
                assert con.execute(f"select count(*) from ({differ})").fetchone() == (0,), mart
        differs = " or ".join(f"coalesce(original.{c}, 0) <> coalesce(again.{c}, 0) "
                              f"+ coalesce(framework.{c}, 0)" for c in SAVINGS_PARTS)
        assert con.execute(SAVINGS_DIFFER.format(differs=differs)).fetchone() == (0,)
        assert con.execute("""select count(*) from marts.fct_deals where is_priced
                              and tender_mode = 'framework_agreement'""").fetchone()[0] > 5
        assert con.execute("select count(*) from marts.mart_trading_volume").fetchone()[0] > 100
        # what the risk flags read of a deal: its tenderer, agency, notice and bid opening dates,
        # its bidders as the deals file counts them (the statistic, read before the bids) (the
        # import names a project by its ocid)
        parties = ("bid_section_code, deal_date, deal_amount, tenderer_code, agency_code, publish_date, "
                   "bid_open_date, bidder_count")
        for a, b in (("marts", "again.marts"), ("again.marts", "marts")):
            differ = f"select {parties} from {a}.fct_deals except all select {parties} from {b}.fct_deals"
            assert con.execute(f"select count(*) from ({differ})").fetchone() == (0,)
        assert con.execute("""select count(distinct tenderer_code), count(distinct agency_code),
            count(publish_date), count(bid_open_date) from again.marts.fct_deals""").fetchone() \
            >= (10, 5, 700, 700)
        # the bids (bids.details) read back as they were
        bids = "bid_section_code, month, bidder_code, bid_price, bid_status, bid_time, is_submitted"
        for a, b in (("marts", "again.marts"), ("again.marts", "marts")):
            differ = f"select {bids} from {a}.fct_bids except all select {bids} from {b}.fct_bids"
            assert con.execute(f"select count(*) from ({differ})").fetchone() == (0,)
        assert con.execute("select count(*) from again.marts.fct_bids").fetchone()[0] > 5000
    # the file's own amounts, added with Decimal, are the marts' totals
    found = releases(out)
    awarded = sum(a["value"]["amount"] for r in found for a in r.get("awards", []))
    budgets = sum(lot["value"]["amount"] for r in found for lot in r["tender"]["lots"]
                  if "value" in lot and lot["status"] == "complete")  # the budgets of concluded deals
    totals = "select sum(deal_amount), sum(budget_amount) from marts.mart_trading_volume"
    assert snapshot_query(again, totals) == [(awarded, budgets)]


def test_a_projects_sections_tendered_alike_are_one_process_with_its_lots(tmp_path, home):
    """An OCDS file of one process (two lots awarded, one unsuccessful; land sold by 挂牌 in 城关区)
    loaded, built and exported: one release with its three lots, as it came in. Beside it a
    framework agreement of no known region: counted in volume, never priced."""
    init(home)
    land_sale = release(
        "ocds-in-1", date="2024-03-20T00:00:00Z",
        parties=[{"id": "b", "name": "某局", "roles": ["buyer"], "address": {"region": "620102"}}],
        buyer={"id": "b", "name": "某局"},
        tender={"status": "complete", "procurementMethod": "open", "procurementMethodDetails": "挂牌",
                "submissionMethod": ["electronicSubmission"],
                "items": [{"id": "i", "classification": {"scheme": "GGZY-TRADE-CATEGORY", "id": "land"}}],
                "lots": [{"id": "A", "value": value(exact("1000000.00"))},
                         {"id": "B", "value": value(exact("2000000.00"))},
                         {"id": "C", "status": "unsuccessful", "value": value(exact("500000.00"))}]},
        bids={"statistics": [{"id": "s", "measure": "bidders", "value": 3, "relatedLot": "A"}]},
        awards=[{"id": "a", "status": "active", "date": "2024-03-05", "relatedLots": ["A"],
                 "value": value(exact("1234567.89")), "suppliers": [{"id": "W1"}]},
                {"id": "b", "status": "active", "date": "2024-03-12", "relatedLots": ["B"],
                 "value": value(exact("2000000.01")), "suppliers": [{"id": "W2"}]}])
    framework = release("ocds-in-2", tender={
        "status": "complete", "mainProcurementCategory": "works", "value": value(exact("100.00")),
        "techniques": {"hasFrameworkAgreement": True}},
        awards=[{"id": "f", "status": "active", "date": "2024-03-07", "value": value(exact("90.00"))}])
    land([write_json(tmp_path / "in.json", package(land_sale, framework))], home)
    assert build(home).published
    done = export(home, tmp_path / "out.jsonl", "--from", "2024-03", "--to", "2024-03", "--region", "620100")
    assert done.returncode == 0, done.stderr
    assert "1 个 OCDS 发布 compiled releases, 3 个标段 lots" in done.stdout
    [out] = releases(tmp_path / "out.jsonl")
    assert invalid([out]) == []
    assert out["ocid"] == "ocds-xxxxxx-ocds-in-1-202403" and out["date"] == "2024-03-20T00:00:00+08:00"
    assert out["buyer"] == {"id": "b", "name": "b"}  # the tenderer, by its code (its name is not kept)
    assert out["parties"][0]["address"] == {"region": "620102", "locality": "城关区", "countryName": "中国"}
    tender = out["tender"]
    assert (tender["procurementMethod"], tender["procurementMethodDetails"]) == ("open", "挂牌")
    assert [(lot["id"], lot["status"], lot["value"]["amount"]) for lot in tender["lots"]] == [
        ("A", "complete", Decimal("1000000.00")), ("B", "complete", Decimal("2000000.00")),
        ("C", "unsuccessful", Decimal("500000.00"))]
    assert {i["classification"]["id"] for i in tender["items"]} == {"land"}
    assert [(a["relatedLots"], a["value"]["amount"], a["suppliers"][0]["id"]) for a in out["awards"]] == [
        (["A"], Decimal("1234567.89"), "W1"), (["B"], Decimal("2000000.01"), "W2")]
    assert out["bids"]["statistics"] == [
        {"id": "A-bidders", "measure": "bidders", "value": 3, "relatedLot": "A"}]
    # premium of the land sold: (1,234,567.89 − 1,000,000.00) + (2,000,000.01 − 2,000,000.00); the
    # framework agreement's 90.00 in the volume, in no savings
    assert snapshot_query(home, "select sum(premium_amount), sum(savings_amount), sum(n_priced) "
                                "from marts.mart_savings") == [(Decimal("234567.90"), None, 2)]
    assert snapshot_query(home, "select sum(deal_amount) from marts.mart_trading_volume") == [
        (Decimal("3234657.90"),)]
    # the framework agreement does not say how it was tendered: the e-bidding rates are of the two
    # lots that do, both electronic
    e_bidding = """select sum(n_concluded), sum(n_electronic), sum(n_e_known), max(e_bidding_rate),
        sum(deal_amount_e_known), max(e_bidding_rate_amount) from marts.mart_e_bidding"""
    assert snapshot_query(home, e_bidding) == [
        (3, 2, 2, Decimal("1.000000"), Decimal("3234567.90"), Decimal("1.000000"))]
    # another region, or months without it: nothing
    for options in (["--region", "110000"], ["--from", "2024-04"]):
        done = export(home, tmp_path / "none.jsonl", *options)
        assert (done.returncode, (tmp_path / "none.jsonl").read_text()) == (0, ""), done.stderr


def test_an_ocid_prefix_is_as_the_registry_gives_it(tmp_path, home):
    init(home)
    land([write_json(tmp_path / "in.json", package(release("o", tender={"status": "cancelled"})))], home)
    assert build(home).published
    done = export(home, tmp_path / "out.jsonl", "--prefix", "OCDS-1")
    assert done.returncode == 2 and "ocds- and six lower-case letters or digits" in done.stderr
    assert not (tmp_path / "out.jsonl").exists()
