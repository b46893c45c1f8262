"""风险预警 risk flags (marts.mart_risk_flags, mart_risk_evidence): hand-built sections with known
answers, each rule beside a near miss that must not fire, and the statuses of sections a rule
cannot judge (insufficient data) or does not apply to (undefined)."""

from decimal import Decimal
from pathlib import Path

import pytest
from conftest import csv_text, land, rows_of, snapshot_query

from ggzy.transform.build import build


def _deal(section: str, **cells: str) -> dict[str, str]:
    return {"bid_section_code": section, "budget_amount": "1000000.00", "deal_amount": "900000.00",
            "savings_amount": "", **cells}


def _security(security_id: str, section: str, bidder: str, amount: str, **cells: str) -> dict[str, str]:
    return {"security_id": security_id, "bid_section_code": section, "bidder_code": bidder, "amount": amount,
            **cells}


def _guarantee(security_id: str, section: str, bidder: str, day: str, issuer: str) -> dict[str, str]:
    return _security(security_id, section, bidder, "1000.00", pay_form="电子保函", issuer=issuer,
                     received_date=day)


@pytest.fixture(scope="module")
def flags(tmp_path_factory) -> Path:
    """One March of sections, deposits and guarantees, loaded and built."""
    folder = tmp_path_factory.mktemp("risk")
    home = folder / "warehouse"
    deals = rows_of("deals", *[
        _deal("one", bidder_count="1"), _deal("two", bidder_count="2"), _deal("three", bidder_count="3"),
        _deal("talks", tender_mode="竞争性谈判", bidder_count="1"), _deal("unknown", bidder_count=""),
        _deal("failed", deal_status="流标", deal_amount="", contract_sign_date="", winner_code="",
              bidder_count="1"),
        _deal("land", trade_category="土地使用权", tender_mode="挂牌", bidder_count="4"),
        _deal("odd", budget_amount="1234567.89", bidder_count="3")])
    securities = rows_of("securities", *[
        _security("D-two", "two", "B1", "20000.01"),  # a fen above 2 % of 1,000,000.00
        _security("D-three", "three", "B1", "20000.00"),  # 2.00 %: at the cap, not above
        _security("D-odd", "odd", "B1", "24691.36"),  # 2 % of 1,234,567.89 is 24,691.3578: 24,691.36
        _security("D-land", "land", "B1", "200000.00"),  # 20 %: land sales have no cap
        _guarantee("G-one-1", "one", "B1", "2024-03-02", "甲担保"),
        _guarantee("G-one-2", "one", "B2", "2024-03-02", "甲担保"),  # one issuer, one day, two bidders
        _guarantee("G-three-1", "three", "B1", "2024-03-02", "甲担保"),
        _guarantee("G-three-2", "three", "B2", "2024-03-03", "甲担保"),  # another day
        _guarantee("G-three-3", "three", "B3", "2024-03-02", "乙担保"),  # another issuer
        _guarantee("G-unknown", "unknown", "B1", "2024-03-02", "")])
    for name, rows in (("deals_2024-03.csv", deals), ("securities_2024-03.csv", securities)):
        (folder / name).write_text(csv_text(rows), encoding="utf-8")
    land([folder / "deals_2024-03.csv", folder / "securities_2024-03.csv"], home)
    assert build(home).published
    return home


def _flags(home: Path, indicator: str) -> list[tuple]:
    return snapshot_query(home, f"""select split_part(bid_section_code, '-', 1), status, flagged, value,
        threshold, threshold_source, missing from marts.mart_risk_flags where indicator = '{indicator}'
        order by 1""")


def test_single_bid_fewer_than_three_bidders_under_a_tender(flags):
    three = Decimal("3.000000")
    assert _flags(flags, "single_bid") == [
        ("failed", "undefined", None, Decimal("1.000000"), three, "statute", None),
        ("land", "undefined", None, Decimal("4.000000"), three, "statute", None),
        ("odd", "calculated", False, Decimal("3.000000"), three, "statute", None),
        ("one", "calculated", True, Decimal("1.000000"), three, "statute", None),
        ("talks", "undefined", None, Decimal("1.000000"), three, "statute", None),  # 竞争性谈判: no 招标 rule
        ("three", "calculated", False, Decimal("3.000000"), three, "statute", None),
        ("two", "calculated", True, Decimal("2.000000"), three, "statute", None),
        ("unknown", "insufficient_data", None, None, three, "statute", "bidder_count"),  # never as 0
    ]


def test_a_bid_deposit_above_two_per_cent_of_the_budget(flags):
    """The deposit against the cap in money, to the fen: a fen above it fires, the cap itself and
    the cap rounded to the fen (24,691.36 for 24,691.3578) do not."""
    cap = Decimal("20000.000000")
    found = {row[0]: row[1:] for row in _flags(flags, "deposit_over_cap")}
    assert found["two"] == ("calculated", True, Decimal("20000.010000"), cap, "statute", None)
    assert found["three"] == ("calculated", False, Decimal("20000.000000"), cap, "statute", None)
    assert found["odd"] == ("calculated", False, Decimal("24691.360000"), Decimal("24691.360000"), "statute",
                            None)
    assert found["land"][:2] == ("undefined", None)  # no cap for a land sale's deposit
    assert found["one"][:2] == ("calculated", False)  # its guarantees are 0.1 %
    assert found["talks"][:2] == ("undefined", None)  # no bid deposit
    evidence = """select indicator, split_part(bid_section_code, '-', 1), security_id, bidder_code, amount,
        budget_amount from marts.mart_risk_evidence where indicator = 'deposit_over_cap'"""
    assert snapshot_query(flags, evidence) == [
        ("deposit_over_cap", "two", "D-two", "B1", Decimal("20000.01"), Decimal("1000000.00"))]


def test_guarantees_of_two_bidders_from_one_issuer_on_one_day(flags):
    found = {row[0]: row[1:] for row in _flags(flags, "guarantee_cluster")}
    two = Decimal("2.000000")
    assert found["one"] == ("calculated", True, two, two, "fixed", None)
    assert found["three"] == ("calculated", False, Decimal("1.000000"), two, "fixed", None)  # near misses
    assert found["unknown"] == ("insufficient_data", None, None, two, "fixed", "issuer")
    assert found["two"][:2] == ("undefined", None)  # no guarantees
    assert snapshot_query(flags, """select security_id, bidder_code, issuer, received_date
        from marts.mart_risk_evidence where indicator = 'guarantee_cluster' order by 1""") == [
        ("G-one-1", "B1", "甲担保", _day("2024-03-02")), ("G-one-2", "B2", "甲担保", _day("2024-03-02"))]


def _day(text: str):
    from datetime import date
    return date.fromisoformat(text)


@pytest.fixture(scope="module")
def bidders(tmp_path_factory) -> Path:
    """Ten sections of 2024-03, each bid for by C, N and one of O1–O5 (each O bids for two):
    C wins one (1 of 10), N four (4 of 10), each O one of its two."""
    folder = tmp_path_factory.mktemp("bidders")
    home = folder / "warehouse"
    winners = ["C", "N", "N", "N", "N", "O1", "O2", "O3", "O4", "O5"]
    deals = rows_of("deals", *[_deal(f"S{i}", winner_code=w, bidder_count="3")
                               for i, w in enumerate(winners, 1)])
    others = {i: f"O{i}" if i <= 5 else f"O{i - 5}" for i in range(1, 11)}
    securities = rows_of("securities", *[_security(f"{b}-{i}", f"S{i}", b, "100.00")
                                          for i in range(1, 11) for b in ("C", "N", others[i])])
    for name, rows in (("deals_2024-03.csv", deals), ("securities_2024-03.csv", securities)):
        (folder / name).write_text(csv_text(rows), encoding="utf-8")
    land([folder / "deals_2024-03.csv", folder / "securities_2024-03.csv"], home)
    assert build(home).published
    return home


def test_a_cover_bidder_bids_often_and_seldom_wins_against_its_peers_fences(bidders):
    """Win ratios 0.1 (C), 0.4 (N), 0.5 (O1–O5); bids 10, 10, 2. Type 8 with n = 7: Q1 at
    h = (7 + 1/3)·0.25 + 1/3 = 2.1667 → 0.4 + 0.1667·0.1 = 0.416667; Q3 at h = 5.8333 → 0.5;
    fence 0.416667 − 1.5·0.083333 = 0.291667; bids' 75th at h = 5.8333 → 2 + 0.8333·8 = 8.666667.
    C fires (10 bids, 0.1); N bids as often but wins 0.4, above the fence; the O's bid twice."""
    [(n, q1, q3, fence, upper)] = snapshot_query(bidders, "select n, q1, q3, fence, upper_fence from "
                                                           "marts.mart_risk_fences")
    assert n == 7
    assert (q1, q3, fence, upper) == pytest.approx((0.416667, 0.5, 0.291667, 8.666667), abs=1e-6)
    found = snapshot_query(bidders, """select entity_key, status, flagged, value, threshold, threshold_source
        from marts.mart_risk_flags where indicator = 'cover_bidder' order by entity_key""")
    fence6 = Decimal("0.291667")
    assert found == [("C", "calculated", True, Decimal("0.100000"), fence6, "fence"),
                     ("N", "calculated", False, Decimal("0.400000"), fence6, "fence")] + [
        (f"O{i}", "calculated", False, Decimal("0.500000"), fence6, "fence") for i in range(1, 6)]
