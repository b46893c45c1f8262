"""``ggzy export ocds``: the published snapshot's deals as OCDS 1.1 compiled releases, one JSON
line each, that ggzy's own import reads back to the same figures (docs/data-contract.md, "OCDS").

A contracting process is a tender project's attempt (a section tendered again after it failed is
a new process), its sections as lots. A process is tendered one way: the sections of an attempt
that differ in trade category, tender mode, e-bidding or region — or, not concluded, in date (a
lot without an award is dated by its release) — are published as processes of their own, the
ocid numbered ``-2``, ``-3`` … after the first (so are those of other tenderers, agencies or
notice and bid opening dates). Region is the buyer's address region (its code);
the trade category is an item classification of ggzy's own scheme. OCDS has no place for
deposits, refunds, guarantees, remote evaluation, the platform or the unified deal code.
"""

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb

from ggzy.common.errors import UsageError
from ggzy.common.ocds import REGION_BUYER
from ggzy.ingest.ocds_deals import CATEGORY_SCHEME, TENDER_MODES
from ggzy.serve import dashboard_queries as queries

OCID_PREFIX = re.compile(r"ocds-[0-9a-z]{6}")  # as the OCDS registry assigns them
EXAMPLE_PREFIX = "ocds-xxxxxx"  # a placeholder until the centre registers its own prefix
# the OCDS procurement method a tender mode is published as (its own name goes in the details)
METHODS = {mode: method for method, mode in TENDER_MODES.items()} | {
    "competitive_negotiation": "limited", "competitive_consultation": "limited", "inquiry": "limited",
    "framework_agreement": "open", "auction": "open", "listing": "open"}
MAIN_CATEGORIES = {"engineering": "works"}  # goods or services cannot be told apart: left out
LOT_STATUSES = {"concluded": "complete", "failed": "unsuccessful", "terminated": "cancelled"}
# OCDS field → what it is written from (marts.fct_deals), in the order of docs/data-contract.md's table
FIELDS: dict[str, str] = {
    "`ocid`": "`<prefix>-<tender_project_code>-<attempt month YYYYMM>`, `-2`, `-3` … for the sections of the "
              "attempt tendered otherwise",
    "`id`": "`<ocid>-build-<build id>`: a later export after a new build is a newer release",
    "`date`": "the latest deal date of the process; a lot not concluded: its deal date",
    "`parties`, `buyer`": "the tenderer (招标人) as buyer: id `tenderer_code`; without one, the region: id "
                          "`CN-REGION-<code>`, its name; `address.region` = the region code, "
                          "`address.locality` = its name (no buyer where neither is known); each winner "
                          "as a supplier",
    "`tender.procuringEntity`": "the agency (招标代理机构): id `agency_code`, also a party",
    "`tender.tenderPeriod`": "`startDate` `publish_date` (the tender notice), `endDate` `bid_open_date`",
    "`tender.id`": "`tender_project_code`",
    "`tender.status`": "complete when a section concluded, else unsuccessful or cancelled",
    "`tender.procurementMethod`, `tender.procurementMethodDetails`":
        "the tender mode's method (below) and its Chinese name; a framework agreement also "
        "`techniques.hasFrameworkAgreement`",
    "`tender.mainProcurementCategory`": "works for engineering; otherwise left out (goods and services are "
                                        "not told apart)",
    "`tender.submissionMethod`": "`is_electronic`: electronicSubmission, else written; left out when unknown",
    "`tender.items[].classification`": f"scheme `{CATEGORY_SCHEME}`, id the section's `trade_category`",
    "`tender.lots[]`": "a lot per section: id `bid_section_code`, status (concluded → complete, failed → "
                       "unsuccessful, terminated → cancelled), value `budget_amount`",
    "`bids.statistics[]`": "measure `bidders`: `bidder_count`, related to the lot",
    "`bids.details[]`": "a bid per row of `marts.fct_bids` (the bids files): id `<section>-<bidder>`, status "
                        "`bid_status`, date `bid_time`, tenderer `bidder_code` (also a party, role "
                        "tenderer), value `bid_price`, related to the lot",
    "`awards[]`": "a concluded section's: status active, date `deal_date`, value `deal_amount`, supplier "
                  "`winner_code`, related to the lot",
    "`contracts[]`": "a concluded section's with a `contract_sign_date`: `dateSigned`",
}

DEALS_SQL = """
with section_bids as (
    select tender_project_code, bid_section_code, attempt_month,
        list({'bidder_code': bidder_code, 'bid_price': bid_price, 'bid_status': bid_status,
              'bid_time': bid_time} order by bidder_code) as bids
    from marts.fct_bids
    where attempt_month is not null
    group by all
),
chosen as (
    select deals.*, section_bids.bids, regions.name_zh as region_name, modes.name_zh as mode_name,
        -- a region ggzy knows, not 地区未知
        case when regions.region_level <> 'unknown' then deals.region_code end as buyer_region,
        categories.name_zh as category_name
    from marts.fct_deals as deals
    left join section_bids using (tender_project_code, bid_section_code, attempt_month)
    left join marts.dim_region as regions on deals.region_code = regions.region_code
    left join marts.dim_tender_mode as modes on deals.tender_mode = modes.code
    left join marts.dim_trade_category as categories on deals.trade_category = categories.code
    where ($from::date is null or deals.month >= $from) and ($to::date is null or deals.month <= $to)
        and ($region::varchar is null or $region in (deals.region_code, deals.prefecture_code,
                                                      deals.province_code))
),
alike as (
    -- the sections of an attempt tendered alike; those not concluded by their date, the
    -- concluded ones with the earliest of them
    select *, case when deal_status = 'concluded' then min(deal_date) filter (
            where deal_status <> 'concluded') over tendered_alike
            else deal_date end as process_date
    from chosen
    window tendered_alike as (partition by tender_project_code, attempt_month, trade_category,
                                            tender_mode, is_electronic, region_code, tenderer_code,
                                            agency_code, publish_date, bid_open_date)
)
select *, dense_rank() over (
        partition by tender_project_code, attempt_month
        order by trade_category, tender_mode, is_electronic, region_code, tenderer_code, agency_code,
            publish_date, bid_open_date, process_date nulls first
    ) as process_number
from alike
order by tender_project_code, attempt_month, process_number, bid_section_code
"""


@dataclass(frozen=True)
class Exported:
    path: Path
    n_releases: int
    n_lots: int


def _datetime(day: date) -> str:
    return f"{day:%Y-%m-%d}T00:00:00+08:00"


def _value(amount: Decimal | None, currency: str) -> dict | None:
    return None if amount is None else {"amount": amount, "currency": currency}


def _pruned(thing):
    """Without empty members: OCDS leaves out what is not known."""
    if isinstance(thing, dict):
        kept = {k: _pruned(v) for k, v in thing.items()}
        return {k: v for k, v in kept.items() if v not in (None, [], {})}
    if isinstance(thing, list):
        return [_pruned(v) for v in thing]
    return thing


def json_text(thing) -> str:
    """JSON with every Decimal written with its digits, never through a float."""
    if isinstance(thing, Decimal):
        return f"{thing:f}"
    if isinstance(thing, dict):
        return "{" + ",".join(f"{json.dumps(k)}:{json_text(v)}" for k, v in thing.items()) + "}"
    if isinstance(thing, list):
        return "[" + ",".join(json_text(v) for v in thing) + "]"
    return json.dumps(thing, ensure_ascii=False)


def _buyer(first: dict) -> dict | None:
    """The buyer: the tenderer (招标人) where the deals name one, else the region they are of;
    its address is the region."""
    code, name, tenderer = first["buyer_region"], first["region_name"], first["tenderer_code"]
    address = None if code is None else {"region": code, "locality": name, "countryName": "中国"}
    if tenderer:
        return {"id": tenderer, "name": tenderer, "roles": ["buyer"], "address": address}
    return None if code is None else {
        "id": f"{REGION_BUYER}{code}", "name": name, "roles": ["buyer"], "address": address}


def _agency(first: dict) -> dict | None:
    """The procuring entity: the agency (招标代理机构) where the deals name one other than the
    tenderer (the import reads an agency that is the buyer as none)."""
    agency = first["agency_code"]
    return {"id": agency, "name": agency, "roles": ["procuringEntity"]} \
        if agency and agency != first["tenderer_code"] else None


def _award(lot: dict, currency: str) -> dict:
    winner = lot["winner_code"]
    return {"id": f"{lot['bid_section_code']}-award", "status": "active", "date": _datetime(lot["deal_date"]),
            "value": _value(lot["deal_amount"], currency), "relatedLots": [lot["bid_section_code"]],
            "suppliers": [{"id": winner, "name": winner}] if winner else []}


def _contract(lot: dict) -> dict:
    return {"id": f"{lot['bid_section_code']}-contract", "awardID": f"{lot['bid_section_code']}-award",
            "status": "active", "dateSigned": _datetime(lot["contract_sign_date"])}


def _tender(lots: list[dict], currency: str, agency: dict | None) -> dict:
    first, statuses = lots[0], {lot["deal_status"] for lot in lots}
    electronic = first["is_electronic"]
    return {
        "id": first["tender_project_code"],
        "status": "complete" if "concluded" in statuses
        else LOT_STATUSES[first["deal_status"]] if len(statuses) == 1 else "unsuccessful",
        "procurementMethod": METHODS.get(first["tender_mode"]),
        "procurementMethodDetails": first["mode_name"],
        "mainProcurementCategory": MAIN_CATEGORIES.get(first["trade_category"]),
        "submissionMethod": None if electronic is None
        else ["electronicSubmission" if electronic else "written"],
        "techniques": {"hasFrameworkAgreement": first["tender_mode"] == "framework_agreement" or None},
        "items": [{"id": lot["bid_section_code"], "relatedLot": lot["bid_section_code"],
                   "classification": {"scheme": CATEGORY_SCHEME, "id": lot["trade_category"],
                                      "description": lot["category_name"]}} for lot in lots],
        "lots": [{"id": lot["bid_section_code"], "status": LOT_STATUSES[lot["deal_status"]],
                  "value": _value(lot["budget_amount"], currency)} for lot in lots],
        "procuringEntity": {"id": agency["id"], "name": agency["name"]} if agency else None,
        "tenderPeriod": {"startDate": first["publish_date"] and _datetime(first["publish_date"]),
                         "endDate": first["bid_open_date"] and _datetime(first["bid_open_date"])},
    }


def _bid(lot: dict, bid: dict, currency: str) -> dict:
    bidder = bid["bidder_code"]
    return {"id": f"{lot['bid_section_code']}-{bidder}", "status": bid["bid_status"],
            "date": _datetime(bid["bid_time"]), "tenderers": [{"id": bidder, "name": bidder}],
            "value": _value(bid["bid_price"], currency), "relatedLots": [lot["bid_section_code"]]}


def _companies(concluded: list[dict], lots: list[dict]) -> list[dict]:
    """The winners (role supplier) and bidders (role tenderer) as parties, each once."""
    roles: dict[str, list[str]] = {}
    for code, role in [*((lot["winner_code"], "supplier") for lot in concluded if lot["winner_code"]),
                       *((bid["bidder_code"], "tenderer") for lot in lots for bid in lot["bids"] or [])]:
        if role not in roles.setdefault(code, []):
            roles[code].append(role)
    return [{"id": code, "name": code, "roles": said, "identifier": {"id": code}}
            for code, said in roles.items()]


def compiled_release(ocid: str, release_id: str, lots: list[dict], currency: str) -> dict:
    """One process (its sections as rows of fct_deals, with their bids) as an OCDS compiled release."""
    concluded = [lot for lot in lots if lot["deal_status"] == "concluded"]
    buyer, agency = _buyer(lots[0]), _agency(lots[0])
    statistics = [{"id": f"{lot['bid_section_code']}-bidders", "measure": "bidders",
                   "value": lot["bidder_count"], "relatedLot": lot["bid_section_code"]}
                  for lot in lots if lot["bidder_count"] is not None]
    return _pruned({
        "ocid": ocid, "id": release_id, "tag": ["compiled"], "initiationType": "tender", "language": "zh",
        "date": _datetime(max(lot["process_date"] or lot["deal_date"] for lot in lots)),
        "parties": [party for party in (buyer, agency) if party] + _companies(concluded, lots),
        "buyer": {"id": buyer["id"], "name": buyer["name"]} if buyer else None,
        "tender": _tender(lots, currency, agency),
        "bids": {"statistics": statistics,
                 "details": [_bid(lot, bid, currency) for lot in lots for bid in lot["bids"] or []]},
        "awards": [_award(lot, currency) for lot in concluded],
        "contracts": [_contract(lot) for lot in concluded if lot["contract_sign_date"]],
    })


def _processes(con: duckdb.DuckDBPyConnection, params: dict) -> Iterator[tuple[tuple, list[dict]]]:
    """The chosen deals, a process at a time (its key, its sections)."""
    cursor = con.execute(DEALS_SQL, params)
    names = [d[0] for d in cursor.description]
    key, lots = None, []
    while rows := cursor.fetchmany(10_000):
        for row in rows:
            lot = dict(zip(names, row, strict=True))
            here = (lot["tender_project_code"], lot["attempt_month"], lot["process_number"])
            if here != key and lots:
                yield key, lots
                lots = []
            key = here
            lots.append(lot)
    if lots:
        yield key, lots


def export_ocds(con: duckdb.DuckDBPyConnection, out: Path, prefix: str = EXAMPLE_PREFIX,
                start: date | None = None, end: date | None = None, region: str | None = None) -> Exported:
    """Write the snapshot's deals of the months ``start``..``end`` (first days; None: no bound) and
    the region (a code at any level) to ``out`` as JSON Lines of compiled releases, ocids under
    ``prefix``."""
    if not OCID_PREFIX.fullmatch(prefix):
        raise UsageError(f"ocid 前缀应形如 ocds-xxxxxx（6 个小写字母或数字）/ the ocid prefix is ocds- "
                         "and six lower-case letters or digits, as the OCDS registry assigns it, not "
                         f"{prefix!r} (--prefix)")
    if queries.built_by_another_release(con):
        raise UsageError(queries.STALE)
    params = {"from": start, "to": end, "region": region}
    currency = queries.currency(con)
    build_id = queries.builds(con).query("status == 'published'").iloc[0].build_id
    n_releases = n_lots = 0
    partial = out.with_name(f".{out.name}.partial")
    with partial.open("w", encoding="utf-8") as f:
        for (project, attempt, number), lots in _processes(con, params):
            ocid = f"{prefix}-{project}-{attempt:%Y%m}" + (f"-{number}" if number > 1 else "")
            release = compiled_release(ocid, f"{ocid}-build-{build_id}", lots, currency)
            f.write(json_text(release) + "\n")
            n_releases, n_lots = n_releases + 1, n_lots + len(lots)
    partial.replace(out)
    return Exported(out, n_releases, n_lots)
