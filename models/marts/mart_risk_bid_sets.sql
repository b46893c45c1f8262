{#- Each section's bidders (those who posted a bid security, 投标保证金 in any form, codes in
    upper case) as one sorted list, with its winner where concluded: what the co-bidding flags
    (co_bidding_ring, recurring_co_bidders, bid_rotation in mart_risk_flags) compare, each over
    a year and the one before, and cover_bidder's bidder years (mart_risk_bidder_years). -#}
with
bids as (
    select
        tender_project_code,
        bid_section_code,
        attempt_month,
        list_sort(list_distinct(list(upper(bidder_code)))) as bidders
    from {{ ref('fct_securities') }}
    where security_kind = 'bid' and attempt_month is not null
    group by all
)

select
    deals.tender_project_code,
    deals.bid_section_code,
    deals.attempt_month,
    deals.month,
    date_trunc('year', deals.month)::date as bid_year,
    case when deals.deal_status = 'concluded' then upper(deals.winner_code) end as winner_code,
    bids.bidders
from {{ ref('fct_deals') }} as deals
inner join bids on {{ same_section('deals', 'bids') }}
