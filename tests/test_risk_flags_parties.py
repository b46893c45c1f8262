"""风险预警 risk flags that read the optional columns — dates of notice and bid opening, payer
accounts and names, tenderers and agencies (docs/risk-flags.md): hand-built sections of one March
with known answers, each beside a near miss that must not fire."""

import hashlib
import hmac
import io
import itertools
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import pytest
import yaml
from conftest import csv_text, land, rows_of, snapshot_query

from ggzy.common.contract import BY_NAME, column_words
from ggzy.common.paths import ROOT
from ggzy.common.warehouse import database_path, snapshot_path
from ggzy.ingest.load import load_files
from ggzy.report.report import FORMATS, monthly_report, risk_workbook
from ggzy.sample import generate
from ggzy.serve import dashboard_queries as queries
from ggzy.serve.adhoc_sql import open_snapshot
from ggzy.transform.build import build

ACCOUNT = "6222 0000 1111 2222"  # as one platform writes it; the next as another: one account
SAME_ACCOUNT = "6222-0000-1111-2222"
SECTION_INDICATORS = ("shared_account", "short_submission_period", "late_winner_deposit",
                      "identical_bid_prices")


def _deal(section: str, **cells: str) -> dict[str, str]:
    return {"bid_section_code": section, "budget_amount": "1000000.00", "deal_amount": "900000.00",
            "savings_amount": "", "deal_date": "2024-03-20", "contract_sign_date": "", "winner_code": "W",
            "publish_date": "2024-02-20", "bid_open_date": "2024-03-15", "tenderer_code": "",
            "agency_code": "", **cells}


def _cash(security_id: str, section: str, bidder: str, **cells: str) -> dict[str, str]:
    return {"security_id": security_id, "bid_section_code": section, "bidder_code": bidder,
            "bidder_name": f"{bidder}公司", "amount": "1000.00", "received_date": "2024-03-10",
            "payer_account": "", "payer_name": "", **cells}


def _agency_sections() -> tuple[list[dict], list[dict], list[dict]]:
    """Six agencies' sections, each with 20 cash deposits of other bidders (19 for A6), refunded
    on the deal's day except ten of A5's, never refunded (late as at any build after April)."""
    deals, securities, refunds = [], [], []
    for a in range(1, 7):
        deals.append(_deal(f"agency{a}", agency_code=f"A{a}", publish_date="", bid_open_date=""))
        for b in range(20 if a < 6 else 19):
            security = f"A{a}-{b}"
            securities.append(_cash(security, f"agency{a}", f"X{b}"))
            if not (a == 5 and b < 10):
                refunds.append({"refund_id": f"R{security}", "security_id": security,
                                "settle_date": "2024-03-20", "refund_amount": "1000.00",
                                "interest_amount": ""})
    return deals, securities, refunds


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("parties")
    home = folder / "warehouse"
    agency_deals, agency_securities, refunds = _agency_sections()
    deals = rows_of("deals", *[
        # short_submission_period: 20 days under 招标 (19 fires), 10 under 竞争性磋商 (9 fires)
        _deal("days19", publish_date="2024-02-25"), _deal("days20", publish_date="2024-02-24"),
        _deal("talks9", tender_mode="竞争性磋商", publish_date="2024-03-06"),
        _deal("talks10", tender_mode="竞争性磋商", publish_date="2024-03-05"),
        _deal("nonotice", publish_date=""), _deal("single", tender_mode="单一来源"),
        # late_winner_deposit: the winner paid the day after bid opening / that day / not at all
        _deal("late"), _deal("ontime"), _deal("unpaid"),
        # shared_account: two bidders from one account / from two / one account unknown
        _deal("ring"), _deal("apart"), _deal("half"),
        # winner_share: T1's five sections, three won by W (0.6); T2's four; T3's five, all apart
        *[_deal(f"t1-{i}", tenderer_code="T1", winner_code="W" if i < 3 else f"V{i}") for i in range(5)],
        *[_deal(f"t2-{i}", tenderer_code="T2") for i in range(4)],
        *[_deal(f"t3-{i}", tenderer_code="T3", winner_code=f"U{i}") for i in range(5)],
        # short_decision_period: government procurement decided 1 to 10 days after bid opening
        *[_deal(f"gp{d}", trade_category="政府采购", deal_date=f"2024-03-{15 + d}") for d in range(1, 11)],
        *agency_deals])
    securities = rows_of("securities", *[
        _cash("late-W", "late", "W", received_date="2024-03-16"), _cash("late-B", "late", "B"),
        _cash("ontime-W", "ontime", "W", received_date="2024-03-15"), _cash("ontime-B", "ontime", "B"),
        _cash("unpaid-B", "unpaid", "B"),
        _cash("ring-B1", "ring", "B1", payer_account=ACCOUNT, payer_name="B1公司"),
        _cash("ring-B2", "ring", "B2", payer_account=SAME_ACCOUNT, payer_name="B1公司"),  # paid by B1
        _cash("apart-B1", "apart", "B1", payer_account=ACCOUNT, payer_name="B1（公司）"),
        _cash("apart-B1b", "apart", "B1", payer_account=ACCOUNT, payer_name="B1(公司)"),  # B1 twice
        _cash("apart-B2", "apart", "B2", payer_account="6222000011113333", payer_name="B2公司"),
        _cash("half-B1", "half", "B1", payer_account=ACCOUNT), _cash("half-B2", "half", "B2"),
        # shared_account_pair: one account for C1 and C2 375 days apart, for D1 and D2 361 days
        _cash("apart-C1", "apart", "C1", payer_account="6222000055556666", payer_name="C1公司",
              received_date="2023-03-01"),
        _cash("half-C2", "half", "C2", payer_account="6222000055556666", payer_name="C2公司"),
        _cash("apart-D1", "apart", "D1", payer_account="6222000077778888", payer_name="D1公司",
              received_date="2023-03-15"),
        _cash("half-D2", "half", "D2", payer_account="6222000077778888", payer_name="D2公司"),
        *agency_securities])
    refund_rows = [{**rows_of("refunds", {})[0], **refund} for refund in refunds]
    files = {"deals_2024-03.csv": deals, "securities_2024-03.csv": securities,
             "refunds_2024-03.csv": refund_rows}
    for name, rows in files.items():
        (folder / name).write_text(csv_text(rows), encoding="utf-8")
    land([folder / name for name in files], home)
    assert build(home).published
    return home


def _flags(home: Path, indicator: str) -> dict[str, tuple]:
    """An indicator's results by entity: a section by its code, a security by its id, a tenderer or
    agency by its code."""
    return {key: tuple(row) for key, *row in snapshot_query(home, f"""
        select if(grain = 'section', bid_section_code, entity_key), status, flagged, value, threshold,
            threshold_source, missing
        from marts.mart_risk_flags where indicator = '{indicator}'""")}


def test_a_bid_period_shorter_than_the_statute_s(home):
    found = _flags(home, "short_submission_period")
    twenty, ten = Decimal("20.000000"), Decimal("10.000000")
    assert found["days19"] == ("calculated", True, Decimal("19.000000"), twenty, "statute", None)
    assert found["days20"] == ("calculated", False, Decimal("20.000000"), twenty, "statute", None)
    assert found["talks9"] == ("calculated", True, Decimal("9.000000"), ten, "statute", None)
    assert found["talks10"] == ("calculated", False, Decimal("10.000000"), ten, "statute", None)
    assert found["nonotice"] == ("insufficient_data", None, None, twenty, "statute", "publish_date")
    assert found["single"][:2] == ("undefined", None)  # 单一来源: no number (threshold unset)


def test_the_winner_s_deposit_after_bid_opening_or_none(home):
    found = _flags(home, "late_winner_deposit")
    zero = Decimal("0.000000")
    assert found["late"] == ("calculated", True, Decimal("1.000000"), zero, "statute", None)
    assert found["ontime"] == ("calculated", False, zero, zero, "statute", None)  # that day
    assert found["unpaid"] == ("calculated", True, None, zero, "statute", None)  # the others paid
    assert found["days19"][:2] == ("undefined", None)  # no deposits at all
    evidence = snapshot_query(home, """select security_id, received_date::varchar
        from marts.mart_risk_evidence where indicator = 'late_winner_deposit'""")
    assert [(s.split("-")[0], d) for s, d in evidence] == [("late", "2024-03-16")]


def test_two_bidders_deposits_from_one_account(home):
    found = _flags(home, "shared_account")
    two = Decimal("2.000000")
    assert found["ring"] == ("calculated", True, two, two, "statute", None)
    assert found["apart"] == ("calculated", False, Decimal("1.000000"), two, "statute", None)
    assert found["half"] == ("insufficient_data", None, Decimal("1.000000"), two, "statute",
                                       "payer_account")
    assert found["days19"][:2] == ("undefined", None)
    evidence = snapshot_query(home, """select bidder_code, payer_account_masked, payer_name
        from marts.mart_risk_evidence where indicator = 'shared_account' order by bidder_code""")
    assert evidence == [("B1", "****2222", "B1公司"), ("B2", "****2222", "B1公司")]


def test_two_bidders_deposits_from_one_account_within_twelve_months(home):
    found = _flags(home, "shared_account_pair")
    days = Decimal("365.000000")  # vars.risk_flags.shared_account_pair.threshold
    assert found == {"B1 + B2": ("calculated", True, Decimal("0E-6"), days, "fixed", None),  # one section
                     "D1 + D2": ("calculated", True, Decimal("361.000000"), days, "fixed", None),
                     "C1 + C2": ("calculated", False, Decimal("375.000000"), days, "fixed", None)}
    evidence = snapshot_query(home, """select entity_key, security_id, payer_account_masked
        from marts.mart_risk_evidence where indicator = 'shared_account_pair' order by 1, 2""")
    assert evidence == [("B1 + B2", s, "****2222") for s in ("apart-B1", "apart-B1b", "half-B1", "ring-B1",
                                                              "ring-B2")] + [
        ("D1 + D2", "apart-D1", "****8888"), ("D1 + D2", "half-D2", "****8888")]


def test_a_deposit_paid_by_someone_other_than_its_bidder(home):
    found = _flags(home, "not_own_account")
    assert found["ring-B2"][:2] == ("calculated", True)  # B1公司 paid B2's deposit
    assert found["ring-B1"][:2] == ("calculated", False)
    assert found["apart-B1"][:2] == ("calculated", False)  # full-width brackets are the same name
    assert found["apart-B1b"][:2] == ("calculated", False)
    assert found["half-B2"] == ("insufficient_data", None, None, None, "statute", "payer_name")


def test_one_winner_s_share_of_a_tenderer_s_year(home):
    """Shares of the tenderers with at least five sections: T1 0.6, T3 0.2. Type 8 with n = 2:
    Q1 (h = 0.92 < 1) = 0.2, Q3 (h = 2.08 ≥ 2) = 0.6, upper fence 0.6 + 1.5·0.4 = 1.2: the
    setting, 0.5, is the lower threshold. T2 has four sections: undefined."""
    found = _flags(home, "winner_share")
    half = Decimal("0.500000")
    assert found == {"T1": ("calculated", True, Decimal("0.600000"), half, "fixed", None),
                     "T2": ("undefined", None, Decimal("1.000000"), half, "fixed", None),
                     "T3": ("calculated", False, Decimal("0.200000"), half, "fixed", None)}
    [fence] = snapshot_query(home, """select n, q1, q3, upper_fence from marts.mart_risk_fences
        where indicator = 'winner_share'""")
    assert fence == pytest.approx((2, 0.2, 0.6, 1.2))


def test_a_short_decision_period_against_its_category(home):
    """Government procurement decided 1…10 days after bid opening (n = 10): the 10th percentile
    by type 8 is at h = (10 + 1/3)·0.1 + 1/3 = 1.3667 → 1.366667; only the 1-day section is below."""
    found = _flags(home, "short_decision_period")
    fence = Decimal("1.366667")
    assert found["gp1"] == ("calculated", True, Decimal("1.000000"), fence, "fence", None)
    assert found["gp2"] == ("calculated", False, Decimal("2.000000"), fence, "fence", None)
    assert found["agency1"] == ("insufficient_data", None, None, Decimal("5.000000"), "fence",
                                          "bid_open_date")


def test_an_agency_whose_deposits_are_refunded_late(home):
    """Late shares of the agencies with at least 20 due: 0, 0, 0, 0, 0.5 (n = 5): Q1 = 0, Q3 at
    h = 4.3333 → 0 + 0.3333·0.5 = 0.166667, upper fence 0.166667 + 1.5·0.166667 = 0.416667. A6
    has 19 due: undefined."""
    found = _flags(home, "late_refunds_by_agency")
    upper = Decimal("0.416667")
    assert found["A5"] == ("calculated", True, Decimal("0.500000"), upper, "fence", None)
    assert found["A1"] == ("calculated", False, Decimal("0.000000"), upper, "fence", None)
    assert found["A6"][:2] == ("undefined", None)


def test_an_account_number_is_never_stored_in_clear(home, tmp_path):
    """The warehouse keeps a keyed hash (HMAC-SHA256 with its own owner-only key) and the last
    four digits; the number appears in no file of the warehouse folder, no table of either
    database, and no error report (a rejected file's shows it masked)."""
    key_file = home / "account.key"
    assert key_file.stat().st_mode & 0o777 == 0o600
    key = bytes.fromhex(key_file.read_text().strip())
    [(stored,)] = snapshot_query(home, "select distinct payer_account from marts.fct_securities "
                                       "where payer_account_masked = '****2222'")
    assert stored == hmac.new(key, b"6222000011112222", hashlib.sha256).hexdigest()
    bad = tmp_path / "securities_2024-03.csv"
    rows = rows_of("securities", _cash("bad", "ring", "B3", payer_account="6222 0000 1111 22X2"),
                   _cash("good", "ring", "B4", payer_account=ACCOUNT))
    bad.write_text(csv_text(rows), encoding="utf-8")
    [outcome] = load_files([bad], home)
    assert outcome.status == "rejected"
    report = outcome.report.read_text(encoding="utf-8-sig")
    assert "****22X2" in report
    clear = [text.encode() for text in (ACCOUNT, SAME_ACCOUNT, "6222000011112222", "6222 0000 1111 22X2")]
    files = [*(p for p in home.rglob("*") if p.is_file()), outcome.report]
    assert [(p.name, c) for p in files for c in clear if c in p.read_bytes()] == []
    for database in (database_path(home), snapshot_path(home)):
        assert ("fct_securities", "payer_account_masked") in _columns_holding(database, r"\*\*\*\*2222")
        assert _columns_holding(database, "6222000011112222|62220000111122X2") == [], database


def _columns_holding(database: Path, pattern: str) -> list[tuple[str, str]]:
    """The text columns of every table of a database with a value matching ``pattern`` once
    spaces and hyphens are taken out."""
    with duckdb.connect(str(database), read_only=True) as con:
        columns = con.execute("""select database_name, schema_name, table_name, column_name
            from duckdb_columns() where data_type = 'VARCHAR' and not internal""").fetchall()
        return [(t, c) for d, s, t, c in columns if con.execute(
            f"""select count(*) from "{d}"."{s}"."{t}"
                where regexp_matches(regexp_replace("{c}", '[ -]', '', 'g'), ?)""", [pattern]).fetchone()[0]]


def _sample_file(folder: Path, kind: str) -> pd.DataFrame:
    """A kind's sample CSVs, as text, with the contract's column names."""
    files = sorted(folder.glob(f"{kind}_*.csv"))
    frame = pd.concat([pd.read_csv(p, dtype=str, keep_default_na=False) for p in files])
    return frame.rename(columns={column_words(kind, c)[0]: c for c in BY_NAME[kind].names})


def _late_winners(deals: pd.DataFrame, securities: pd.DataFrame, modes: list[str]) -> set[tuple]:
    """Concluded sections under ``modes`` whose winner's bid deposit came after bid opening, or
    never while others paid."""
    section = ["tender_project_code", "bid_section_code"]
    bids = securities[securities.security_kind == "bid"].merge(deals, on=section)
    bids = bids[(bids.deal_status == "concluded") & bids.tender_mode.isin(modes) & (bids.winner_code != "")]
    late = set()
    for key, rows in bids.groupby(section):
        winner = rows[rows.bidder_code.str.upper() == rows.winner_code.str.upper()]
        if winner.empty or winner.received_date.min() > winner.bid_open_date.min():  # ISO dates
            late.add(key)
    return late


def _type8(values: list, p: float) -> float:
    """The p-quantile by Hyndman and Fan's type 8, as Cardinal (statrs) computes it."""
    x = sorted(values)
    h = (len(x) + 1 / 3) * p + 1 / 3
    if h < 1 or h >= len(x):
        return x[0] if h < 1 else x[-1]
    low = int(h)
    return x[low - 1] + (h - low) * (x[low] - x[low - 1])


def _co_bidders(deals: pd.DataFrame, securities: pd.DataFrame, settings: dict) -> dict[str, set]:
    """The co-bidding flags and cover bidders of one year's sections, worked out from the CSVs:
    a section's bidders are those who posted a bid security."""
    section = ["tender_project_code", "bid_section_code"]
    bid = securities[securities.security_kind == "bid"]
    sets = bid.assign(bidder=bid.bidder_code.str.upper()).groupby(section).bidder.agg(
        lambda b: tuple(sorted(set(b)))).rename("bidders").reset_index().merge(deals, on=section)
    sets["winner"] = sets.winner_code.str.upper().where(sets.deal_status == "concluded", "")
    n_sections = sets.explode("bidders").bidders.value_counts()
    common: dict[tuple, int] = {}
    for bidders in sets.bidders:
        for pair in itertools.combinations(bidders, 2):
            common[pair] = common.get(pair, 0) + 1
    ring = settings["co_bidding_ring"]
    won = sets[(sets.winner != "") & (sets.bidders.map(len) > 1)
               & sets.apply(lambda r: r.winner in r.bidders, axis=1)]
    recurring = won.groupby(["winner", "bidders"]).size()
    rotating = won.groupby("bidders").winner.agg(["size", "nunique"])
    years = sets[sets.winner != ""].explode("bidders")
    years = years.assign(won=years.bidders == years.winner).groupby("bidders").won.agg(["size", "mean"])
    q1, q3 = _type8(list(years["mean"]), 0.25), _type8(list(years["mean"]), 0.75)
    fence = q1 - 1.5 * (q3 - q1)
    busy = _type8(list(years["size"]), settings["cover_bidder"]["percentile"] / 100)
    assert q1 > 0 and fence > 0, "the sample's win ratios must give cover_bidder a fence"
    return {
        "co_bidding_ring": {f"{a} + {b}" for (a, b), n in common.items() if n >= ring["minimum_common"]
                            and n / (n_sections[a] + n_sections[b] - n) >= ring["threshold"]},
        "recurring_co_bidders": {f"{w} ← {' + '.join(b for b in bidders if b != w)}"
                                 for (w, bidders), n in recurring.items()
                                 if n >= settings["recurring_co_bidders"]["threshold"]},
        "bid_rotation": {" + ".join(bidders) for bidders, row in rotating.iterrows() if
                         row["size"] >= settings["bid_rotation"]["minimum_sections"]
                         and row["nunique"] == len(bidders)},
        "cover_bidder": set(years.index[(years["size"] >= busy) & (years["mean"] <= fence)]),
    }


def test_the_sample_s_planted_patterns_are_found(tmp_path):
    """ggzy sample plants shared accounts, deposits paid by others, short bid periods, late
    winners' deposits, identical bid prices (ggzy/sample.py, PLANTED_SHARE), a ring of four
    companies winning in turn and a cover bidder: the flags are exactly the sections, deposits,
    pairs, groups and bidders the files show them in, worked out here from the CSVs (six months:
    a bidder's year needs that many bids for the win ratios to have a fence)."""
    folder, home = tmp_path / "sample", tmp_path / "warehouse"
    land(generate(folder, months=6, scale=0.05, seed=5), home)
    assert build(home).published
    deals, securities = _sample_file(folder, "deals"), _sample_file(folder, "securities")
    project = yaml.safe_load((ROOT / "dbt_project.yml").read_text(encoding="utf-8"))
    settings = project["vars"]["risk_flags"]
    cash = securities[(securities.pay_form == "cash") & (securities.security_kind == "bid")]
    accounts = cash[cash.payer_account != ""].assign(
        account=cash.payer_account.str.replace(r"[\s-]", "", regex=True))
    shared = accounts.groupby(["tender_project_code", "bid_section_code", "account"]).bidder_code.nunique()
    named = (cash.payer_name != "") & (cash.bidder_name != "")
    minimum = deals.tender_mode.map(settings["short_submission_period"]["by_tender_mode"])
    days = (pd.to_datetime(deals.bid_open_date) - pd.to_datetime(deals.publish_date)).dt.days
    short = deals[minimum.notna() & (days < minimum)]
    bids = _sample_file(folder, "bids")
    submitted = bids[bids.bid_status.isin(["valid", "disqualified"])]
    repeated = submitted[submitted.duplicated(["tender_project_code", "bid_section_code", "bid_price"])]
    expected = {"shared_account": {key[:2] for key, n in shared.items() if n >= 2},
                "not_own_account": set(cash.security_id[named & (cash.payer_name != cash.bidder_name)]),
                "short_submission_period": set(zip(short.tender_project_code, short.bid_section_code,
                                                   strict=True)),
                "late_winner_deposit": _late_winners(deals, securities,
                                                     settings["late_winner_deposit"]["tender_modes"]),
                "identical_bid_prices": set(zip(repeated.tender_project_code, repeated.bid_section_code,
                                                strict=True))}
    expected |= _co_bidders(deals, securities, settings)
    for indicator, planted in expected.items():
        key = "tender_project_code, bid_section_code" if indicator in SECTION_INDICATORS else "entity_key"
        found = {row if len(row) > 1 else row[0] for row in snapshot_query(home, f"""
            select {key} from marts.mart_risk_flags where indicator = '{indicator}' and flagged""")}
        assert found == planted and planted, indicator


def test_the_report_s_risk_sheet_and_sentence(home):
    """The month's flags by indicator, worked out from the sections above: shared_account 2
    calculated (ring, apart), 1 flagged, 10 insufficient (cash deposits without an account: half,
    late, ontime, unpaid and the six agencies'); not_own_account 7 calculated (the
    deposits with both names; C1's and D1's are of March 2023), 1 flagged, 126 without a payer's
    name; winner_share T1 and T3 (a tenderer's year is in every month's report of all regions).
    The paragraph names the total."""
    with open_snapshot(home) as con:
        report = monthly_report(con, date(2024, 3, 1))
        english = monthly_report(con, date(2024, 3, 1), lang="en")
    book = openpyxl.load_workbook(io.BytesIO(FORMATS["xlsx"](report)))
    sheet = list(book["风险预警"].iter_rows(values_only=True))
    start = next(i for i, row in enumerate(sheet) if str(row[0]).startswith("各指标风险提示")) + 2
    end = next(i for i in range(start, len(sheet)) if sheet[i][0] is None)
    rows = {row[0]: row[1:4] for row in sheet[start:end]}
    assert rows["不同投标人保证金来自同一账户"] == (2, 1, 10)
    assert rows["保证金非投标人本人账户缴纳"] == (7, 1, 126)
    assert rows["单一中标人占招标人成交额比重过高"] == (2, 1, 0)
    [(n_flagged,)] = snapshot_query(home, "select count(*) from marts.mart_risk_flags where flagged")
    with open_snapshot(home) as con:  # the dashboard's download for inspectors: every flag, its deposits
        selection = queries.Selection(date(2024, 3, 1), date(2024, 3, 1))
        flags, evidence = queries.risk_flags(con, selection), queries.risk_evidence(con, selection)
        download = risk_workbook(flags, queries.risk_indicators(con), evidence.assign(
            indicator_name=evidence.indicator, pay_form=evidence.pay_form_zh), "全部", "2024-03-31", "zh")
    inspected = openpyxl.load_workbook(io.BytesIO(download))
    assert inspected.sheetnames == ["风险预警", "提示依据（保证金明细）"]
    listed = [row for row in inspected["风险预警"].iter_rows(values_only=True) if row[0] and row[1] and
              str(row[1]).startswith("P1 / ring")]
    assert ("不同投标人保证金来自同一账户", "P1 / ring · 2024-03", "西湖区", 2, 2, "法规") in listed
    deposits = list(inspected["提示依据（保证金明细）"].iter_rows(values_only=True))
    assert len([r for r in deposits if r[0] == "shared_account"]) == 2  # B1's and B2's, from one account
    assert all("6222" not in str(cell) for row in deposits for cell in row)
    assert f"本月风险预警提示{n_flagged}项（疑似，供核查），最多的是" in report.narrative
    assert f"The risk flags raised {n_flagged} leads this month" in english.narrative


def test_flags_roll_up_by_tenderer_and_agency(home):
    found = snapshot_query(home, """select dimension, dimension_key, indicator, n_calculated, n_flagged,
        flagged_rate from marts.mart_risk_rollups
        where (dimension, dimension_key, indicator) in (('agency', 'A5', 'late_winner_deposit'),
            ('tenderer', 'T1', 'short_submission_period'), ('tenderer', 'T2', 'late_winner_deposit'))
        order by 1, 2""")
    assert found == [("agency", "A5", "late_winner_deposit", 1, 1, Decimal("1.000000")),  # W paid nothing
                     ("tenderer", "T1", "short_submission_period", 5, 0, Decimal("0E-6")),
                     ("tenderer", "T2", "late_winner_deposit", 0, 0, None)]  # no deposits: undefined


@pytest.fixture(scope="module")
def rings(tmp_path_factory) -> Path:
    """Sections of one March, each (name, bidders, winner): R1, R2, R3 together three times, each
    winning one, R1 and R2 twice more; W wins three with C1 and C2 beside it, V two with D1; N1
    wins four with N2; P1 wins five with P2 and five alone."""
    sections = [*((f"ring{i}", ["R1", "R2", "R3"], w) for i, w in enumerate(["R1", "R2", "R3"], 1)),
                ("ring4", ["R1", "R2"], "R1"), ("ring5", ["R1", "R2"], "R2"),
                *((f"x{i}", ["W", "C1", "C2"], "W") for i in range(3)),
                *((f"v{i}", ["V", "D1"], "V") for i in range(2)),
                *((f"n{i}", ["N1", "N2"], "N1") for i in range(4)),
                *((f"p{i}", ["P1", "P2"], "P1") for i in range(5)),
                *((f"q{i}", ["P1"], "P1") for i in range(5))]
    folder = tmp_path_factory.mktemp("rings")
    home = folder / "warehouse"
    deals = rows_of("deals", *[_deal(name, winner_code=winner) for name, _, winner in sections])
    securities = rows_of("securities", *[_cash(f"{name}-{b}", name, b) for name, bidders, _ in sections
                                         for b in bidders])
    for name, rows in (("deals_2024-03.csv", deals), ("securities_2024-03.csv", securities)):
        (folder / name).write_text(csv_text(rows), encoding="utf-8")
    land([folder / "deals_2024-03.csv", folder / "securities_2024-03.csv"], home)
    assert build(home).published
    return home


def test_bidders_who_keep_bidding_together(rings):
    """R1 and R2 bid for the same 5 sections, each for none else: Jaccard 5 / (5 + 5 − 5) = 1;
    P1 and P2 for 5, P1 for 5 more: 5 / (10 + 5 − 5) = 0.5, below 0.6; N1 and N2 for 4, fewer
    than 5 (no result); R3 with either for 3."""
    assert _flags(rings, "co_bidding_ring") == {
        "P1 + P2": ("calculated", False, Decimal("0.500000"), Decimal("0.600000"), "fixed", None),
        "R1 + R2": ("calculated", True, Decimal("1.000000"), Decimal("0.600000"), "fixed", None)}


def test_a_winner_with_the_same_co_bidders_again_and_again(rings):
    three = Decimal("3.000000")
    assert _flags(rings, "recurring_co_bidders") == {
        "N1 ← N2": ("calculated", True, Decimal("4.000000"), three, "fixed", None),
        "P1 ← P2": ("calculated", True, Decimal("5.000000"), three, "fixed", None),
        "V ← D1": ("calculated", False, Decimal("2.000000"), three, "fixed", None),  # twice: not yet
        "W ← C1 + C2": ("calculated", True, three, three, "fixed", None)}


def test_the_same_bidders_taking_turns_to_win(rings):
    """R1, R2, R3 together in three sections, each winning one: rotation. R1 and R2 alone twice
    (below three); W, C1, C2 three times, W winning each; N1 and N2 four times, N1 each."""
    found = _flags(rings, "bid_rotation")
    three = Decimal("3.000000")
    assert found["R1 + R2 + R3"] == ("calculated", True, three, three, "fixed", None)
    assert found["R1 + R2"] == ("calculated", False, Decimal("2.000000"), three, "fixed", None)
    assert found["C1 + C2 + W"] == ("calculated", False, three, three, "fixed", None)
    assert found["N1 + N2"] == ("calculated", False, Decimal("4.000000"), three, "fixed", None)


def test_the_sections_behind_a_ring(rings):
    """The evidence of the co-bidding flags that fired: R1 and R2's five common sections; the
    three W won beside C1 and C2 (not the other winners' sections); N1's four with N2 and P1's
    five with P2 (not P1's five alone); the three R1, R2 and R3 took turns in."""
    found: dict[str, list] = {}
    for indicator, key, section, winner, bidders in snapshot_query(rings, """
            select indicator, entity_key, bid_section_code, winner_code, bidders
            from marts.mart_risk_ring_sections order by 1, 2, 3"""):
        found.setdefault(f"{indicator} {key}", []).append((section, winner, bidders))
    assert found == {
        "bid_rotation R1 + R2 + R3": [(f"ring{i}", f"R{i}", "R1 + R2 + R3") for i in (1, 2, 3)],
        "co_bidding_ring R1 + R2": [("ring1", "R1", "R1 + R2 + R3"), ("ring2", "R2", "R1 + R2 + R3"),
                                    ("ring3", "R3", "R1 + R2 + R3"), ("ring4", "R1", "R1 + R2"),
                                    ("ring5", "R2", "R1 + R2")],
        "recurring_co_bidders N1 ← N2": [(f"n{i}", "N1", "N1 + N2") for i in range(4)],
        "recurring_co_bidders P1 ← P2": [(f"p{i}", "P1", "P1 + P2") for i in range(5)],
        "recurring_co_bidders W ← C1 + C2": [(f"x{i}", "W", "C1 + C2 + W") for i in range(3)]}
