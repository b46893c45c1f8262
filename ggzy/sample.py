"""``ggzy sample``: deterministic, realistic monthly CSVs of every kind (the bids too).

Scale 1 is a city (5,000 deals a month). Each month is generated vectorised with numpy and
written by DuckDB, so a *nation* year (scale ≈ 33, ~2,000,000 deals, ~20,000,000 securities)
streams out one month at a time. Refunds settle after their month when they are late; they are
carried into the file of the month they settle in, and some are never settled (sediment).
"""

import csv
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import yaml

from ggzy.common.codes import seed_path
from ggzy.common.contract import BY_NAME, FILE_KINDS
from ggzy.common.dbt_macros import PROJECT_DIR

DEALS_PER_MONTH = 5000
HOME_PROVINCE = "33"  # 浙江, with its neighbours below
NEIGHBOURS = ("32", "34", "35", "36")
CATEGORIES = {"engineering": 0.40, "government_procurement": 0.40, "land": 0.07, "mining_rights": 0.02,
              "state_property": 0.06, "other": 0.05}
PROCUREMENT_MODES = {"open_tender": 0.62, "invited_tender": 0.04, "competitive_negotiation": 0.08,
                     "competitive_consultation": 0.12, "inquiry": 0.06, "single_source": 0.04,
                     "framework_agreement": 0.04}
AUCTION_MODES = {"listing": 0.7, "auction": 0.3}
MEDIAN_BUDGET_YUAN = {"engineering": 3_000_000, "government_procurement": 600_000, "land": 30_000_000,
                      "mining_rights": 8_000_000, "state_property": 2_000_000, "other": 300_000}
STATUSES = {"concluded": 0.9, "failed": 0.08, "terminated": 0.02}
PAY_FORMS = {"cash": 0.15, "e_guarantee": 0.5, "bank_guarantee": 0.15, "insurance": 0.15, "guarantor": 0.05}
ISSUERS = ("中国工商银行", "中国建设银行", "中国人民财产保险", "浙江省融资担保有限公司", "平安财产保险")
USCC_CHARS = np.array(list("0123456789ABCDEFGHJKLMNPQRTUWXY"))
COMPANY_PLACES = ("浙江", "杭州", "宁波", "温州", "绍兴", "金华", "台州", "江苏", "安徽", "福建", "江西")
COMPANY_WORDS = ("恒信", "华建", "天成", "广宇", "中泰", "永安", "宏达", "瑞丰", "鼎盛", "汇通", "长青",
                 "盛世")
COMPANY_KINDS = ("建设有限公司", "工程有限公司", "科技有限公司", "建筑工程有限公司", "市政园林有限公司")
WAN_YUAN_SHARE = 0.1  # rows whose platform reports amounts in 万元
FEN_PER_WAN = 1_000_000
# the risk flags' columns (docs/risk-flags.md) are drawn from a stream of their own, so that the
# rest of a month is what it was before they were added; these patterns are planted in them:
PLANTED_SHARE = {"shared_account": 0.02,  # sections: a second bidder pays from the first's account
                 "not_own_account": 0.01,  # cash deposits: paid by another company
                 "late_winner_deposit": 0.02,  # sections: bids opened the day before the winner paid
                 "short_submission_period": 0.02,  # sections: notice 1–3 days short of the minimum
                 "identical_bid_prices": 0.01}  # sections: the second bidder bids the winner's price
RING_SIZE = 4  # the planted bid-rotation ring: companies that bid only together, each winning in turn,
RING_SECTIONS_PER_MONTH = 2  # in this many concluded sections a month that have RING_SIZE bidders,
# paying their cash deposits from one account; the planted cover bidder (陪标专业户) bids as often
COVER_BIDDER_LOAD = 2  # as this many average bidders together, and never wins
BIDDERS_PER_DEALS = 0.8  # companies bidding in a sample: a share of its deals a month, at least
FEWEST_BIDDERS = 200  # this many
AGENCY_SHARE = 0.7  # projects run through a tender agency (the rest by the tenderer itself)
BID_STATUSES = {"valid": 0.94, "disqualified": 0.05, "withdrawn": 0.01}  # of the bids but the winner's


@dataclass
class PendingRefunds:
    """Refund events generated in one month that settle in a later one."""

    columns: dict[str, np.ndarray]

    def take(self, month_end: np.datetime64) -> dict[str, np.ndarray]:
        due = self.columns["settle_date"] <= month_end
        taken = {k: v[due] for k, v in self.columns.items()}
        self.columns = {k: v[~due] for k, v in self.columns.items()}
        return taken

    def add(self, more: dict[str, np.ndarray]) -> None:
        self.columns = {k: np.concatenate([self.columns[k], more[k]]) if self.columns else more[k]
                        for k in more}


@cache
def _categories_priced(price_kind: str) -> tuple[str, ...]:
    """The trade categories whose price is of this kind (seeds/trade_categories.csv): procurement
    (saved below the budget) or auction (sold above the floor, deposits in cash)."""
    with seed_path("trade_categories").open(encoding="utf-8") as f:
        return tuple(row["code"] for row in csv.DictReader(f) if row["price_kind"] == price_kind)


def _regions() -> np.ndarray:
    con = duckdb.connect()
    codes = con.execute(f"""
        select region_code from read_csv('{seed_path("regions")}', all_varchar = true)
        where region_level = 'county' and valid_to is null and (region_code like '{HOME_PROVINCE}%'
            or (substr(region_code, 1, 2) in {NEIGHBOURS} and region_code like '%01'))
        order by region_code
    """).fetchall()
    return np.array([c[0] for c in codes])


def _pick(rng: np.random.Generator, choices: dict[str, float], n: int) -> np.ndarray:
    return rng.choice(np.array(list(choices)), size=n, p=np.array(list(choices.values())))


def _uscc(rng: np.random.Generator, n: int, kind: str = "91") -> np.ndarray:
    """18-character codes shaped like unified social credit codes (``kind`` 91: a company, 11: a
    government body)."""
    body = rng.choice(USCC_CHARS, size=(n, 16)).view("<U16").ravel()
    return np.char.add(kind, body)


def _parties(seed: int, bidders: np.ndarray, scale: float) -> dict:
    """Tenderers, agencies, the planted ring's and cover bidder's companies (who bid nowhere
    else) and every company's bank account, for the risk flags' columns."""
    rng = np.random.default_rng([seed, 0, 1])
    accounts = np.char.add("6222", rng.integers(10**14, 10**15, len(bidders)).astype(str))
    tenderers, agencies = _uscc(rng, max(200, int(400 * scale)), "11"), _uscc(rng, max(20, int(40 * scale)))
    ring, cover = _uscc(rng, RING_SIZE), _uscc(rng, 1)
    companies = np.concatenate([bidders, ring, cover])
    planted = np.char.add("6222", rng.integers(10**14, 10**15, RING_SIZE + 1).astype(str))
    return {"bidders": bidders, "companies": companies, "ring": ring, "cover": cover[0],
            "accounts": dict(zip(companies, np.concatenate([accounts, planted]), strict=True)),
            "tenderers": tenderers, "agencies": agencies}


def _names(codes: np.ndarray) -> dict[str, str]:
    """A company name for each bidder code, from its place in the list (no draw of the generator);
    every fifth is left unnamed, as platforms that export no names leave them."""
    names = {}
    for i, code in enumerate(codes):
        if i % 5:
            place, word = COMPANY_PLACES[i % len(COMPANY_PLACES)], COMPANY_WORDS[i // 7 % len(COMPANY_WORDS)]
            names[code] = place + word + COMPANY_KINDS[i // 3 % len(COMPANY_KINDS)]
    return names


def _days(dates: np.ndarray, days: np.ndarray) -> np.ndarray:
    return dates + days.astype("timedelta64[D]")


def _deals(rng: np.random.Generator, month: date, n: int, regions: np.ndarray,
           bidders: np.ndarray) -> dict[str, np.ndarray]:
    start = np.datetime64(month, "D")
    month_end = _month_end(month)
    index = np.arange(n)
    project = (index * 4) // 5
    first_of_project = np.searchsorted(project, project)
    category = _pick(rng, CATEGORIES, n)
    procurement = np.isin(category, _categories_priced("procurement"))
    auction = np.isin(category, _categories_priced("auction"))
    mode = np.where(auction, _pick(rng, AUCTION_MODES, n),
                    np.where(procurement, _pick(rng, PROCUREMENT_MODES, n), "other"))
    status = _pick(rng, STATUSES, n)
    concluded = status == "concluded"
    median = np.array([MEDIAN_BUDGET_YUAN[c] for c in category], dtype=np.float64)
    budget_fen = np.round(median * rng.lognormal(0, 0.8, n)) * 100
    savings_share = np.clip(rng.normal(0.10, 0.05, n), 0.0, 0.4)
    premium_share = np.where(rng.random(n) < 0.5, 0.0, rng.exponential(0.25, n))
    deal_fen = np.where(auction, budget_fen * (1 + premium_share),
                        np.where(procurement, budget_fen * (1 - savings_share), budget_fen * 0.97))
    deal_fen = np.round(deal_fen / 100) * 100
    deal_date = start + rng.integers(0, (month_end - start).astype(int) + 1, n).astype("timedelta64[D]")
    contract = _days(deal_date, rng.integers(2, 35, n))
    bidder_count = np.where(rng.random(n) < 0.03, 1, 2 + rng.poisson(7, n))
    return {
        "tender_project_code": np.char.add(f"ZB{month:%Y%m}", np.char.zfill((project + 1).astype(str), 7)),
        "bid_section_code": np.char.zfill((index - first_of_project + 1).astype(str), 3),
        "region_code": rng.choice(regions, n),
        "trade_category": category,
        "tender_mode": mode,
        "budget_fen": budget_fen.astype(np.int64),
        "deal_fen": np.where(concluded, deal_fen, -1).astype(np.int64),
        "show_savings": procurement & concluded & (rng.random(n) < 0.5),
        "in_wan_yuan": rng.random(n) < WAN_YUAN_SHARE,
        "deal_status": status,
        "deal_date": deal_date,
        "contract_sign_date": np.where(concluded & (contract <= month_end), contract,
                                       np.datetime64("NaT")),
        "winner_code": np.where(concluded, rng.choice(bidders, n), ""),
        "bidder_count": bidder_count,
        "is_electronic": rng.random(n) < 0.9,
        "is_remote_evaluation": rng.random(n) < 0.2,
    }


def _month_end(month: date) -> np.datetime64:
    next_month = np.datetime64(month, "M") + 1
    return next_month.astype("datetime64[D]") - 1


def _securities(rng: np.random.Generator, month: date, deals: dict[str, np.ndarray],
                bidders: np.ndarray) -> dict[str, np.ndarray]:
    """One bid security per bidder, plus a performance security from each procurement winner."""
    per_deal = deals["bidder_count"]
    deal = np.repeat(np.arange(len(per_deal)), per_deal)
    n = len(deal)
    is_winner = np.zeros(n, dtype=bool)
    first = np.concatenate([[0], np.cumsum(per_deal)[:-1]])
    concluded = deals["deal_status"] == "concluded"
    is_winner[first[concluded]] = True
    bidder = rng.choice(bidders, n)
    bidder[is_winner] = deals["winner_code"][deal[is_winner]]
    auction = np.isin(deals["trade_category"], _categories_priced("auction"))
    share = np.where(auction, 0.2, 0.02)[deal]
    amount_fen = np.round(np.minimum(deals["budget_fen"][deal] * share, 80_000_000) / 100) * 100
    start = np.datetime64(month, "D")
    deal_day = (deals["deal_date"][deal] - start).astype(int)
    received = start + (rng.random(n) * (deal_day + 1)).astype("timedelta64[D]")
    kind = np.full(n, "bid", dtype="<U11")
    form = _pick(rng, PAY_FORMS, n)
    form[auction[deal]] = "cash"  # land and property deposits are paid in cash
    performance = np.flatnonzero(concluded & ~auction)
    deal = np.concatenate([deal, performance])
    bidder = np.concatenate([bidder, deals["winner_code"][performance]])
    amount_fen = np.concatenate([amount_fen, np.round(deals["deal_fen"][performance] * 0.05 / 100) * 100])
    received = np.concatenate([received, deals["deal_date"][performance]])
    kind = np.concatenate([kind, np.full(len(performance), "performance")])
    form = np.concatenate([form, _pick(rng, PAY_FORMS, len(performance))])
    is_winner = np.concatenate([is_winner, np.ones(len(performance), dtype=bool)])
    total = len(deal)
    guarantee = form != "cash"
    fee_fen = np.where(guarantee, np.maximum(10_000, np.round(amount_fen * 0.003 / 100) * 100), -1)
    return {
        "security_id": np.char.add(f"BZ{month:%Y%m}", np.char.zfill(np.arange(1, total + 1).astype(str), 8)),
        "deal": deal,
        "bidder_code": bidder,
        "security_kind": kind,
        "pay_form": form,
        "amount_fen": np.maximum(amount_fen, 100).astype(np.int64),
        "received_date": received,
        "issuer": np.where(guarantee, rng.choice(np.array(ISSUERS), total), ""),
        "fee_fen": fee_fen.astype(np.int64),
        "is_winner": is_winner,
    }


def _plant_ring_and_cover(rng: np.random.Generator, month_index: int, deals: dict[str, np.ndarray],
                          securities: dict[str, np.ndarray], parties: dict) -> None:
    """Planted in the bidder and winner codes (their sections, amounts and dates untouched): the
    ring's companies as the only bidders of RING_SECTIONS_PER_MONTH concluded procurement
    sections, winning in turn (``bid_rotation``, ``co_bidding_ring``, ``recurring_co_bidders``);
    the cover bidder as a losing bidder of sections drawn at random (``cover_bidder``)."""
    bidder, deal, kind = securities["bidder_code"], securities["deal"], securities["security_kind"]
    concluded = deals["deal_status"] == "concluded"
    procurement = np.isin(deals["trade_category"], _categories_priced("procurement"))
    fits = np.flatnonzero(concluded & procurement & (deals["bidder_count"] == RING_SIZE))
    ring_deals = np.sort(rng.permutation(fits)[:RING_SECTIONS_PER_MONTH])
    for turn, d in enumerate(ring_deals, start=month_index * RING_SECTIONS_PER_MONTH):
        members = np.roll(parties["ring"], -(turn % RING_SIZE))  # the winner first
        deals["winner_code"][d] = members[0]
        bidder[(deal == d) & (kind == "bid")] = members  # the first bid security is the winner's
        bidder[(deal == d) & (kind == "performance")] = members[0]
    bid = kind == "bid"
    losers = np.flatnonzero(concluded & (deals["bidder_count"] >= 2))
    losers = losers[~np.isin(losers, ring_deals)]
    busy = round(COVER_BIDDER_LOAD * bid.sum() / len(parties["bidders"]))
    covered = rng.permutation(losers)[:busy]
    last_bid = np.flatnonzero(bid)[np.searchsorted(deal[bid], covered, side="right") - 1]
    bidder[last_bid] = parties["cover"]


def _refund_events(rng: np.random.Generator, deals: dict[str, np.ndarray],
                   securities: dict[str, np.ndarray], month: date) -> dict[str, np.ndarray]:
    """Settlement of each cash bid security: mostly on time, some late, some only after more than
    a year (sediment cleared), some never; land winners' deposits converted into the price; a few
    forfeited; a few refunded in two parts.
    Refund ids carry the month of their securities, so separately generated months never clash."""
    cash_bid = np.flatnonzero((securities["pay_form"] == "cash") & (securities["security_kind"] == "bid"))
    deal = securities["deal"][cash_bid]
    n = len(cash_bid)
    roll = rng.random(n)
    delay = np.where(roll < 0.85, rng.integers(1, 8, n), rng.integers(10, 90, n))
    never = roll > 0.96
    anchor = np.maximum(deals["deal_date"][deal], securities["received_date"][cash_bid])
    settle = _days(anchor, delay)
    land_winner = securities["is_winner"][cash_bid] & np.isin(deals["trade_category"][deal],
                                                              _categories_priced("auction"))
    refund_type = np.where(land_winner, "convert", np.where(rng.random(n) < 0.005, "forfeit", "refund"))
    amount = securities["amount_fen"][cash_bid]
    split = (rng.random(n) < 0.02) & (refund_type == "refund") & (amount >= 200)
    first_part = np.where(split, amount // 200 * 100, amount)
    keep = ~never
    parts = [(cash_bid[keep], first_part[keep], settle[keep], refund_type[keep]),
             (cash_bid[keep & split], (amount - first_part)[keep & split],
              _days(settle[keep & split], np.full((keep & split).sum(), 20)), refund_type[keep & split])]
    index = np.concatenate([p[0] for p in parts])
    m = len(index)
    interest = np.where(rng.random(m) < 0.3, np.round(np.concatenate([p[1] for p in parts]) * 0.0005), -1)
    route = np.where(rng.random(m) < 0.95, "原路退还", "其他")
    # a third of those never settled on time are cleared after more than a year: 清理沉淀保证金
    # (drawn last, so the rest of the month is what it was)
    cleared = never & (rng.random(n) < 0.35)
    late = _days(anchor[cleared], rng.integers(380, 600, n)[cleared])
    k = int(cleared.sum())
    return {
        "refund_id": np.char.add(f"TH{month:%Y%m}", np.char.zfill(np.arange(1, m + k + 1).astype(str), 8)),
        "security_id": securities["security_id"][np.concatenate([index, cash_bid[cleared]])],
        "refund_type": np.concatenate([*(p[3] for p in parts), refund_type[cleared]]),
        "settle_date": np.concatenate([*(p[2] for p in parts), late]),
        "refund_fen": np.concatenate([*(p[1] for p in parts), amount[cleared]]).astype(np.int64),
        "interest_fen": np.concatenate([interest, np.full(k, -1)]).astype(np.int64),
        "refund_route": np.concatenate([route, np.full(k, "原路退还")]),
    }


def _risk_settings() -> dict:
    """The risk flags' settings (dbt_project.yml, vars.risk_flags): the planted patterns are
    planted against the same numbers the flags hold them to."""
    project = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))
    return project["vars"]["risk_flags"]


def _risk_columns(rng: np.random.Generator, deals: dict[str, np.ndarray], securities: dict[str, np.ndarray],
                  parties: dict, names: dict[str, str]) -> None:
    """Add the optional columns the risk flags read — deals' tenderer, agency, notice and bid
    opening dates; cash securities' payer account and name — and plant PLANTED_SHARE's patterns."""
    settings = _risk_settings()
    _, project = np.unique(deals["tender_project_code"], return_inverse=True)
    n_projects = project.max() + 1
    deals["tenderer_code"] = rng.choice(parties["tenderers"], n_projects)[project]
    deals["agency_code"] = np.where(rng.random(n_projects) < AGENCY_SHARE,
                                    rng.choice(parties["agencies"], n_projects), "")[project]
    late_modes = settings["late_winner_deposit"]["tender_modes"]
    deals["bid_open_date"] = _bid_open_dates(rng, deals, securities, late_modes)
    minimum = settings["short_submission_period"]["by_tender_mode"]
    n = len(deals["deal_date"])
    fewest = np.array([minimum.get(mode, 5) for mode in deals["tender_mode"]])
    short = np.isin(deals["tender_mode"], list(minimum)) & (
        rng.random(n) < PLANTED_SHARE["short_submission_period"])
    days = np.where(short, np.maximum(fewest - rng.integers(1, 4, n), 0), fewest + rng.integers(0, 15, n))
    deals["publish_date"] = _days(deals["bid_open_date"], -days)
    payer = _payers(rng, securities, parties)
    cash = securities["pay_form"] == "cash"
    securities["payer_account"] = np.where(cash, [parties["accounts"].get(p, "") for p in payer], "")
    securities["payer_name"] = np.where(cash, [names.get(p, "") for p in payer], "")


def _bid_open_dates(rng: np.random.Generator, deals: dict[str, np.ndarray], securities: dict[str, np.ndarray],
                    late_modes: list[str]) -> np.ndarray:
    """A day between a section's last bid deposit and its deal; planted: the day before the
    winner's deposit, under the modes with a deadline for bids."""
    n = len(deals["deal_date"])
    bid = securities["security_kind"] == "bid"
    start = np.datetime64(deals["deal_date"].min(), "M").astype("datetime64[D]")
    latest = np.zeros(n, dtype=np.int64)  # days from the month's start to the last bid deposit
    np.maximum.at(latest, securities["deal"][bid], (securities["received_date"][bid] - start).astype(int))
    deal_day = (deals["deal_date"] - start).astype(int)
    bid_open = _days(start, latest + (rng.random(n) * (deal_day - latest + 1)).astype(int))
    winner = np.flatnonzero(bid & securities["is_winner"])
    late = winner[rng.random(len(winner)) < PLANTED_SHARE["late_winner_deposit"]]
    late = late[np.isin(deals["tender_mode"][securities["deal"][late]], late_modes)]
    bid_open[securities["deal"][late]] = _days(securities["received_date"][late], np.full(len(late), -1))
    return bid_open


def _payers(rng: np.random.Generator, securities: dict[str, np.ndarray], parties: dict) -> np.ndarray:
    """Who paid each security: its bidder; planted: another company, the ring's first company for
    all of the ring, and in a pair the second of two cash bidders of a section paying as the first."""
    cash = securities["pay_form"] == "cash"
    bidder = securities["bidder_code"]
    payer = bidder.copy()
    others = np.flatnonzero(cash & (rng.random(len(cash)) < PLANTED_SHARE["not_own_account"]))
    payer[others] = rng.choice(parties["bidders"], len(others))
    payer[np.isin(bidder, parties["ring"])] = parties["ring"][0]
    cash_bid = np.flatnonzero(cash & (securities["security_kind"] == "bid"))
    first, second = cash_bid[:-1], cash_bid[1:]
    pairs = (securities["deal"][first] == securities["deal"][second]) & (bidder[first] != bidder[second])
    ring = pairs & (rng.random(len(first)) < PLANTED_SHARE["shared_account"])
    payer[second[ring]] = payer[first[ring]]
    return payer


def _bids(rng: np.random.Generator, deals: dict[str, np.ndarray],
          securities: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """A bid for each bidder of a section who posted a bid security, submitted the day it did:
    the winner's at the deal amount, valid; the others' a few per cent above it (below it at
    an auction), some disqualified or withdrawn. Planted: the second bidder of a concluded
    section bidding the winner's very price."""
    bid = np.flatnonzero(securities["security_kind"] == "bid")
    deal, bidder = securities["deal"][bid], securities["bidder_code"][bid]
    key = np.char.add(np.char.add(deal.astype(str), "|"), bidder)
    first = np.sort(np.unique(key, return_index=True)[1])  # a bidder posting twice bids once
    bid, deal, bidder = bid[first], deal[first], bidder[first]
    n = len(bid)
    is_winner = securities["is_winner"][bid]
    auction = np.isin(deals["trade_category"], _categories_priced("auction"))[deal]
    base = np.where(deals["deal_fen"][deal] > 0, deals["deal_fen"][deal], deals["budget_fen"][deal])
    spread = np.abs(rng.normal(0.04, 0.03, n))
    others = base * np.where(auction, 1 - spread, 1 + spread)
    price_fen = np.round(np.where(is_winner, base, others) / 100) * 100
    status = np.where(is_winner, "valid", _pick(rng, BID_STATUSES, n))
    starts = np.flatnonzero(np.r_[True, deal[1:] != deal[:-1]])
    second = starts[starts + 1 < n]
    second = second[(deal[second + 1] == deal[second]) & is_winner[second]] + 1
    planted = second[rng.random(len(second)) < PLANTED_SHARE["identical_bid_prices"]]
    price_fen[planted] = price_fen[planted - 1]
    status[planted] = "valid"
    return {"deal": deal, "bidder_code": bidder, "price_fen": np.maximum(price_fen, 100).astype(np.int64),
            "bid_status": status, "bid_time": securities["received_date"][bid]}


def _label(kind: str, name: str) -> str:
    """The header a trading platform writes: the column's first Chinese label."""
    column = BY_NAME[kind].column(name)
    return next(s for s in column.spellings if not s.isascii())


def _amount_sql(fen: str, in_wan: str = "false") -> str:
    fen = f"({fen})"
    yuan = f"printf('%d.%02d', {fen} // 100, {fen} % 100)"
    wan = f"printf('%d.%06d', {fen} // {FEN_PER_WAN}, {fen} % {FEN_PER_WAN})"
    return f"case when {fen} < 0 then null when {in_wan} then {wan} else {yuan} end"


def _write(con: duckdb.DuckDBPyConnection, columns: dict[str, np.ndarray], select: dict[str, str],
           kind: str, path: Path) -> None:
    con.register("batch", pa.table(columns))
    labelled = ", ".join(f'{sql} as "{_label(kind, name)}"' for name, sql in select.items())
    con.execute(f"copy (select {labelled} from batch) to '{path}' (header, delimiter ',')")
    con.unregister("batch")


def _write_deals(con: duckdb.DuckDBPyConnection, deals: dict[str, np.ndarray], path: Path) -> None:
    wan = "in_wan_yuan"
    _write(con, deals, {
        "tender_project_code": "tender_project_code", "bid_section_code": "bid_section_code",
        "region_code": "region_code", "trade_category": "trade_category", "tender_mode": "tender_mode",
        "budget_amount": _amount_sql("budget_fen", wan),
        "deal_amount": _amount_sql("deal_fen", wan),
        "savings_amount": f"case when show_savings then {_amount_sql('budget_fen - deal_fen', wan)} end",
        "price_unit": f"case when {wan} then '万元' else '元' end",
        "deal_status": "deal_status", "deal_date": "deal_date",
        "contract_sign_date": "contract_sign_date", "winner_code": "nullif(winner_code, '')",
        "bidder_count": "bidder_count",
        "is_electronic": "case when is_electronic then '是' else '否' end",
        "is_remote_evaluation": "case when is_electronic and is_remote_evaluation then '是' else '否' end",
        "tenderer_code": "tenderer_code", "agency_code": "nullif(agency_code, '')",
        "publish_date": "publish_date", "bid_open_date": "bid_open_date",
    }, "deals", path)


def _of_sections(deals: dict[str, np.ndarray], rows: dict[str, np.ndarray],
                 names: dict[str, str]) -> dict[str, np.ndarray]:
    """A bidder's rows (securities, bids: ``deal`` the index of their section) with their
    section's codes and the bidder's name."""
    return {**rows, "bidder_name": np.array([names.get(code, "") for code in rows["bidder_code"]]),
            "tender_project_code": deals["tender_project_code"][rows["deal"]],
            "bid_section_code": deals["bid_section_code"][rows["deal"]]}


def _write_securities(con: duckdb.DuckDBPyConnection, deals: dict[str, np.ndarray],
                      securities: dict[str, np.ndarray], names: dict[str, str], path: Path) -> None:
    _write(con, _of_sections(deals, securities, names), {
        "security_id": "security_id", "tender_project_code": "tender_project_code",
        "bid_section_code": "bid_section_code", "bidder_code": "bidder_code",
        "bidder_name": "nullif(bidder_name, '')", "security_kind": "security_kind", "pay_form": "pay_form",
        "amount": _amount_sql("amount_fen"),
        "received_date": "received_date", "issuer": "nullif(issuer, '')",
        "guarantee_fee": _amount_sql("fee_fen"),
        "payer_account": "nullif(payer_account, '')", "payer_name": "nullif(payer_name, '')",
    }, "securities", path)


def _write_refunds(con: duckdb.DuckDBPyConnection, refunds: dict[str, np.ndarray], path: Path) -> None:
    _write(con, refunds, {
        "refund_id": "refund_id", "security_id": "security_id", "refund_type": "refund_type",
        "settle_date": "settle_date", "refund_amount": _amount_sql("refund_fen"),
        "interest_amount": _amount_sql("interest_fen"), "refund_route": "refund_route",
    }, "refunds", path)


def _write_bids(con: duckdb.DuckDBPyConnection, deals: dict[str, np.ndarray], bids: dict[str, np.ndarray],
                names: dict[str, str], path: Path) -> None:
    _write(con, _of_sections(deals, bids, names), {
        "tender_project_code": "tender_project_code", "bid_section_code": "bid_section_code",
        "bidder_code": "bidder_code", "bidder_name": "nullif(bidder_name, '')",
        "bid_price": _amount_sql("price_fen"), "bid_status": "bid_status", "bid_time": "bid_time",
    }, "bids", path)


def generate(out: Path, months: int, scale: float = 1.0, seed: int = 1, start: date = date(2024, 1, 1),
             progress: Callable[[str], None] = lambda _: None) -> list[Path]:
    """Write ``deals_YYYY-MM.csv``, ``securities_…``, ``refunds_…`` and ``bids_…`` for each month."""
    out.mkdir(parents=True, exist_ok=True)
    regions = _regions()
    n_bidders = max(FEWEST_BIDDERS, int(BIDDERS_PER_DEALS * DEALS_PER_MONTH * scale))
    bidders = _uscc(np.random.default_rng([seed, 0]), n_bidders)
    parties = _parties(seed, bidders, scale)
    names = _names(parties["companies"])
    pending = PendingRefunds({})
    written: list[Path] = []
    con = duckdb.connect()
    for i in range(months):
        month = date(start.year + (start.month - 1 + i) // 12, (start.month - 1 + i) % 12 + 1, 1)
        rng = np.random.default_rng([seed, i + 1])
        deals = _deals(rng, month, int(DEALS_PER_MONTH * scale), regions, bidders)
        securities = _securities(rng, month, deals, bidders)
        events = _refund_events(rng, deals, securities, month)
        _plant_ring_and_cover(np.random.default_rng([seed, i + 1, 3]), i, deals, securities, parties)
        _risk_columns(np.random.default_rng([seed, i + 1, 1]), deals, securities, parties, names)
        pending.add(events)
        refunds = pending.take(_month_end(month))
        bids = _bids(np.random.default_rng([seed, i + 1, 2]), deals, securities)
        paths = [out / f"{k}_{month:%Y-%m}.csv" for k in FILE_KINDS]
        _write_deals(con, deals, paths[0])
        _write_securities(con, deals, securities, names, paths[1])
        _write_refunds(con, refunds, paths[2])
        _write_bids(con, deals, bids, names, paths[3])
        written += paths
        progress(f"{month:%Y-%m}: {len(deals['deal_date']):,} deals, "
                 f"{len(securities['security_id']):,} securities, {len(refunds['refund_id']):,} refunds, "
                 f"{len(bids['deal']):,} bids")
    return written
