{#- Two bidders who bid for at least `minimum_common` of the same sections within a 24-month
    window (mart_risk_bid_sets: the year and the one before), with how many each bid for in it
    and their Jaccard index, common / (either's): co_bidding_ring in mart_risk_flags. -#}
{%- set ring = var('risk_flags').co_bidding_ring %}
with
bids as (
    select
        period,
        tender_project_code,
        bid_section_code,
        attempt_month,
        unnest(bidders) as bidder_code
    from {{ ref('mart_risk_bid_sets') }}
),

by_bidder as (
    select
        period,
        bidder_code,
        count(*) as n_sections
    from bids
    group by all
),

pairs as (
    select
        a.period,
        a.bidder_code as bidder_a,
        b.bidder_code as bidder_b,
        count(*) as n_common
    from bids as a
    inner join bids as b
        on
            a.period = b.period
            and a.tender_project_code = b.tender_project_code
            and a.bid_section_code = b.bid_section_code
            and a.attempt_month = b.attempt_month
            and a.bidder_code < b.bidder_code
    group by all
    having count(*) >= {{ ring.minimum_common }}
)

select
    pairs.period,
    pairs.bidder_a,
    pairs.bidder_b,
    pairs.n_common,
    a.n_sections as n_sections_a,
    b.n_sections as n_sections_b,
    (pairs.n_common / (a.n_sections + b.n_sections - pairs.n_common))::double as jaccard
from pairs
inner join by_bidder as a on pairs.period = a.period and pairs.bidder_a = a.bidder_code
inner join by_bidder as b on pairs.period = b.period and pairs.bidder_b = b.bidder_code
