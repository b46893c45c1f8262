{%- set business_key = ['tender_project_code', 'bid_section_code', 'attempt_month'] -%}
{{ config(unique_key=business_key) }}

with
latest as (
    {{ latest_version('deals', business_key) }}
),

final as (
    select
        tender_project_code,
        bid_section_code,
        attempt_month,
        unified_deal_code,
        region_code,
        trade_category,
        tender_mode,
        budget_amount,
        deal_amount,
        savings_amount,
        price_unit,
        deal_status,
        deal_date,
        contract_sign_date,
        winner_code,
        bidder_count,
        is_electronic,
        is_remote_evaluation,
        platform_code,
        tenderer_code,
        agency_code,
        publish_date,
        bid_open_date,
        load_id,
        source_file,
        line_number
    from latest
)

select * from final
