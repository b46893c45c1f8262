{#- Two bidders who bid for at least `minimum_common` of the same sections within a 24-month
    window (a year and the one before, for each year held), with how many each bid for in it
    and their Jaccard index, common / (either's): co_bidding_ring in mart_risk_flags. Pairs
    are counted a year at a time, as two integers in one (bidder ids), and the two years
    added: a city's millions of pairs are grouped by a number, not by two codes. -#}
{%- set ring = var('risk_flags').co_bidding_ring %}
with
bids as (
    select
        bid_year,
        (row_number() over ())::bigint as section_id,
        unnest(bidders) as bidder_code
    from {{ ref('mart_risk_bid_sets') }}
),

bidder_ids as (
    select
        bidder_code,
        (row_number() over (order by bidder_code))::bigint as bidder_id
    from (select distinct bidders_held.bidder_code from bids as bidders_held) as distinct_bidders
),

numbered as (
    select
        bids.bid_year,
        bids.section_id,
        bidder_ids.bidder_id
    from bids
    inner join bidder_ids on bids.bidder_code = bidder_ids.bidder_code
),

years as (
    select distinct bid_year from bids
),

by_bidder as (
    select
        years.bid_year as period,
        numbered.bidder_id,
        count(*) as n_sections
    from years
    inner join numbered on numbered.bid_year in (years.bid_year, years.bid_year - interval 1 year)
    group by all
),

pairs_by_year as (
    select
        a.bid_year,
        a.bidder_id * 4294967296 + b.bidder_id as pair,
        count(*) as n_common
    from numbered as a
    inner join numbered as b on a.section_id = b.section_id and a.bidder_id < b.bidder_id
    group by all
),

candidates as (
    -- a pair can have minimum_common in a year and the one before only if it has half of it in
    -- one of them: the sum over windows is taken for those pairs alone
    select distinct pair
    from pairs_by_year
    where n_common * 2 >= {{ ring.minimum_common }}
),

pairs as (
    select
        years.bid_year as period,
        pairs_by_year.pair // 4294967296 as bidder_a_id,
        pairs_by_year.pair % 4294967296 as bidder_b_id,
        sum(pairs_by_year.n_common) as n_common
    from years
    inner join pairs_by_year on pairs_by_year.bid_year in (years.bid_year, years.bid_year - interval 1 year)
    where pairs_by_year.pair in (from candidates)
    group by years.bid_year, pairs_by_year.pair
    having sum(pairs_by_year.n_common) >= {{ ring.minimum_common }}
)

select
    pairs.period,
    bidder_a.bidder_code as bidder_a,
    bidder_b.bidder_code as bidder_b,
    pairs.n_common,
    a.n_sections as n_sections_a,
    b.n_sections as n_sections_b,
    (pairs.n_common / (a.n_sections + b.n_sections - pairs.n_common))::double as jaccard
from pairs
inner join bidder_ids as bidder_a on pairs.bidder_a_id = bidder_a.bidder_id
inner join bidder_ids as bidder_b on pairs.bidder_b_id = bidder_b.bidder_id
inner join by_bidder as a on pairs.period = a.period and pairs.bidder_a_id = a.bidder_id
inner join by_bidder as b on pairs.period = b.period and pairs.bidder_b_id = b.bidder_id
