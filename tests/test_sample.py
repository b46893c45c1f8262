"""``ggzy sample``: deterministic, and what it writes loads with zero errors (ggzy/sample.py)."""

import hashlib

from conftest import query

from ggzy.ingest.load import load_files
from ggzy.sample import generate


def _digest(paths) -> list[str]:
    return [hashlib.sha256(p.read_bytes()).hexdigest() for p in paths]


def test_three_sample_months_load_with_zero_errors(tmp_path, home):
    files = generate(tmp_path / "sample", months=3, scale=0.2, seed=7)
    assert [p.name for p in files[:4]] == ["deals_2024-01.csv", "securities_2024-01.csv",
                                          "refunds_2024-01.csv", "bids_2024-01.csv"]
    outcomes = load_files(files, home)
    assert [o.status for o in outcomes] == ["landed"] * 12
    assert not [f for o in outcomes for f in o.findings if f.severity == "error"]
    (n_deals,), = query(home, "select count(*) from raw.deals")
    assert n_deals == 3 * 1000
    # realistic shape: most guarantees replace cash, savings around 5-15 %, e-bidding around 90 %
    (guarantee_share,), = query(home, "select avg((pay_form <> 'cash')::int) from raw.securities")
    assert 0.6 < guarantee_share < 0.9
    (savings_rate,), = query(home, """select sum(budget_amount - deal_amount) / sum(budget_amount)
        from raw.deals where deal_status = 'concluded'
          and trade_category in ('engineering', 'government_procurement')""")
    assert 0.05 < savings_rate < 0.15
    (e_rate,), = query(home, "select avg(is_electronic::int) from raw.deals")
    assert 0.85 < e_rate < 0.95
    (never_refunded,), = query(home, """select count(*) from raw.securities s
        where pay_form = 'cash' and security_kind = 'bid'
          and not exists (select 1 from raw.refunds r where r.security_id = s.security_id)""")
    assert never_refunded > 0


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path):
    a = generate(tmp_path / "a", months=2, scale=0.05, seed=3)
    b = generate(tmp_path / "b", months=2, scale=0.05, seed=3)
    c = generate(tmp_path / "c", months=2, scale=0.05, seed=4)
    assert _digest(a) == _digest(b)
    assert _digest(a) != _digest(c)
