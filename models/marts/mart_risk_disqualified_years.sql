{#- The share of submitted bids disqualified in a year (Cardinal R038), of each tenderer (招标人,
    Cardinal's buyer), agency (代理机构, its procuring entity) and bidder (its tenderer): bids of
    sections whose deal is in the warehouse, the year of the deal. One pass over the bids,
    each bid counted for each of the three. -#}
with
bids as (
    -- each submitted bid three times: for its tenderer, its agency and its bidder
    select
        date_trunc('year', bids.month)::date as period,
        bids.bid_status = 'disqualified' as is_disqualified,
        unnest([
            { 'party': 'tenderer', 'party_code': deals.tenderer_code },
            { 'party': 'agency', 'party_code': deals.agency_code },
            { 'party': 'bidder', 'party_code': upper(bids.bidder_code) }
        ]) as party
    from {{ ref('fct_bids') }} as bids
    inner join {{ ref('fct_deals') }} as deals
        on
            {{ same_section('bids', 'deals') }}
    where bids.is_submitted
),

years as (
    select
        bids.party.party,
        bids.party.party_code,
        bids.period,
        count(*) as n_submitted,
        count(*) filter (where bids.is_disqualified) as n_disqualified
    from bids
    where bids.party.party_code is not null
    group by all
)

select
    party,
    party_code,
    period,
    n_submitted,
    n_disqualified,
    {{ ratio('n_disqualified', 'n_submitted') }}::double as disqualified_share
from years
