{#- Each section's bidders (those who posted a bid security, 投标保证金 in any form, codes in
    upper case) as one sorted list, with its winner where concluded and known, and the years
    whose 24-month window (the year and the one before) it falls in: what the co-bidding flags
    (co_bidding_ring, recurring_co_bidders, bid_rotation in mart_risk_flags) compare. -#}
with
bids as (
    select distinct
        tender_project_code,
        bid_section_code,
        attempt_month,
        upper(bidder_code) as bidder_code
    from {{ ref('fct_securities') }}
    where security_kind = 'bid' and attempt_month is not null
),

section_bids as (
    select
        deals.tender_project_code,
        deals.bid_section_code,
        deals.attempt_month,
        deals.month,
        case when deals.deal_status = 'concluded' then upper(deals.winner_code) end as winner_code,
        list(bids.bidder_code order by bids.bidder_code) as bidders
    from {{ ref('fct_deals') }} as deals
    inner join bids
        on
            {{ same_section('deals', 'bids') }}
    group by all
)

select
    section_bids.*,
    period.period
from section_bids
cross join
    unnest([
        date_trunc('year', section_bids.month)::date,
        (date_trunc('year', section_bids.month) + interval 1 year)::date
    ]) as period (period)
where period.period <= (  -- no window of a year to come
    select max(date_trunc('year', latest.month)) from section_bids as latest
)
