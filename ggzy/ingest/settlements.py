"""The rules that tie refunds to their security, checked on the current rows after a change.

A refunds file is checked against the current securities by its suite (expectations/
input_refunds.json). Every change from the other side — a securities file, new or replacing, a
``--replace`` that withdraws securities, ``ggzy unload`` — is checked here, inside the change's
transaction, on what would then be current: so the marts' suites (nothing outstanding below
zero, only cash refunded) can only fail for a bug, never for data that was let in.
"""

from dataclasses import dataclass

import duckdb

from ggzy.common.contract import BY_NAME
from ggzy.common.findings import Finding
from ggzy.ingest.current import current_sql

RULES = {  # rule: (the column it is about, 中文, English), in the order they are checked
    "settled_security_withdrawn": ("security_id", "保证金已有退还记录，不能撤下（先撤回或更正其退还记录）",
                                   "the security has settlements and cannot be withdrawn (retract or "
                                   "correct its refunds first)"),
    "settled_security_not_cash": ("pay_form", "保证金已有退还记录，递交方式不能改为保函",
                                  "the security has settlements: it cannot become a guarantee"),
    "amount_below_settled": ("amount", "金额低于已退还的合计",
                             "the amount is below what was already settled"),
    "received_after_settled": ("received_date", "递交时间晚于已有的退还日期",
                               "received after it was already settled"),
}


@dataclass
class Conflict:
    security_id: str
    rule: str
    load_id: int | None  # the security's current version (None: withdrawn)
    line_number: int | None
    values: dict[str, str]  # its current amount, pay_form, received_date
    refunds: str  # "R1 (load #5), R2 (load #7)"
    settled: str

    def finding(self, load_id: int | None, spelled: dict[str, str] | None = None) -> Finding:
        """As a finding of load ``load_id`` (columns as ``spelled`` in its file): with its line
        and value when the security came from it, else naming the security."""
        column, zh, en = RULES[self.rule]
        detail = f"{self.security_id}: {self.refunds}, 合计 settled {self.settled}"
        line = self.line_number if load_id is not None and self.load_id == load_id else None
        return Finding(line, (spelled or {}).get(column, column),
                       self.values.get(column) if line else self.security_id, self.rule,
                       f"{zh}（{detail}）", f"{en} ({detail})")


def conflicts(con: duckdb.DuckDBPyConnection, catalog: str, security_ids: str) -> list[Conflict]:
    """The rules broken by the current rows of the securities in ``security_ids`` (a query of
    ``security_id``) and their current refunds."""
    ids = f"select security_id from ({security_ids})"
    securities = current_sql(BY_NAME["securities"], catalog, ids)
    refunds = current_sql(BY_NAME["refunds"], catalog,
                          f"select refund_id from {catalog}.raw.refunds where security_id in ({ids})")
    rules = list(RULES)
    return [Conflict(*row) for row in con.execute(f"""
        with settled as (
            select security_id, sum(refund_amount) as amount, min(settle_date) as first_date,
                string_agg(refund_id || ' (load #' || load_id || ')', ', '
                           order by refund_id) as refunds
            from ({refunds}) group by security_id
        ),
        checked as (
            select settled.security_id, s.load_id, s.line_number,
                {{'amount': s.amount::varchar, 'pay_form': s.pay_form,
                  'received_date': s.received_date::varchar}} as values,
                settled.refunds, settled.amount::varchar as settled,
                case
                    when s.security_id is null then '{rules[0]}'
                    when s.pay_form <> 'cash' then '{rules[1]}'
                    when s.amount < settled.amount then '{rules[2]}'
                    when s.received_date > settled.first_date then '{rules[3]}'
                end as rule
            from settled left join ({securities}) as s on s.security_id = settled.security_id
        )
        select security_id, rule, load_id, line_number, values, refunds, settled
        from checked where rule is not null order by line_number nulls last, security_id
    """).fetchall()]
