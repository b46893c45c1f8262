{#- Two bidders (codes in upper case) who paid cash bid deposits from one payer account (its keyed
    hash), in any sections: each couple of their deposits, dated by the later, with the days
    between — shared_account_pair's figure (mart_risk_flags: the fewest days in a year) and what
    its evidence lists (mart_risk_evidence). A view: read once by each. -#}
{{ config(materialized='view') }}
with
deposits as (
    select
        security_id,
        upper(bidder_code) as bidder_code,
        payer_account,
        received_date
    from {{ ref_in_view('fct_securities') }}
    where security_kind = 'bid' and pay_form = 'cash' and payer_account is not null
)

select
    date_trunc('year', greatest(a.received_date, b.received_date))::date as period,
    a.bidder_code as bidder_a,
    b.bidder_code as bidder_b,
    a.payer_account,
    a.security_id as security_a,
    b.security_id as security_b,
    abs(b.received_date - a.received_date) as n_days
from deposits as a
inner join deposits as b on a.payer_account = b.payer_account and a.bidder_code < b.bidder_code
