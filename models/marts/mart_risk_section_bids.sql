{#- What the bid flags (mart_risk_section_flags) read of a section's bids, one row per section
    attempt with bids: counts of Cardinal's submitted bids (valid and disqualified; a withdrawn
    bid is not submitted), the winner's valid price, the lowest valid price of the others, the
    lowest valid and the lowest disqualified, and the margin of the lowest other valid bid over
    the winner's where the winner's is the lowest (a price-only award: Cardinal R024 / R058),
    whose quartiles make those flags' fences (mart_risk_fences). -#}
with
sections as (
    select
        tender_project_code,
        bid_section_code,
        attempt_month,
        month,
        count(*) filter (where is_submitted) as n_submitted,
        count(*) filter (where is_submitted and bid_price is null) as n_submitted_unpriced,
        count(*) filter (where is_submitted and bid_status = 'disqualified') as n_disqualified,
        count(distinct bid_price) filter (where is_submitted) as n_distinct_prices,
        count(*) filter (where bid_status = 'valid') as n_valid,
        count(*) filter (where bid_status = 'valid' and bid_price is null) as n_valid_unpriced,
        count(*) filter (where bid_status = 'disqualified' and bidder_role <> 'winner')
            as n_others_disqualified,
        bool_or(bid_status = 'valid' and bidder_role = 'winner') as winner_bid_valid,
        min(bid_price) filter (where bid_status = 'valid' and bidder_role = 'winner') as winner_price,
        min(bid_price) filter (where bid_status = 'valid' and bidder_role = 'other') as lowest_other_price,
        min(bid_price) filter (where bid_status = 'valid') as lowest_valid_price,
        min(bid_price) filter (where bid_status = 'disqualified') as lowest_disqualified_price
    from {{ ref('fct_bids') }}
    where attempt_month is not null
    group by all
)

select
    *,
    case
        when lowest_other_price >= winner_price and winner_price > 0
            then ((lowest_other_price - winner_price) / winner_price)::double
    end as second_bid_margin
from sections
