{#- Each bidder's year: the concluded sections with a known winner it bid for (posted a bid
    security, 投标保证金 in any form), a section once, and how many of them it won — what
    cover_bidder (mart_risk_flags, mart_risk_fences) compares bidders by. -#}
with
bids as (
    select distinct
        securities.bidder_code,
        date_trunc('year', deals.month)::date as period,
        deals.tender_project_code,
        deals.bid_section_code,
        deals.attempt_month,
        deals.winner_code = securities.bidder_code as won
    from {{ ref('fct_securities') }} as securities
    inner join {{ ref('fct_deals') }} as deals
        on
            {{ same_section('securities', 'deals') }}
    where
        securities.security_kind = 'bid'
        and deals.deal_status = 'concluded'
        and deals.winner_code is not null
)

select
    bidder_code,
    period,
    count(*) as n_bids,
    count(*) filter (where won) as n_wins,
    (count(*) filter (where won) / count(*))::double as win_ratio
from bids
group by all
