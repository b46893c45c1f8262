{%- set business_key = ['refund_id'] -%}
{{ config(unique_key=business_key) }}

with
latest as (
    {{ latest_version('refunds', business_key) }}
),

final as (
    select
        refund_id,
        security_id,
        refund_type,
        settle_date,
        refund_amount,
        interest_amount,
        price_unit,
        refund_route,
        load_id,
        source_file,
        line_number
    from latest
)

select * from final
