"""风险预警 risk flags that compare the bids of a section (the optional bids files; Cardinal's R024,
R058, R028, R035, R036, R038, docs/risk-flags.md): hand-built sections with known answers, each
beside a near miss that must not fire. Each indicator's cases are a year of their own, so that
one indicator's sections do not move another's fences."""

from decimal import Decimal
from pathlib import Path

import pytest
from conftest import csv_text, land, rows_of, snapshot_query

from ggzy.ingest.load import load_files
from ggzy.transform.build import build

# (section, deal cells, bids as (bidder, price, status)) per year: the year's month, its cases
MARGINS = [  # the winner W's valid bid and L's: margins 0.0005, 0.10 … 0.15, 0.60
    ("m1", {}, [("W", "1000.00", "valid"), ("L", "1000.50", "valid")]),
    *((f"m{i}", {}, [("W", "1000.00", "valid"), ("L", f"{1100 + 10 * (i - 2)}.00", "valid")])
      for i in range(2, 8)),
    ("m8", {}, [("W", "1000.00", "valid"), ("L", "1600.00", "valid")]),
    ("lowwin", {}, [("W", "1000.00", "valid"), ("L", "900.00", "valid")]),  # not a price-only award
    ("nowinner", {"winner_code": ""}, [("W", "1000.00", "valid"), ("L", "1100.00", "valid")]),
    ("unpriced", {}, [("W", "1000.00", "valid"), ("L", "", "valid")]),
    ("nobids", {}, []),
    ("failed", {"deal_status": "流标", "deal_amount": "", "savings_amount": ""},
     [("W", "1000.00", "valid"), ("L", "1100.00", "valid")]),
]
SECTIONS = [  # identical prices, the winner alone valid, the lowest bid disqualified
    ("same", {}, [("W", "1000.00", "valid"), ("L", "1000.00", "valid")]),
    ("cent", {}, [("W", "1000.00", "valid"), ("L", "1000.01", "valid")]),
    ("samedq", {}, [("W", "1000.00", "valid"), ("D", "1000.00", "disqualified")]),
    ("samewd", {}, [("W", "1000.00", "valid"), ("X", "1000.00", "withdrawn"), ("L", "1200.00", "valid")]),
    ("alone", {}, [("W", "1000.00", "valid"), ("D1", "1100.00", "disqualified"),
                   ("D2", "1200.00", "disqualified")]),
    ("two", {}, [("W", "1000.00", "valid"), ("V", "1100.00", "valid"), ("D", "1200.00", "disqualified")]),
    ("nodq", {}, [("W", "1000.00", "valid")]),
    ("lowdq", {}, [("D", "900.00", "disqualified"), ("W", "1000.00", "valid")]),
    ("highdq", {}, [("D", "1000.01", "disqualified"), ("W", "1000.00", "valid")]),
    ("withdrawnlow", {}, [("X", "800.00", "withdrawn"), ("D", "1100.00", "disqualified"),
                          ("W", "1000.00", "valid")]),
]
PRICES = ("1000.00", "1100.00", "1200.00", "1300.00")
PARTIES = [  # tenderer Tn and agency An: P1 … P4 valid in eight, P4 disqualified in T9, all in T10
    *((f"t{n}", {"tenderer_code": f"T{n}", "agency_code": f"A{n}"},
       [(f"P{b + 1}", price, "disqualified" if n == 10 or (n == 9 and b == 3) else "valid")
        for b, price in enumerate(PRICES)]) for n in range(1, 11)),
    ("t11", {"tenderer_code": "T11", "agency_code": "A11"}, [("P1", "1000.00", "disqualified")]),
]
YEARS = {"2024-03": MARGINS, "2023-06": SECTIONS, "2022-06": PARTIES}


def _files(folder: Path, month: str, cases: list) -> list[Path]:
    deals = rows_of("deals", *[{
        "bid_section_code": section, "budget_amount": "2000.00", "deal_amount": "1000.00",
        "savings_amount": "", "winner_code": "P1" if cases is PARTIES else "W",
        "deal_date": f"{month}-20", "contract_sign_date": "", **cells} for section, cells, _ in cases])
    bids = [{"tender_project_code": "P1", "bid_section_code": section, "bidder_code": bidder,
             "bid_price": price, "bid_status": status, "bid_time": f"{month}-10"}
            for section, _, section_bids in cases for bidder, price, status in section_bids]
    paths = [folder / f"deals_{month}.csv", folder / f"bids_{month}.csv"]
    for path, rows in zip(paths, (deals, bids), strict=True):
        path.write_text(csv_text(rows), encoding="utf-8")
    return paths


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("bids")
    home = folder / "warehouse"
    land([path for month, cases in YEARS.items() for path in _files(folder, month, cases)], home)
    assert build(home).published
    return home


def _flags(home: Path, indicator: str) -> dict[str, tuple]:
    """An indicator's results by entity: a section by its code, else its entity_key."""
    return {key: tuple(row) for key, *row in snapshot_query(home, f"""
        select if(grain = 'section', bid_section_code, entity_key), status, flagged, value, threshold,
            threshold_source, missing
        from marts.mart_risk_flags where indicator = '{indicator}'""")}


def _sections_of(found: dict[str, tuple], cases: list) -> dict[str, tuple]:
    return {section: found[section] for section, _, _ in cases}


def test_the_margins_over_the_winner_s_bid_and_their_fences(home):
    """2024's margins sorted 0.0005, 0.10, 0.11, 0.12, 0.13, 0.14, 0.15, 0.60 (n = 8); type 8:
    Q1 at h = (8 + 1/3)·0.25 + 1/3 = 2.41667 → 0.10 + 0.41667·0.01 = 0.1041667, Q3 at
    h = 6.58333 → 0.14 + 0.58333·0.01 = 0.1458333; IQR 0.0416667: lower fence 0.0416667 (0.0005
    fires, 0.10 does not), upper fence 0.2083333 (0.60 fires, 0.15 does not)."""
    close = _sections_of(_flags(home, "close_to_winner"), MARGINS)
    discounted = _sections_of(_flags(home, "heavily_discounted"), MARGINS)
    lower, upper = Decimal("0.041667"), Decimal("0.208333")
    assert close["m1"] == ("calculated", True, Decimal("0.000500"), lower, "fence", None)
    assert close["m2"] == ("calculated", False, Decimal("0.100000"), lower, "fence", None)
    assert discounted["m8"] == ("calculated", True, Decimal("0.600000"), upper, "fence", None)
    assert discounted["m7"] == ("calculated", False, Decimal("0.150000"), upper, "fence", None)
    for found in (close, discounted):
        assert found["lowwin"][:3] == ("undefined", None, None)  # the lowest bid did not win
        assert found["failed"][:3] == ("undefined", None, None)
        assert found["nowinner"][0::5] == ("insufficient_data", "winner_code")
        assert found["unpriced"][0::5] == ("insufficient_data", "bid_price")
        assert found["nobids"][0::5] == ("insufficient_data", "bids")
    assert snapshot_query(home, """select indicator, n, q1::decimal(38, 7), q3::decimal(38, 7)
        from marts.mart_risk_fences where period = '2024-01-01' and indicator in
        ('close_to_winner', 'heavily_discounted') order by 1""") == [
        ("close_to_winner", 8, Decimal("0.1041667"), Decimal("0.1458333")),
        ("heavily_discounted", 8, Decimal("0.1041667"), Decimal("0.1458333"))]


def test_identical_bid_prices_of_two_bidders(home):
    """Two submitted bids at 1,000.00 fire (valid or disqualified); 1,000.00 and 1,000.01 do not,
    nor a withdrawn bid at the winner's price."""
    found = _sections_of(_flags(home, "identical_bid_prices"), SECTIONS)
    one, none = Decimal("1.000000"), Decimal("0E-6")
    assert found["same"] == ("calculated", True, one, one, "fixed", None)
    assert found["samedq"] == ("calculated", True, one, one, "fixed", None)
    assert found["cent"] == ("calculated", False, none, one, "fixed", None)
    assert found["samewd"] == ("calculated", False, none, one, "fixed", None)
    assert found["nodq"][:2] == ("undefined", None)  # one bid: nothing to compare


def test_every_bid_but_the_winner_s_disqualified(home):
    """The winner alone valid and two others disqualified fires (value 2); with another valid
    bid, or no disqualified one, it does not."""
    found = _sections_of(_flags(home, "all_but_winner_disqualified"), SECTIONS)
    one = Decimal("1.000000")
    assert found["alone"] == ("calculated", True, Decimal("2.000000"), one, "fixed", None)
    assert found["two"] == ("calculated", False, Decimal("0E-6"), one, "fixed", None)
    assert found["nodq"] == ("calculated", False, Decimal("0E-6"), one, "fixed", None)
    assert found["lowdq"] == ("calculated", True, one, one, "fixed", None)


def test_the_lowest_bid_disqualified(home):
    """A disqualified 900.00 (or 1,000.00, equal) below the winner's valid 1,000.00 fires;
    1,000.01 does not; a withdrawn 800.00 is not a submitted bid."""
    found = _sections_of(_flags(home, "lowest_bid_disqualified"), SECTIONS)
    winner = Decimal("1000.000000")
    assert found["lowdq"] == ("calculated", True, Decimal("900.000000"), winner, "fixed", None)
    assert found["samedq"] == ("calculated", True, winner, winner, "fixed", None)
    assert found["highdq"] == ("calculated", False, Decimal("1000.010000"), winner, "fixed", None)
    assert found["withdrawnlow"] == ("calculated", False, Decimal("1100.000000"), winner, "fixed", None)
    assert found["same"][:2] == ("undefined", None)  # nothing disqualified


def test_a_tenderer_s_agency_s_and_bidder_s_share_of_bids_disqualified(home):
    """2022: ten tenderers (and agencies) with four submitted bids each — eight none
    disqualified, T9 one (0.25), T10 all four (1.0); T11 one bid only (below the minimum of 2).
    Type 8 over the ten shares: Q1 = 0, Q3 at h = 8.08333 → 0 + 0.08333·0.25 = 0.0208333,
    upper fence 0.0208333 + 1.5·0.0208333 = 0.0520833: T9 and T10 fire. Bidders: P1 2 of 11
    (0.181818, a share to six places), P2 and P3 1 of 10, P4 2 of 10: Q1 0.1, Q3 at h = 3.58333
    → 0.181818 + 0.58333·0.018182 = 0.1924242, upper fence 0.1924242 + 1.5·0.0924242 = 0.3310604:
    none fires."""
    fence = Decimal("0.052083")
    for indicator, party in (("excessive_disqualified", "T"), ("excessive_disqualified_by_agency", "A")):
        found = _flags(home, indicator)
        assert found[f"{party}9"] == ("calculated", True, Decimal("0.250000"), fence, "fence", None)
        assert found[f"{party}10"] == ("calculated", True, Decimal("1.000000"), fence, "fence", None)
        assert found[f"{party}1"] == ("calculated", False, Decimal("0E-6"), fence, "fence", None)
        assert found[f"{party}11"][:3] == ("undefined", None, Decimal("1.000000"))
    bidders = _flags(home, "excessive_disqualified_by_bidder")
    fence = Decimal("0.331060")
    assert {b: bidders[b] for b in ("P1", "P2", "P4")} == {
        "P1": ("calculated", False, Decimal("0.181818"), fence, "fence", None),
        "P2": ("calculated", False, Decimal("0.100000"), fence, "fence", None),
        "P4": ("calculated", False, Decimal("0.200000"), fence, "fence", None)}


def test_a_bids_file_is_checked_like_the_others(tmp_path):
    """An unknown status and a bidder twice in one section reject the file, each named by line,
    column, value and rule."""
    path = tmp_path / "bids_2024-03.csv"
    path.write_text("招标项目编号,标段（包）编号,投标人代码,投标报价,投标状态,投标时间\n"
                    "P1,S1,B1,1000.00,有效,2024-03-10 09:30\n"
                    "P1,S1,B2,1100.00,弃权,2024-03-10\n"
                    "P1,S1,B1,1200.00,否决,2024-03-10\n", encoding="utf-8")
    [outcome] = load_files([path], tmp_path / "warehouse")
    assert outcome.status == "rejected"
    found = {(f.line, f.column, f.value, f.rule) for f in outcome.findings if f.severity == "error"}
    assert found == {(3, "投标状态", "弃权", "code_known"), (2, "投标人代码", "B1", "key_unique"),
                     (4, "投标人代码", "B1", "key_unique")}
