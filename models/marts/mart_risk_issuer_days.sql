{#- Each section's bid guarantees (投标保证金 as a guarantee) by issuer and day: how many of the
    section's bidders one issuer served that day — guarantee_cluster's figure (mart_risk_flags)
    and what its evidence lists (mart_risk_evidence). An unknown issuer is a row of its own. -#}
{{ config(materialized='view') }}
select
    tender_project_code,
    bid_section_code,
    attempt_month,
    issuer,
    received_date,
    count(distinct bidder_code) as n_bidders
from {{ ref_in_view('fct_securities') }}
where security_kind = 'bid' and is_guarantee
group by all
