{#- Each section's cash bid deposits by payer account (its keyed hash): how many of the section's
    bidders paid from it — shared_account's figure (mart_risk_flags) and what its evidence lists
    (mart_risk_evidence). A deposit whose section has no deal (no attempt) serves no flag. -#}
{{ config(materialized='view') }}
select
    tender_project_code,
    bid_section_code,
    attempt_month,
    payer_account,
    count(distinct upper(bidder_code)) as n_bidders
from {{ ref_in_view('fct_securities') }}
where
    security_kind = 'bid'
    and pay_form = 'cash'
    and payer_account is not null
    and attempt_month is not null
group by all
