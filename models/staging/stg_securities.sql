{%- set business_key = ['security_id'] -%}
{{ config(unique_key=business_key) }}

with
latest as (
    {{ latest_version('securities', business_key) }}
),

final as (
    select
        security_id,
        tender_project_code,
        bid_section_code,
        bidder_code,
        bidder_name,
        region_code,
        trade_category,
        security_kind,
        pay_form,
        amount,
        price_unit,
        received_date,
        issuer,
        guarantee_fee,
        payer_account,
        payer_account_masked,
        payer_name,
        load_id,
        source_file,
        line_number
    from latest
)

select * from final
