{#- The share of submitted bids disqualified in a year (Cardinal R038), of each tenderer (招标人,
    Cardinal's buyer), agency (代理机构, its procuring entity) and bidder (its tenderer): bids of
    sections whose deal is in the warehouse, the year of the deal. A tenderer's and an agency's
    from their sections' counts (mart_risk_section_bids), a bidder's from its bids. -#}
with
sections as (
    select
        deals.tenderer_code,
        deals.agency_code,
        date_trunc('year', bids.month)::date as period,
        bids.n_submitted,
        bids.n_disqualified
    from {{ ref('mart_risk_section_bids') }} as bids
    inner join {{ ref('fct_deals') }} as deals
        on
            {{ same_section('bids', 'deals') }}
),

years as (
    -- noqa: disable=LT02
    {%- for party in ['tenderer', 'agency'] %}
    select
        '{{ party }}' as party,
        {{ party }}_code as party_code,
        period,
        sum(n_submitted) as n_submitted,
        sum(n_disqualified) as n_disqualified
    from sections
    where {{ party }}_code is not null
    group by all
    union all
    {%- endfor %}
    -- noqa: enable=LT02
    select
        'bidder' as party,
        upper(bidder_code) as party_code,
        date_trunc('year', month)::date as period,
        count(*) as n_submitted,
        count(*) filter (where bid_status = 'disqualified') as n_disqualified
    from {{ ref('fct_bids') }}
    where is_submitted and attempt_month is not null
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
where n_submitted > 0
