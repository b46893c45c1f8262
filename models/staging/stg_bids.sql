{%- set business_key = ['tender_project_code', 'bid_section_code', 'bidder_code'] -%}
{{ config(unique_key=business_key) }}

with
latest as (
    {{ latest_version('bids', business_key) }}
),

final as (
    select
        tender_project_code,
        bid_section_code,
        bidder_code,
        bidder_name,
        bid_price,
        price_unit,
        bid_status,
        bid_time,
        load_id,
        source_file,
        line_number
    from latest
)

select * from final
