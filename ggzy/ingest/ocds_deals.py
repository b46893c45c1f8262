"""An OCDS compiled release → deals rows, one per lot (a tender without lots is one virtual lot),
and bids rows, one per lot and bidder of ``bids.details``.

Each row is what a deals or bids file would say, as text, in the contract's columns, with the
JSON path each value came from, so that a rule that fails on it names the ocid, the release and
the path. ``MAPPING`` and ``BID_MAPPING`` are the one statement of where each column comes from
(docs/data-contract.md, "OCDS", is generated from them). Amounts are Decimal from the JSON text:
a lot's awards are added exactly and the total rounded to the fen. A value in another currency
than the warehouse's, or a currency that is no ISO 4217 code, is an error; nothing is converted.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from ggzy.common.codes import aliases, codes_of
from ggzy.common.findings import Finding, Severity
from ggzy.common.ocds import REGION_BUYER, currencies

VIRTUAL_LOT = "1"  # the bid section code of a tender that has no lots
PLACEHOLDERS = (Decimal("0"), Decimal("0.01"))  # amounts publishers write for "no value"
FEN = Decimal("0.01")
SUBMITTED_BIDS = ("pending", "valid", "disqualified")
ELECTRONIC_METHODS = ("electronicSubmission", "electronicAuction")
TENDER_MODES = {"open": "open_tender", "selective": "invited_tender", "limited": "limited",
                "direct": "single_source"}  # procurementMethod → seeds/tender_modes.csv
TRADE_CATEGORIES = {"works": "engineering", "goods": "government_procurement",  # → seeds/trade_categories.csv
                    "services": "government_procurement"}
STATUSES = {"cancelled": "terminated", "withdrawn": "terminated", "unsuccessful": "failed"}
# a bid's status → seeds/bid_statuses.csv; invited and pending bids are no bid evaluated (yet)
BID_STATUSES = ("valid", "disqualified", "withdrawn")
# an item classification scheme of ggzy's own: its id is a trade category (seeds/trade_categories.csv)
CATEGORY_SCHEME = "GGZY-TRADE-CATEGORY"

# column → (where it comes from, the rule), in the order of docs/data-contract.md's OCDS table
MAPPING: dict[str, tuple[str, str]] = {
    "tender_project_code": ("`ocid`", "as is"),
    "bid_section_code": ("`tender.lots[].id`", f"a tender without lots is one lot, `{VIRTUAL_LOT}`"),
    "region_code": ("the buyer's `parties[].address.region` (OCDS 1.0: `buyer.address.region`)",
                    "a region code of seeds/regions.csv (as ggzy's export writes it), or a region a "
                    "mapping file's `[values.region_code]` maps to one (`--mapping`); anything else, "
                    "or none: the row counts under 地区未知 unknown region"),
    "trade_category": (f"`tender.items[].classification` of scheme `{CATEGORY_SCHEME}`, else "
                       "`tender.mainProcurementCategory`",
                       "the item's (of the lot, else of the tender) id when it is a trade category "
                       "(ggzy's export writes it); else works → engineering; goods, services → "
                       "government_procurement; else other"),
    "tender_mode": ("`tender.techniques.hasFrameworkAgreement`, `tender.procurementMethodDetails`, "
                    "`tender.procurementMethod`",
                    "a framework agreement → framework_agreement; method details naming a tender mode "
                    "(its code, name or alias in seeds/tender_modes.csv: 竞争性谈判, 框架协议) → that "
                    "mode; open → open_tender, selective → invited_tender, limited → limited, direct "
                    "→ single_source; else other. The details, as text, stay in the release "
                    "(`raw.ocds_releases`)"),
    "budget_amount": ("`tender.lots[].value`, else `tender.value`",
                      "the tender's value only for its one lot; 0 and 0.01 are no value (warning)"),
    "deal_amount": ("`awards[].value` of the lot's active awards",
                    "their exact sum rounded to the fen; unsuccessful, cancelled and pending awards "
                    "never count. An award's lot: `relatedLots` (ids or `{\"lotId\": …}`), else "
                    "`lotID`, else its items' `relatedLot`, else the tender's only lot"),
    "deal_status": ("`tender.lots[].status`, else `tender.status`",
                    "cancelled, withdrawn → terminated; unsuccessful → failed; complete → concluded "
                    "with an active award, else failed; active or none with an active award → "
                    "concluded, without one → not a deal yet (no row)"),
    "deal_date": ("`awards[].date`, else the release's `date`",
                  "the earliest active award's date (the date as written, time and zone dropped)"),
    "contract_sign_date": ("`contracts[].dateSigned`", "the earliest of the contracts of the lot's awards"),
    "winner_code": ("`awards[].suppliers[].id`", "the first supplier of the earliest active award"),
    "bidder_count": ("`bids.statistics`, else `bids.details`, else `tender.numberOfTenderers`",
                     "the statistic `bidders` of the lot (the publisher's own count); else distinct "
                     "tenderers of the lot's submitted bids (pending, valid, disqualified); else "
                     "numberOfTenderers for a one-lot tender; else unknown (never 0)"),
    "is_electronic": ("`tender.submissionMethod`, `tender.techniques.hasElectronicAuction`, "
                      "`tender.submissionTerms.electronicSubmissionPolicy`",
                      "electronicSubmission or electronicAuction → yes; another method → no; "
                      "else an electronic auction or a required electronic submission → yes, "
                      "not allowed → no; else unknown"),
}

# bids column → (where it comes from, the rule), in the order of docs/data-contract.md's OCDS bids table
BID_MAPPING: dict[str, tuple[str, str]] = {
    "tender_project_code": ("`ocid`", "as is"),
    "bid_section_code": ("`bids.details[].relatedLots`", "a bid of a tender without lots, or of a tender "
                         f"of one lot that names none, is of its one lot (`{VIRTUAL_LOT}` without lots)"),
    "bidder_code": ("`bids.details[].tenderers[].id`",
                    "the first tenderer (a consortium's bid is its first member's); a bid without one is "
                    "left out (warning `ocds_bid_without_tenderer`)"),
    "bid_price": ("`bids.details[].value`", "as an award's value: the warehouse's currency only, "
                  "0 and 0.01 are no value"),
    "bid_status": ("`bids.details[].status`", "valid, disqualified, withdrawn as they are; invited and "
                   "pending bids are not yet bids evaluated: left out"),
    "bid_time": ("`bids.details[].date`, else `tender.bidOpening.date`, else `tender.tenderPeriod.endDate`, "
                 "else the deal's date", "the day as written; a bid is in by bid opening, the deadline"),
}
BID_KEPT = "one row per bidder and lot: its valid bid before a disqualified one before a withdrawn one, " \
           "and of those its lowest price"


@dataclass
class ReleaseRow:
    ocid: str
    release_id: str
    values: dict[str, str | None] = field(default_factory=dict)  # contract column → text
    paths: dict[str, str] = field(default_factory=dict)  # contract column → JSON path of its value


def location(ocid: str, release_id: str, path: str) -> str:
    """Where in the JSON a finding is: what an error report's column says for an OCDS row."""
    return f"ocid {ocid} · release {release_id} · {path}"


def _finding(release: dict, path: str, value: object, rule: str, zh: str, en: str,
             severity: Severity = "error") -> Finding:
    return Finding(None, location(release.get("ocid", ""), str(release.get("id", "")), path),
                   None if value is None else str(value), rule, zh, en, severity)


def _date(text: object) -> str | None:
    return text[:10] if isinstance(text, str) and len(text) >= 10 else None


class _Reader:
    """One compiled release's values, with the findings its amounts raise."""

    def __init__(self, release: dict, currency: str) -> None:
        self.release, self.currency = release, currency
        self.findings: list[Finding] = []
        self.tender = release.get("tender") if isinstance(release.get("tender"), dict) else {}

    def amount(self, value: object, path: str) -> Decimal | None:
        """A Value's amount in the warehouse's currency; None (with a finding) when it has none."""
        if not isinstance(value, dict) or value.get("amount") is None:
            return None
        said = value.get("currency")
        if said is not None and said not in currencies():
            self.findings.append(_finding(self.release, f"{path}.currency", said, "ocds_currency_unknown",
                                          "不是 ISO 4217 货币代码", "not an ISO 4217 currency code"))
            return None
        if said is not None and said != self.currency:
            self.findings.append(_finding(
                self.release, f"{path}.currency", said, "ocds_currency_other",
                f"币种与数据仓库的 {self.currency} 不同（不做换算）",
                f"a currency other than the warehouse's {self.currency} (never converted)"))
            return None
        try:
            amount = Decimal(str(value["amount"]))
        except (InvalidOperation, ValueError):
            self.findings.append(_finding(self.release, f"{path}.amount", value["amount"], "ocds_amount",
                                          "金额不是数字", "the amount is not a number"))
            return None
        if amount in PLACEHOLDERS:
            self.findings.append(_finding(self.release, f"{path}.amount", value["amount"],
                                          "ocds_placeholder_value", "占位金额，视为未填",
                                          "a placeholder amount, taken as no value", "warning"))
            return None
        return amount


def _lots(tender: dict) -> tuple[list[tuple[int, dict]], list[str]]:
    """The tender's lots (with their places) and their ids; a tender without lots is one lot."""
    lots = [(i, lot) for i, lot in enumerate(tender.get("lots") or []) if isinstance(lot, dict)]
    return lots, [str(lot.get("id")) for _, lot in lots] or [VIRTUAL_LOT]


def _lot_ids(award: dict, items_lot: dict[str, str], lots: list[str]) -> list[str]:
    """The lots an award is for: relatedLots (ids, or {"lotId": …} as Armenia writes them), else
    ProZorro's lotID, else its items' relatedLot, else the tender's only lot."""
    related = [r.get("lotId") if isinstance(r, dict) else r for r in award.get("relatedLots") or []]
    if related := [str(r) for r in related if r is not None]:
        return related
    if award.get("lotID") is not None:
        return [str(award["lotID"])]
    by_items = {items_lot[str(i.get("id"))] for i in award.get("items") or [] if isinstance(i, dict)
                and str(i.get("id")) in items_lot}
    by_items |= {str(i["relatedLot"]) for i in award.get("items") or [] if isinstance(i, dict)
                 and i.get("relatedLot") is not None}
    if by_items:
        return sorted(by_items)
    return lots if len(lots) == 1 else []


def _for_lot(entries: list[tuple[int, dict]], lot: str, n_lots: int, key: str) -> list[tuple[int, dict]]:
    """Bids or statistics of the lot: those relating to it, or, for a one-lot tender, unrelated ones."""
    def related(entry: dict) -> list[str]:
        said = entry.get(key)
        return [str(s) for s in (said if isinstance(said, list) else [said]) if s is not None]
    return [(i, e) for i, e in entries if lot in related(e) or (n_lots == 1 and not related(e))]


def _bidder_count(release: dict, tender: dict, lot: str, n_lots: int) -> tuple[str | None, str]:
    bids = release.get("bids") if isinstance(release.get("bids"), dict) else {}
    statistics = [(i, s) for i, s in enumerate(bids.get("statistics") or []) if isinstance(s, dict)
                  and s.get("measure") == "bidders" and s.get("value") is not None]
    if stated := _for_lot(statistics, lot, n_lots, "relatedLot"):
        i, statistic = stated[0]
        return str(statistic["value"]), f"bids.statistics[{i}].value"
    details = [(i, b) for i, b in enumerate(bids.get("details") or []) if isinstance(b, dict)]
    submitted = [(i, b) for i, b in _for_lot(details, lot, n_lots, "relatedLots")
                 if b.get("status") in SUBMITTED_BIDS]
    if submitted:
        tenderers = {str(t.get("id")) if isinstance(t, dict) else str(t)
                     for _, b in submitted for t in b.get("tenderers") or [None]}
        return str(len(tenderers)), "bids.details"
    if n_lots == 1 and tender.get("numberOfTenderers") is not None:
        return str(tender["numberOfTenderers"]), "tender.numberOfTenderers"
    return None, ""


def _electronic(tender: dict) -> tuple[str | None, str]:
    methods = tender.get("submissionMethod") or []
    if methods:
        return ("Y" if set(methods) & set(ELECTRONIC_METHODS) else "N"), "tender.submissionMethod"
    techniques = tender.get("techniques") if isinstance(tender.get("techniques"), dict) else {}
    if techniques.get("hasElectronicAuction") is True:
        return "Y", "tender.techniques.hasElectronicAuction"
    terms = tender.get("submissionTerms") if isinstance(tender.get("submissionTerms"), dict) else {}
    policy = {"required": "Y", "notAllowed": "N"}.get(terms.get("electronicSubmissionPolicy"))
    return policy, "tender.submissionTerms.electronicSubmissionPolicy" if policy else ""


def _tender_mode(tender: dict) -> tuple[str, str]:
    techniques = tender.get("techniques") if isinstance(tender.get("techniques"), dict) else {}
    if techniques.get("hasFrameworkAgreement") is True:
        return "framework_agreement", "tender.techniques.hasFrameworkAgreement"
    details = str(tender.get("procurementMethodDetails") or "").strip().lower()
    if named := dict(aliases("tender_modes")).get(details):
        return named, "tender.procurementMethodDetails"
    return TENDER_MODES.get(tender.get("procurementMethod"), "other"), "tender.procurementMethod"


def _region(release: dict) -> tuple[str | None, str]:
    """The buyer's address region, as written: a region code, or what a mapping file's
    ``[values.region_code]`` maps to one (else the row's region is unknown)."""
    buyer = release.get("buyer") if isinstance(release.get("buyer"), dict) else {}

    def is_buyer(party: dict) -> bool:
        return "buyer" in (party.get("roles") or []) or (buyer.get("id") is not None
                                                          and party.get("id") == buyer.get("id"))
    parties = enumerate(release.get("parties") or [])
    addresses = [(f"parties[{i}].address", p.get("address")) for i, p in parties
                 if isinstance(p, dict) and is_buyer(p)]
    for path, address in [*addresses, ("buyer.address", buyer.get("address"))]:
        if isinstance(address, dict) and address.get("region") is not None:
            return str(address["region"]), f"{path}.region"
    return None, ""


def _tenderer_and_agency(release: dict, tender: dict) -> dict[str, tuple[str | None, str]]:
    """招标人 as the buyer's id (not a region ggzy's export names as the buyer), 招标代理机构 as the
    procuring entity's id when it is not the buyer; each with its path."""
    buyer = release.get("buyer") if isinstance(release.get("buyer"), dict) else {}
    entity = tender.get("procuringEntity") if isinstance(tender.get("procuringEntity"), dict) else {}
    buyer_id = None if buyer.get("id") is None else str(buyer["id"])
    entity_id = None if entity.get("id") is None else str(entity["id"])
    tenderer = None if buyer_id is None or buyer_id.startswith(REGION_BUYER) else buyer_id
    agency = entity_id if entity_id != buyer_id else None
    return {"tenderer_code": (tenderer, "buyer.id"), "agency_code": (agency, "tender.procuringEntity.id")}


def _bid_dates(tender: dict) -> dict[str, tuple[str | None, str]]:
    """The notice's date as the tender period's start; bid opening as the bid opening extension's
    date, else the period's end (the deadline for bids)."""
    period = tender.get("tenderPeriod") if isinstance(tender.get("tenderPeriod"), dict) else {}
    opening = tender.get("bidOpening") if isinstance(tender.get("bidOpening"), dict) else {}
    opened = (_date(opening.get("date")), "tender.bidOpening.date") if _date(opening.get("date")) \
        else (_date(period.get("endDate")), "tender.tenderPeriod.endDate")
    return {"publish_date": (_date(period.get("startDate")), "tender.tenderPeriod.startDate"),
            "bid_open_date": opened}


def _category(tender: dict, lot: str | None) -> tuple[str, str]:
    """The trade category of ggzy's own item classification (the lot's items first), else the
    main procurement category's."""
    items = [(i, item) for i, item in enumerate(tender.get("items") or []) if isinstance(item, dict)]
    for i, item in sorted(items, key=lambda pair: str(pair[1].get("relatedLot")) != lot):
        said = item.get("classification") if isinstance(item.get("classification"), dict) else {}
        if said.get("scheme") == CATEGORY_SCHEME and said.get("id") in codes_of("trade_categories"):
            return said["id"], f"tender.items[{i}].classification.id"
    said = tender.get("mainProcurementCategory")
    return TRADE_CATEGORIES.get(said, "other"), "tender.mainProcurementCategory"


def deal_rows(release: dict, currency: str) -> tuple[list[ReleaseRow], list[Finding]]:
    """The deals rows of one compiled release, and what its values raised (errors reject the file)."""
    reader = _Reader(release, currency)
    tender = reader.tender
    ocid, release_id = str(release.get("ocid")), str(release.get("id", ""))
    lots, lot_ids = _lots(tender)
    items_lot = {str(i.get("id")): str(i["relatedLot"]) for i in tender.get("items") or []
                 if isinstance(i, dict) and i.get("relatedLot") is not None}
    awards = [(i, a) for i, a in enumerate(release.get("awards") or []) if isinstance(a, dict)]
    active = [(i, a, _lot_ids(a, items_lot, lot_ids)) for i, a in awards if a.get("status") == "active"]
    for i, _award, linked in active:
        if not linked:
            reader.findings.append(_finding(release, f"awards[{i}]", None, "ocds_award_without_lot",
                                            "有效授标无法对应到标段，未计入", "an active award that "
                                            "belongs to no lot, not counted", "warning"))
    contracts = [(i, c) for i, c in enumerate(release.get("contracts") or []) if isinstance(c, dict)]
    electronic, electronic_path = _electronic(tender)
    mode, mode_path = _tender_mode(tender)
    region, region_path = _region(release)
    said = _tenderer_and_agency(release, tender) | _bid_dates(tender)  # the same for every lot
    rows = []
    for position, lot_id in enumerate(lot_ids):
        index, lot = lots[position] if lots else (None, {})
        row = ReleaseRow(ocid, release_id)
        lot_path = f"tender.lots[{index}]" if index is not None else "tender"
        won = sorted(((i, a) for i, a, linked in active if lot_id in linked),
                     key=lambda pair: str(pair[1].get("date") or ""))
        status = lot.get("status") or tender.get("status")
        row.paths["deal_status"] = f"{lot_path}.status" if lot.get("status") else "tender.status"
        if status in STATUSES:
            deal_status = STATUSES[status]
        elif won:
            deal_status = "concluded"
        elif status == "complete":
            deal_status = "failed"
        else:
            continue  # still open: not a deal yet
        amounts = [reader.amount(a.get("value"), f"awards[{i}].value") for i, a in won]
        known = [amount for amount in amounts if amount is not None]
        deal = sum(known, Decimal(0)).quantize(FEN, ROUND_HALF_UP) if known else None
        budget_path = f"{lot_path}.value"
        budget = reader.amount(lot.get("value"), budget_path) if lots else None
        if budget is None and len(lot_ids) == 1:
            budget_path = "tender.value"
            budget = reader.amount(tender.get("value"), budget_path)
        dated = [(i, _date(a.get("date"))) for i, a in won if _date(a.get("date"))]
        deal_date, date_path = (dated[0][1], f"awards[{dated[0][0]}].date") if dated \
            else (_date(release.get("date")), "date")
        if deal_date is None:
            reader.findings.append(_finding(release, "date", None, "ocds_no_date",
                                            "没有日期：不能计入任何月份，未作为成交记录",
                                            "no date: it cannot be placed in a month, not taken as a deal",
                                            "warning"))
            continue
        award_ids = {str(a.get("id")) for _, a in won}
        signed = sorted((_date(c.get("dateSigned")), i) for i, c in contracts
                        if str(c.get("awardID")) in award_ids and _date(c.get("dateSigned")))
        winners = [(i, s) for i, a in won[:1] for s in a.get("suppliers") or [] if isinstance(s, dict)]
        bidders, bidders_path = _bidder_count(release, tender, lot_id, len(lot_ids))
        category, category_path = _category(tender, lot_id if lots else None)
        row.values = {
            "tender_project_code": ocid, "bid_section_code": lot_id, "region_code": region,
            "trade_category": category, "tender_mode": mode,
            "budget_amount": None if budget is None else str(budget.quantize(FEN, ROUND_HALF_UP)),
            "deal_amount": None if deal is None else str(deal), "deal_status": deal_status,
            "deal_date": deal_date, "contract_sign_date": signed[0][0] if signed else None,
            "winner_code": str(winners[0][1].get("id")) if winners else None,
            "bidder_count": bidders, "is_electronic": electronic,
            **{column: value for column, (value, _) in said.items()},
        }
        row.paths.update({
            "tender_project_code": "ocid", "bid_section_code": f"{lot_path}.id" if lots else "tender",
            "region_code": region_path or "parties", "trade_category": category_path,
            "tender_mode": mode_path,
            "budget_amount": f"{budget_path}.amount",
            "deal_amount": ", ".join(f"awards[{i}].value.amount" for i, _ in won) or "awards",
            "deal_date": date_path, "bidder_count": bidders_path or "bids",
            "contract_sign_date": f"contracts[{signed[0][1]}].dateSigned" if signed else "contracts",
            "winner_code": f"awards[{winners[0][0]}].suppliers[0].id" if winners else "awards",
            "is_electronic": electronic_path or "tender.submissionMethod",
            **{column: path for column, (_, path) in said.items()},
        })
        rows.append(row)
    return rows, reader.findings


def bid_rows(release: dict, currency: str, deals: list[ReleaseRow]
             ) -> tuple[list[ReleaseRow], list[Finding]]:
    """The bids rows of the lots of one compiled release that are ``deals`` (its deal_rows: a lot
    not yet a deal has no bids here either), by BID_MAPPING and BID_KEPT, and what their values
    raised."""
    reader = _Reader(release, currency)
    ocid, release_id = str(release.get("ocid")), str(release.get("id", ""))
    _, lot_ids = _lots(reader.tender)
    said = release.get("bids") if isinstance(release.get("bids"), dict) else {}
    details = [(i, b) for i, b in enumerate(said.get("details") or []) if isinstance(b, dict)]
    opened = _bid_dates(reader.tender)["bid_open_date"]
    rows: dict[tuple[str, str], tuple[tuple, ReleaseRow]] = {}
    for deal in deals:
        lot = deal.values["bid_section_code"]
        for i, bid in _for_lot(details, lot, len(lot_ids), "relatedLots"):
            if bid.get("status") not in BID_STATUSES:
                continue
            tenderers = [t for t in bid.get("tenderers") or []
                         if isinstance(t, dict) and t.get("id") is not None]
            if not tenderers:
                reader.findings.append(_finding(release, f"bids.details[{i}].tenderers", None,
                                                "ocds_bid_without_tenderer", "投标没有投标人，未计入",
                                                "a bid without a tenderer, not taken", "warning"))
                continue
            price = reader.amount(bid.get("value"), f"bids.details[{i}].value")
            day, day_path = next((day, path) for day, path in (
                (_date(bid.get("date")), f"bids.details[{i}].date"), opened,
                (deal.values["deal_date"], deal.paths["deal_date"])) if day)
            row = ReleaseRow(ocid, release_id, {
                "tender_project_code": ocid, "bid_section_code": lot, "bidder_code": str(tenderers[0]["id"]),
                "bid_price": None if price is None else str(price.quantize(FEN, ROUND_HALF_UP)),
                "bid_status": bid["status"], "bid_time": day,
            }, {"tender_project_code": "ocid", "bid_section_code": f"bids.details[{i}].relatedLots",
                "bidder_code": f"bids.details[{i}].tenderers[0].id",
                "bid_price": f"bids.details[{i}].value.amount", "bid_status": f"bids.details[{i}].status",
                "bid_time": day_path})
            rank = (BID_STATUSES.index(bid["status"]), price is None, price or 0)
            key = (lot, row.values["bidder_code"])
            if key not in rows or rank < rows[key][0]:
                rows[key] = (rank, row)
    return [row for _, row in rows.values()], reader.findings
