"""OCDS in: packages, records, releases and JSON Lines compiled per ocid into deals rows, one per
lot, with known answers to the fen; errors that point into the JSON; one currency per warehouse.

The OCDS files here are written by hand in the shapes publishers use (tests/data/ocds/README.md);
the fictional example and Cardinal's fixtures are copied with their licences."""

import gzip
import json
import shutil
import socket
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import fingerprint, query, snapshot_query

from ggzy.common.warehouse import init
from ggzy.ingest.load import load_files
from ggzy.transform.build import build

DATA = Path(__file__).parent / "data" / "ocds"


def release(ocid: str, date: str = "2024-03-10T00:00:00Z", rid: str | None = None, **parts) -> dict:
    return {"ocid": ocid, "id": rid or f"{ocid}-{date[:10]}", "date": date, "tag": ["award"],
            "initiationType": "tender", **parts}


def value(amount, currency: str = "CNY") -> dict:
    return {"amount": amount, "currency": currency}


def package(*releases: dict, version: str | None = "1.1") -> dict:
    head = {"uri": "https://example.org/p", "publishedDate": "2024-04-01T00:00:00Z",
            "publisher": {"name": "ggzy tests"}}
    return {**head, **({"version": version} if version else {}), "releases": list(releases)}


def write_json(path: Path, data, lines: bool = False) -> Path:
    """JSON written with numbers as given: a Decimal keeps its digits (Jalisco's long decimals)."""
    def text(d) -> str:
        return json.dumps(d, default=str).replace('"#', "").replace('#"', "")
    path.write_text("\n".join(text(d) for d in data) if lines else text(data), encoding="utf-8")
    return path


def exact(number: str) -> str:
    """A JSON number written with exactly these digits (see write_json)."""
    return f"#{number}#"


def deals(home: Path, ocid: str | None = None) -> list[tuple]:
    where = f"where tender_project_code = '{ocid}'" if ocid else ""
    return query(home, f"""
        with current as (
            select * from raw.deals {where}
            qualify row_number() over (partition by tender_project_code, bid_section_code, attempt_month
                                       order by load_id desc) = 1)
        select bid_section_code, deal_status, budget_amount, deal_amount, deal_date, bidder_count,
            is_electronic, tender_mode, trade_category from current order by 1""")


@pytest.fixture
def loaded(tmp_path: Path, home: Path):
    def loaded(data, name: str = "file.json", lines: bool = False, currency: str = "CNY"):
        init(home, currency_code=currency)
        return load_files([write_json(tmp_path / name, data, lines)], home)[0]  # its deals
    return loaded


LOTS = release(
    "ocds-lots", tender={
        "status": "active", "procurementMethod": "open", "mainProcurementCategory": "works",
        "submissionMethod": ["electronicSubmission"],
        "lots": [{"id": "L1", "value": value(1000)}, {"id": "L2", "value": value(2000)},
                 {"id": "L3", "value": value(3000)}, {"id": "L4", "value": value(4000)},
                 {"id": "L5", "value": value(5000)}],
        "items": [{"id": "i5", "relatedLot": "L5"}]},
    awards=[
        {"id": "a1", "status": "active", "date": "2024-03-05", "value": value(900.10), "relatedLots": ["L1"],
         "suppliers": [{"id": "S-1"}]},
        {"id": "a1x", "status": "unsuccessful", "value": value(50), "relatedLots": ["L1"]},
        {"id": "a1c", "status": "cancelled", "value": value(30), "relatedLots": ["L1"]},
        {"id": "a2", "status": "active", "date": "2024-03-06", "value": value(1800),
         "relatedLots": [{"lotId": "L2"}]},  # Armenia
        {"id": "a3", "status": "active", "date": "2024-03-07", "value": value(2700),
         "lotID": "L3"},  # ProZorro
        {"id": "a5", "status": "active", "date": "2024-03-08", "value": value(4500), "items": [{"id": "i5"}]},
        {"id": "a5b", "status": "pending", "date": "2024-03-08", "value": value(1), "relatedLots": ["L5"]},
    ],
    bids={"details": [
        {"id": "b1", "status": "valid", "tenderers": [{"id": "S-1"}], "relatedLots": ["L1"]},
        {"id": "b2", "status": "disqualified", "tenderers": [{"id": "S-2"}], "relatedLots": ["L1"]},
        {"id": "b3", "status": "pending", "tenderers": [{"id": "S-3"}], "relatedLots": ["L1"]},
        {"id": "b4", "status": "withdrawn", "tenderers": [{"id": "S-4"}], "relatedLots": ["L1"]},
        {"id": "b5", "status": "valid", "tenderers": [{"id": "S-1"}], "relatedLots": ["L1"]},
    ], "statistics": [{"id": "st2", "measure": "bidders", "value": 4, "relatedLot": "L2"}]},
)


def test_one_deal_per_lot_each_award_linked_its_own_way(loaded, home):
    outcome = loaded(package(LOTS))
    assert outcome.status == "landed", outcome.message
    assert outcome.n_releases == 1
    assert deals(home) == [
        # L1: the active award only (not the unsuccessful 50 or the cancelled 30); bidders: the
        # distinct tenderers of its valid, disqualified and pending bids (not the withdrawn one)
        ("L1", "concluded", Decimal("1000.00"), Decimal("900.10"), *_dated("2024-03-05"), 3, True,
         "open_tender", "engineering"),
        ("L2", "concluded", Decimal("2000.00"), Decimal("1800.00"), *_dated("2024-03-06"), 4, True,
         "open_tender", "engineering"),  # {"lotId": …}; bidders from bids.statistics
        ("L3", "concluded", Decimal("3000.00"), Decimal("2700.00"), *_dated("2024-03-07"), None, True,
         "open_tender", "engineering"),  # lotID; no bids for it: bidders unknown, never 0
        # L4: no award and the tender still active: not a deal yet, no row
        ("L5", "concluded", Decimal("5000.00"), Decimal("4500.00"), *_dated("2024-03-08"), None, True,
         "open_tender", "engineering"),  # its item's relatedLot; the pending award does not count
    ]


def _dated(text: str) -> tuple:
    from datetime import date
    return (date.fromisoformat(text),)


def test_a_tender_without_lots_is_one_virtual_lot_with_the_tenders_budget(loaded, home):
    outcome = loaded(package(release(
        "ocds-one", tender={"status": "complete", "value": value(500), "numberOfTenderers": 2,
                            "procurementMethod": "direct", "mainProcurementCategory": "goods",
                            "techniques": {"hasElectronicAuction": True}},
        awards=[{"id": "a", "status": "active", "date": "2024-03-02", "value": value(480)}])))
    assert outcome.status == "landed", outcome.message
    assert deals(home) == [("1", "concluded", Decimal("500.00"), Decimal("480.00"), *_dated("2024-03-02"), 2,
                            True, "single_source", "government_procurement")]


def test_statuses_of_tenders_and_lots(loaded, home):
    def tender(ocid: str, status: str, awards=()) -> dict:
        return release(ocid, tender={"status": status, "value": value(100)}, awards=list(awards))
    won = [{"id": "a", "status": "active", "date": "2024-03-01", "value": value(90)}]
    outcome = loaded(package(
        tender("t-cancelled", "cancelled"), tender("t-withdrawn", "withdrawn"),
        tender("t-unsuccessful", "unsuccessful"), tender("t-complete-no-award", "complete"),
        tender("t-complete", "complete", won), tender("t-active", "active", won), tender("t-open", "active"),
        tender("t-lost", "complete", [{"id": "a", "status": "unsuccessful", "value": value(90)}])))
    assert outcome.status == "landed", outcome.message
    statuses = dict(query(home, "select tender_project_code, deal_status from raw.deals"))
    assert statuses == {"t-cancelled": "terminated", "t-withdrawn": "terminated", "t-unsuccessful": "failed",
                        "t-complete-no-award": "failed", "t-complete": "concluded", "t-active": "concluded",
                        "t-lost": "failed"}  # t-open: still open, not a deal
    # a failed or terminated tender is dated by its release
    assert query(home, "select distinct deal_date from raw.deals where deal_status <> 'concluded'") == \
        [_dated("2024-03-10")]


def test_awards_are_added_exactly_and_the_total_rounded_to_the_fen(loaded, home):
    """Jalisco writes 1120656.1300000001: through a float the sum would not be exact."""
    outcome = loaded(package(release("ocds-jal", tender={"status": "active",
                                                         "value": value(exact("2000000"))},
                                     awards=[{"id": "a", "status": "active", "date": "2024-03-01",
                                              "value": value(exact("1120656.1300000001"))},
                                             {"id": "b", "status": "active", "date": "2024-03-01",
                                              "value": value(exact("0.0049999999"))}])))
    assert outcome.status == "landed", outcome.message
    # 1120656.1300000001 + 0.0049999999 = 1120656.135 exactly, rounded half up: .14
    assert query(home, "select deal_amount from raw.deals") == [(Decimal("1120656.14"),)]
    assert '"amount":1120656.1300000001' in query(home, "select release_json from raw.ocds_releases")[0][0]


def test_placeholder_values_are_no_value_with_a_warning(loaded, home):
    outcome = loaded(package(release("ocds-ph", tender={"status": "active", "value": value(exact("0.01"))},
                                     awards=[{"id": "a", "status": "active", "date": "2024-03-01",
                                              "value": value(0)}])))
    assert outcome.status == "landed", outcome.message
    assert query(home, "select budget_amount, deal_amount from raw.deals") == [(None, None)]
    placeholders = sorted(f.column for f in outcome.findings if f.rule == "ocds_placeholder_value")
    assert placeholders == ["ocid ocds-ph · release ocds-ph-2024-03-10 · awards[0].value.amount",
                            "ocid ocds-ph · release ocds-ph-2024-03-10 · tender.value.amount"]


def test_another_currency_is_an_error_naming_the_json_path_and_nothing_lands(tmp_path, home):
    init(home, currency_code="CNY")
    before = fingerprint(home)
    path = write_json(tmp_path / "mixed.json", package(release(
        "ocds-mx", tender={"status": "active", "value": value(100)},
        awards=[{"id": "a", "status": "active", "date": "2024-03-01", "value": value(50)},
                {"id": "b", "status": "active", "date": "2024-03-01", "value": value(40, "USD")},
                {"id": "c", "status": "active", "date": "2024-03-01", "value": value(10, "MNX")}])))
    result = subprocess.run([sys.executable, "-m", "ggzy", "--home", str(home), "load", str(path)],
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert ("ocid ocds-mx · release ocds-mx-2024-03-10 · awards[1].value.currency, 值 value 'USD': "
            "币种与数据仓库的 CNY 不同（不做换算） / a currency other than the warehouse's CNY "
            "(never converted) "
            "[ocds_currency_other]") in result.stdout
    assert "awards[2].value.currency, 值 value 'MNX': 不是 ISO 4217 货币代码" in result.stdout
    assert fingerprint(home) == before


def test_a_warehouse_in_another_currency_takes_its_currency(loaded, home):
    outcome = loaded(package(release("ocds-ua", tender={"status": "active", "value": value(100, "UAH")},
                                     awards=[{"id": "a", "status": "active", "date": "2024-03-01",
                                              "value": value(90, "UAH")}])), currency="UAH")
    assert outcome.status == "landed", outcome.message
    assert query(home, "select budget_amount, deal_amount from raw.deals") == [
        (Decimal("100.00"), Decimal("90.00"))]
    result = subprocess.run([sys.executable, "-m", "ggzy", "--home", str(home), "status"],
                            capture_output=True, text=True)
    assert result.stdout.startswith(
        "币种 currency: UAH\nOCDS: 1 个文件 files, 1 个发布 releases, 1 行当前成交")


def test_a_warehouse_from_before_ocds_is_read_then_upgraded_by_its_next_load(home, tmp_path):
    """Made as the release before OCDS made it (no meta.settings, no load_log.n_releases, no
    raw.ocds_releases): ggzy status reads it as it is (CNY), and an OCDS load adds what it needs."""
    import duckdb

    from ggzy.common.warehouse import database_path
    init(home)
    with duckdb.connect(str(database_path(home))) as con:
        con.execute("drop table meta.settings; drop table raw.ocds_releases; "
                    "alter table meta.load_log drop column n_releases")
    result = subprocess.run([sys.executable, "-m", "ggzy", "--home", str(home), "status"],
                            capture_output=True, text=True)
    assert (result.returncode, result.stdout) == (0, "尚未入库任何文件 / nothing loaded yet\n"), result.stderr
    outcome = load_files([write_json(tmp_path / "p.json", package(release(
        "o", tender={"status": "cancelled", "value": value(5)})))], home)[0]
    assert outcome.status == "landed", outcome.message
    assert query(home, "select n_releases from meta.load_log") == [(1,)]


def test_init_currency_is_iso_4217_and_set_once(home, tmp_path):
    def ggzy_init(code: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "ggzy", "--home", str(home), "init", "--currency", code],
                              capture_output=True, text=True)
    assert ggzy_init("MNX").returncode == 2
    assert ggzy_init("eur").returncode == 0  # upper-cased
    load_files([write_json(tmp_path / "p.json", package(release(
        "o", tender={"status": "cancelled"})))], home)
    refused = ggzy_init("USD")
    assert refused.returncode == 2
    assert "the warehouse holds data in EUR" in refused.stderr + refused.stdout


def test_a_newer_release_recompiles_its_ocid_from_all_releases(tmp_path, home):
    """The tender, then a later file with the award and an amendment of the budget: the row is
    recompiled from both files' releases and replaces the first."""
    init(home)
    tender = release("ocds-n", "2024-03-01T00:00:00Z", tender={
        "status": "active", "value": value(1000), "procurementMethod": "selective",
        "submissionMethod": ["written"], "lots": [{"id": "L1"}]})
    first = load_files([write_json(tmp_path / "a.json", package(tender))], home)[0]
    assert (first.status, first.n_rows) == ("landed", 0)  # no award yet
    award = release("ocds-n", "2024-04-02T00:00:00Z", tender={"value": value(1200), "status": "complete"},
                    awards=[{"id": "a", "status": "active", "date": "2024-04-01", "value": value(1100),
                             "relatedLots": ["L1"]}])
    second = load_files([write_json(tmp_path / "b.json", package(award))], home)[0]
    assert second.status == "landed", second.message
    assert deals(home) == [("L1", "concluded", Decimal("1200.00"), Decimal("1100.00"), *_dated("2024-04-01"),
                            None, False, "invited_tender", "other")]
    correction = release("ocds-n", "2024-04-03T00:00:00Z", awards=[
        {"id": "a", "status": "cancelled"},
        {"id": "b", "status": "active", "date": "2024-04-03", "value": value(1150), "relatedLots": ["L1"]}])
    third = load_files([write_json(tmp_path / "c.jsonl", [correction], lines=True)], home)[0]
    assert (third.status, third.n_replaced) == ("landed", 1), third.message
    assert deals(home)[0][3] == Decimal("1150.00")


def test_records_with_and_without_compiled_release_and_ocds_1_0(tmp_path, home):
    init(home)
    compiled = release("ocds-rec-1", tender={"status": "complete", "value": value(10)},
                       awards=[{"id": "a", "status": "active", "date": "2024-03-01", "value": value(9)}])
    full = [release("ocds-rec-2", "2024-03-01T00:00:00Z", rid="r1", tender={"status": "active",
                                                                              "value": value(20)}),
            release("ocds-rec-2", "2024-03-04T00:00:00Z", rid="r2",
                    awards=[{"id": "a", "status": "active", "date": "2024-03-03", "value": value(19)}])]
    records = {"uri": "https://example.org/r", "publishedDate": "2024-04-01T00:00:00Z",
               "records": [{"ocid": "ocds-rec-1", "releases": [{"url": "https://example.org/1", "date":
                                                                "2024-03-10", "tag": ["award"]}],
                            "compiledRelease": compiled},
                           {"ocid": "ocds-rec-2", "releases": full}]}  # no version: OCDS 1.0
    outcome = load_files([write_json(tmp_path / "records.json", records)], home)[0]
    assert outcome.status == "landed", outcome.message
    assert query(home, "select tender_project_code, budget_amount, deal_amount from raw.deals "
                       "order by 1") == [
        ("ocds-rec-1", Decimal("10.00"), Decimal("9.00")), ("ocds-rec-2", Decimal("20.00"), Decimal("19.00"))]
    assert query(home, "select distinct version from raw.ocds_releases") == [("1.0",)]


def test_json_lines_gzipped_and_a_folder(tmp_path, home):
    init(home)
    folder = tmp_path / "in"
    folder.mkdir()
    lines = [release(f"ocds-gz-{i}", tender={"status": "complete", "value": value(100 + i)},
                     awards=[{"id": "a", "status": "active", "date": "2024-03-01", "value": value(90 + i)}])
             for i in range(3)]
    with gzip.open(folder / "releases.jsonl.gz", "wt", encoding="utf-8") as f:
        f.write("\n".join(json.dumps(r) for r in lines))
    [outcome] = load_files([folder], home)
    assert (outcome.status, outcome.n_releases, outcome.n_rows) == ("landed", 3, 3), outcome.message
    assert query(home, "select sum(deal_amount) from raw.deals") == [(Decimal("273.00"),)]


def test_releases_and_rows_go_to_duckdb_a_batch_at_a_time(tmp_path, home, monkeypatch):
    """With batches of two and sorts of two releases, five ocids (one with a newer release) are
    read, sorted, compiled and written in parts (the ocids stream while their rows are written):
    every release and row arrives once, the newer release's award in place of the older's."""
    from ggzy.ingest import ocds_stage
    monkeypatch.setattr(ocds_stage, "BATCH", 2)
    monkeypatch.setattr(ocds_stage, "SORTED_AT_ONCE", 2)
    init(home)
    lines = [release(f"ocds-b-{i}", tender={"status": "complete", "value": value(10 * i + 10)},
                     awards=[{"id": "a", "status": "active", "date": "2024-03-01", "value": value(i + 1)}])
             for i in range(5)]
    lines.append({**lines[0], "id": "newer", "date": "2024-03-11T00:00:00Z",
                  "awards": [{"id": "a", "status": "active", "date": "2024-03-01", "value": value(100)}]})
    [outcome] = load_files([write_json(tmp_path / "b.jsonl", lines, lines=True)], home)
    assert (outcome.status, outcome.n_releases, outcome.n_rows) == ("landed", 6, 5), outcome.message
    assert query(home, "select list(ordinal order by ordinal) from raw.ocds_releases") == [
        ([1, 2, 3, 4, 5, 6],)]
    assert query(home, "select sum(budget_amount), sum(deal_amount) from raw.deals") == [
        (Decimal("150.00"), Decimal("114.00"))]  # 2 + 3 + 4 + 5 and the newer 100 for ocds-b-0's 1


def test_malformed_json_is_one_message_and_nothing_lands(tmp_path, home):
    init(home)
    before = fingerprint(home)
    path = tmp_path / "broken.json"
    path.write_text('{"version": "1.1", "releases": [{"ocid": "x", ', encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "ggzy", "--home", str(home), "load", str(path)],
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert "JSON 格式错误" in result.stdout and "malformed JSON" in result.stdout
    assert "Traceback" not in result.stderr
    assert fingerprint(home) == before


def test_a_load_needs_no_network(tmp_path, home, monkeypatch):
    """ocdsmerge fetches the schema when it is given none: ggzy gives it the shipped one."""
    def refuse(*args, **kwargs):
        raise OSError("no network in this test")
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    shutil.copytree(DATA / "fictional-example", tmp_path / "fictional")
    init(home, currency_code="GBP")
    outcomes = load_files([tmp_path / "fictional"], home)
    assert {o.status for o in outcomes} == {"landed"}, [o.message for o in outcomes]


@pytest.fixture(scope="module")
def fictional(tmp_path_factory) -> tuple[Path, Path]:
    """The fictional example loaded two ways, each built: its six releases one file at a time,
    and its record (whose compiledRelease the publisher compiled)."""
    root = tmp_path_factory.mktemp("fictional")
    homes = []
    for name, files in (("releases", sorted((DATA / "fictional-example").glob("ocds-*.json"))),
                        ("record", [DATA / "fictional-example" / "record-ocds-213czf-000-00001.json"])):
        folder = root / name
        folder.mkdir()
        for f in files:
            shutil.copy(f, folder / f.name)
        home = root / f"{name}-warehouse"
        init(home, currency_code="GBP")
        outcomes = load_files(sorted(folder.iterdir()), home)
        assert {o.status for o in outcomes} == {"landed"}, [o.message for o in outcomes]
        build(home)
        homes.append(home)
    return homes[0], homes[1]


def test_the_fictional_example_compiles_as_its_publisher_did(fictional):
    from_releases, from_record = fictional
    columns = """month, region_code, trade_category, tender_mode, budget_amount, deal_amount, deal_status,
        deal_date, contract_sign_date, winner_code, bidder_count, is_electronic"""
    rows = [snapshot_query(h, f"select {columns} from marts.fct_deals") for h in fictional]
    assert rows[0] == rows[1] == [(
        _dated("2010-05-01")[0], "unknown", "engineering", "open_tender", Decimal("1100000.00"),
        Decimal("11000000.00"), "concluded", _dated("2010-05-10")[0], _dated("2010-06-10")[0],
        "GB-COH-11111111", 2, True)]
    # the mart sums what the file says (one lot, one active award of 11,000,000 GBP)
    assert snapshot_query(from_releases, "select n_concluded, budget_amount, deal_amount from "
                     "marts.mart_trading_volume") == [(1, Decimal("1100000.00"), Decimal("11000000.00"))]
    assert query(from_releases, "select count(*) from raw.ocds_releases") == [(6,)]
    assert query(from_record, "select count(*) from raw.ocds_releases") == [(1,)]


def test_cardinal_fixtures_load(tmp_path, home):
    """Cardinal's indicator fixtures (compiled releases without dates: no deal can be placed in a
    month, and a lot that is no deal has no bids either) land their releases, each line one
    release, each with a warning where a lot could be a deal."""
    shutil.copytree(DATA / "cardinal", tmp_path / "cardinal")
    init(home, currency_code="USD")
    outcomes = load_files([tmp_path / "cardinal"], home)
    assert {o.status for o in outcomes} == {"landed"}, [o.message for o in outcomes if o.status != "landed"]
    assert {o.kind for o in outcomes} == {"deals"}  # no bids pass: no lot is a deal
    n_lines = sum(len(p.read_text().splitlines()) for p in (DATA / "cardinal").glob("*.jsonl"))
    assert query(home, "select count(*) from raw.ocds_releases") == [(n_lines,)]
    assert query(home, "select count(*) from raw.deals") == [(0,)]


def test_an_ocds_file_holds_the_months_its_deals_fall_in_and_reads_in_its_currency(tmp_path, home):
    """An OCDS file reports no one month: the months the dashboard offers and the report accepts
    are its deals' months; a month between them without deals is not sent (null), not zero. The
    report names the warehouse's currency where a CNY one says 元."""
    import duckdb

    from ggzy.common.warehouse import snapshot_path
    from ggzy.report.report import monthly_report
    from ggzy.serve import dashboard_queries as queries

    def awarded(ocid: str, day: str, *amounts: str) -> dict:
        lots = [{"id": f"L{i}", "value": value(2000, "UAH")} for i in range(len(amounts))]
        return release(ocid, date=f"{day}T09:00:00Z", tender={"status": "complete", "lots": lots},
                       awards=[{"id": f"a{i}", "status": "active", "date": day, "relatedLots": [f"L{i}"],
                                "value": value(exact(a), "UAH")} for i, a in enumerate(amounts)])
    init(home, currency_code="UAH")
    path = write_json(tmp_path / "p.jsonl", [awarded("o-mar", "2024-03-05", "900.10"),
                                             awarded("o-may", "2024-05-20", "1000.00", "234.56"),
                                             awarded("o-may2", "2024-05-31", "123456789.44")], lines=True)
    [outcome] = load_files([path], home)
    assert outcome.status == "landed", outcome.message
    build(home)
    march, april, may = (_dated(f"2024-0{m}-01")[0] for m in (3, 4, 5))
    with duckdb.connect(str(snapshot_path(home)), read_only=True) as con:
        assert queries.months(con) == [march, may]
        assert queries.unsent_kinds(con, queries.Selection(may, may)) == {"securities", "refunds"}
        assert queries.unsent_kinds(con, queries.Selection(april, april)) == {
            "deals", "securities", "refunds"}
        assert con.execute("""select month, value from marts.mart_kpi_periods
            where metric = 'deal_amount' and region_level = 'all' and trade_category = 'all'
            order by month""").fetchall() == [
                (march, Decimal("900.10")), (april, None), (may, Decimal("123458024.00"))]
        # no release says how bids were submitted: no e-bidding rate, not 0 %
        assert con.execute("""select value from marts.mart_kpi_periods where metric = 'e_bidding_rate'
            and region_level = 'all' and trade_category = 'all' and month = ?""", [may]).fetchall() \
            == [(None,)]
        zh, en = (monthly_report(con, may, None, lang) for lang in ("zh", "en"))
    assert "成交金额1.23亿UAH" in zh.narrative
    assert "for UAH 123.46 million" in en.narrative
    assert "成交金额（万UAH）" in zh.sheets[1].tables[0].headers
    assert "Deal amount (10k UAH)" in en.sheets[1].tables[0].headers
    assert "元" not in str(zh) and "yuan" not in str(en)


def test_the_buyers_address_region_is_a_code_or_mapped_to_one(tmp_path, home):
    """A buyer whose address region is a region code, one a mapping file maps, one it does not
    (unknown region, no error), and an OCDS 1.0 buyer with its address on it."""
    def bought(ocid: str, region: str, version_1_0: bool = False) -> dict:
        party = {"id": "b", "name": "Buyer", "address": {"region": region}}
        said = {"buyer": party} if version_1_0 else {
            "parties": [{**party, "roles": ["buyer"]}], "buyer": {"id": "b", "name": "Buyer"}}
        return release(ocid, tender={"status": "cancelled", "value": value(5)}, **said)
    mapping = tmp_path / "regions.toml"
    mapping.write_text('[values.region_code]\n"Lanzhou Chengguan" = "620102"\n', encoding="utf-8")
    init(home)
    path = write_json(tmp_path / "p.json", package(
        bought("o-code", "330106"), bought("o-mapped", "lanzhou chengguan "), bought("o-kyiv", "Kyiv"),
        bought("o-1.0", "620102", version_1_0=True)))
    [outcome] = load_files([path], home, mapping_path=mapping)
    assert outcome.status == "landed", outcome.message
    assert query(home, "select tender_project_code, region_code from raw.deals order by 1") == [
        ("o-1.0", "620102"), ("o-code", "330106"), ("o-kyiv", None), ("o-mapped", "620102")]


def test_a_load_beyond_its_memory_is_one_message_and_lands_nothing(tmp_path, home):
    """Out of memory where DuckDB cannot spill: said in words (exit 3), never a traceback."""
    init(home)
    path = write_json(tmp_path / "p.json", package(LOTS))
    before = fingerprint(home)
    result = subprocess.run([sys.executable, "-m", "ggzy", "--home", str(home), "--memory", "2MB", "load",
                             str(path)], capture_output=True, text=True)
    assert result.returncode == 3, result.stderr
    assert "ggzy: 内存不足 out of memory within --memory 2MB" in result.stderr
    assert "Traceback" not in result.stderr
    assert fingerprint(home) == before


def test_tenderer_agency_and_bid_dates_for_the_risk_flags(tmp_path, home):
    """招标人 from the buyer's id (not a region ggzy's export names as buyer), 招标代理机构 from a
    procuring entity other than the buyer, the notice from the tender period's start, bid opening
    from the bid opening extension's date, else the tender period's end."""
    def tendered(ocid: str, buyer: str, entity: str, **tender) -> dict:
        return release(ocid, buyer={"id": buyer}, tender={
            "status": "cancelled", "value": value(5), "procuringEntity": {"id": entity},
            "tenderPeriod": {"startDate": "2024-02-01T09:00:00+08:00",
                             "endDate": "2024-02-21T09:30:00+08:00"},
            **tender})
    init(home)
    path = write_json(tmp_path / "p.json", package(
        tendered("o-agency", "11330000T", "91330000A"),
        tendered("o-self", "11330000T", "11330000T", bidOpening={"date": "2024-02-22T09:30:00+08:00"}),
        tendered("o-region", "CN-REGION-330106", "CN-REGION-330106")))
    [outcome] = load_files([path], home)
    assert outcome.status == "landed", outcome.message
    assert query(home, """select tender_project_code, tenderer_code, agency_code, publish_date::varchar,
        bid_open_date::varchar from raw.deals order by 1""") == [
        ("o-agency", "11330000T", "91330000A", "2024-02-01", "2024-02-21"),
        ("o-region", None, None, "2024-02-01", "2024-02-21"),
        ("o-self", "11330000T", None, "2024-02-01", "2024-02-22")]


BIDDING = release(
    "ocds-bids", date="2024-03-25T00:00:00Z",
    tender={"status": "active", "bidOpening": {"date": "2024-03-12T09:00:00Z"},
            "lots": [{"id": "L1"}, {"id": "L2"}, {"id": "L3"}]},
    awards=[{"id": "a1", "status": "active", "date": "2024-03-20", "relatedLots": ["L1"],
             "suppliers": [{"id": "A"}], "value": value(100)},
            {"id": "a2", "status": "active", "date": "2024-03-22", "relatedLots": ["L2"],
             "suppliers": [{"id": "C"}], "value": value(90)}],
    bids={"details": [
        {"id": "1", "status": "valid", "date": "2024-03-11T16:00:00Z", "relatedLots": ["L1"],
         "tenderers": [{"id": "A"}], "value": value(exact("100.004"))},
        {"id": "2", "status": "disqualified", "relatedLots": ["L1"], "tenderers": [{"id": "B"}],
         "value": value(95)},
        {"id": "3", "status": "invited", "relatedLots": ["L1"], "tenderers": [{"id": "X"}]},
        {"id": "4", "status": "pending", "relatedLots": ["L1"], "tenderers": [{"id": "Y"}]},
        {"id": "5", "status": "valid", "relatedLots": ["L1"]},
        *({"id": str(i), "status": status, "relatedLots": ["L2"], "tenderers": [{"id": "C"}],
           "value": value(price)} for i, status, price in ((6, "valid", 95), (7, "valid", 90),
                                                           (8, "withdrawn", 80))),
        {"id": "9", "status": "valid", "relatedLots": ["L2"], "tenderers": [{"id": "D"}, {"id": "E"}],
         "value": value(0)},
        {"id": "10", "status": "valid", "relatedLots": ["L3"], "tenderers": [{"id": "F"}],
         "value": value(1)}],
        "statistics": [{"id": "s2", "measure": "bidders", "value": 7, "relatedLot": "L2"}]})


def test_an_ocds_file_s_bids_land_as_bids_after_its_deals(tmp_path, home):
    """bids.details (docs/data-contract.md, OCDS): the lots that are deals (L3 is still open: no
    bids), a bid's day its own, else bid opening; invited and pending bids and a bid without a
    tenderer left out (a warning); a bidder's valid bid before its withdrawn one, and the lowest
    of its valid ones; a consortium's bid its first member's; 0 no price. The file lands as a deals
    load, then a bids load; again, both are unchanged; a file without bids makes no bids load."""
    init(home)
    path = write_json(tmp_path / "bids.json", package(BIDDING))
    outcomes = load_files([path], home)
    assert [(o.kind, o.status, o.load_id) for o in outcomes] == [("deals", "landed", 1),
                                                                   ("bids", "landed", 2)]
    where = "ocid ocds-bids · release ocds-bids-2024-03-25 · bids.details"
    assert [(f.column, f.rule) for f in outcomes[1].findings if f.rule.startswith("ocds")] == [
        (f"{where}[4].tenderers", "ocds_bid_without_tenderer"),
        (f"{where}[8].value.amount", "ocds_placeholder_value")]
    assert query(home, """select bid_section_code, bidder_code, bid_price, bid_status, bid_time, load_id
                          from raw.bids order by 1, 2""") == [
        ("L1", "A", Decimal("100.00"), "valid", *_dated("2024-03-11"), 2),
        ("L1", "B", Decimal("95.00"), "disqualified", *_dated("2024-03-12"), 2),
        ("L2", "C", Decimal("90.00"), "valid", *_dated("2024-03-12"), 2),
        ("L2", "D", None, "valid", *_dated("2024-03-12"), 2)]
    # the deals' bidders: the publisher's statistic where it gives one (L2), else the distinct
    # tenderers of the submitted bids (L1: A, B, the pending Y and the one without a tenderer)
    assert query(home, "select bid_section_code, bidder_count from raw.deals order by 1") == [("L1", 4),
                                                                                              ("L2", 7)]
    again = load_files([path], home)
    assert [(o.kind, o.status, o.load_id) for o in again] == [("deals", "unchanged", 1),
                                                                ("bids", "unchanged", 2)]
    result = subprocess.run([sys.executable, "-m", "ggzy", "--home", str(home), "status"],
                            capture_output=True, text=True)
    assert "OCDS: 1 个文件 files, 1 个发布 releases, 2 行当前成交" in result.stdout  # its bids load aside
    plain = write_json(tmp_path / "plain.json", package(release("ocds-plain", awards=[
        {"id": "a", "status": "active", "date": "2024-03-02", "suppliers": [{"id": "S"}]}])))
    assert [o.kind for o in load_files([plain], home)] == ["deals"]


def test_a_bid_in_another_currency_rejects_the_whole_file(tmp_path, home):
    """A bid's amount is held to the warehouse's currency as an award's: the deals are not landed
    without their bids."""
    init(home)
    before = fingerprint(home)
    odd = {**BIDDING, "bids": {"details": [{"id": "1", "status": "valid", "relatedLots": ["L1"],
                                            "tenderers": [{"id": "A"}], "value": value(100, "USD")}]}}
    outcomes = load_files([write_json(tmp_path / "odd.json", package(odd))], home)
    assert [(o.kind, o.status) for o in outcomes] == [("deals", "rejected")]
    assert [(f.column, f.rule) for f in outcomes[0].findings if f.severity == "error"] == [
        ("ocid ocds-bids · release ocds-bids-2024-03-25 · bids.details[0].value.currency",
         "ocds_currency_other")]
    assert fingerprint(home) == before
