{#- Each bidder's year: the concluded sections with a known winner it bid for (posted a bid
    security, 投标保证金 in any form: mart_risk_bid_sets), a section once, and how many of them it
    won — what cover_bidder (mart_risk_flags, mart_risk_fences) compares bidders by. -#}
with
bids as (
    select
        bid_year as period,
        winner_code,
        unnest(bidders) as bidder_code
    from {{ ref('mart_risk_bid_sets') }}
    where winner_code is not null
)

select
    bidder_code,
    period,
    count(*) as n_bids,
    count(*) filter (where bidder_code = winner_code) as n_wins,
    (count(*) filter (where bidder_code = winner_code) / count(*))::double as win_ratio
from bids
group by all
