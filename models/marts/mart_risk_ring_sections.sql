{#- The evidence of the co-bidding flags that fired (co_bidding_ring, recurring_co_bidders,
    bid_rotation in mart_risk_other_flags): the sections of their window (the flag's year and the
    one before) where the pair bid together, or where the group's bidders were all the bidders
    (with the winner a recurring group's, or one of a rotating group's) — a row per flag and
    section, for people to read. A view, read a flag at a time: the bids of the flagged bidders
    only are gathered, as they are read. -#}
{{ config(materialized='view') }}
with
flags as (
    select
        indicator,
        entity_key,
        month,
        bidders,
        winner_code
    from {{ ref_in_view('mart_risk_other_flags') }}
    where bidders is not null and fires
),

bids as (
    select
        tender_project_code,
        bid_section_code,
        attempt_month,
        upper(bidder_code) as bidder_code
    from {{ ref_in_view('fct_securities') }}
    where security_kind = 'bid' and attempt_month is not null
),

their_sections as (
    -- every section a flagged bidder bid for, with all its bidders (as mart_risk_bid_sets has them)
    select
        tender_project_code,
        bid_section_code,
        attempt_month,
        list_sort(list_distinct(list(bidder_code))) as bidders
    from bids
    where
        exists (
            select 1 from bids as flagged_bid
            where
                {{ same_section('flagged_bid', 'bids') }}
                and flagged_bid.bidder_code in (
                    select unnest(flagged.bidders) from flags as flagged
                )
        )
    group by all
),

held as (
    select
        their_sections.*,
        deals.month,
        date_trunc('year', deals.month)::date as bid_year,
        case when deals.deal_status = 'concluded' then upper(deals.winner_code) end as winner_code
    from their_sections
    inner join {{ ref_in_view('fct_deals') }} as deals
        on
            {{ same_section('their_sections', 'deals') }}
)

select
    flags.indicator,
    flags.entity_key,
    flags.month,
    held.tender_project_code,
    held.bid_section_code,
    held.attempt_month,
    held.month as section_month,
    held.winner_code,
    array_to_string(held.bidders, ' + ') as bidders
from flags
inner join held
    on
        flags.month in (held.bid_year, held.bid_year + interval 1 year)
        and case flags.indicator
            when 'co_bidding_ring' then list_has_all(held.bidders, flags.bidders)
            when 'recurring_co_bidders'
                then flags.bidders = held.bidders and flags.winner_code = held.winner_code
            else flags.bidders = held.bidders and list_contains(held.bidders, held.winner_code)
        end
