{#- 投标记录: every bid of a section (its latest version), with the attempt it belongs to, its
    section's place and the bidder's part in it. Optional data: a warehouse without bids files
    has no rows here, and the flags that read bids say so (insufficient_data). -#}
with
bids as (
    select * from {{ ref('stg_bids') }}
),

deals as (
    select * from {{ ref('fct_deals') }}
),

attempts as (
    {{ section_attempt('bids', 'deals', ['tender_project_code', 'bid_section_code', 'bidder_code'],
                       'bid_time') }}
)

select
    bids.tender_project_code,
    bids.bid_section_code,
    attempts.attempt_month,
    bids.bidder_code,
    bids.bidder_name,
    bids.bid_price,
    bids.price_unit,
    bids.bid_status,
    -- Cardinal's submitted bids: valid or disqualified, of a tender not terminated (cancelled)
    bids.bid_status in ('valid', 'disqualified') and coalesce(deals.deal_status, '') <> 'terminated'
        as is_submitted,
    bids.bid_time,
    deals.month,
    coalesce(deals.region_code, '{{ var("unknown_region_code") }}') as region_code,
    coalesce(deals.trade_category, '{{ var("unknown_trade_category") }}') as trade_category,
    {{ bidder_role('bids.bidder_code', 'deals') }} as bidder_role,
    bids.load_id,
    bids.source_file,
    bids.line_number
from bids
left join attempts
    on
        bids.tender_project_code = attempts.tender_project_code
        and bids.bid_section_code = attempts.bid_section_code
        and bids.bidder_code = attempts.bidder_code
left join deals
    on
        bids.tender_project_code = deals.tender_project_code
        and bids.bid_section_code = deals.bid_section_code
        and attempts.attempt_month = deals.attempt_month
