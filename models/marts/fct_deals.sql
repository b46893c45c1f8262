{{ config(
    materialized='incremental', incremental_strategy='delete+insert',
    unique_key=['tender_project_code', 'bid_section_code', 'attempt_month']
) }}

with
deals as (
    select * from {{ ref('stg_deals') }}
    {%- if is_incremental() %}
        where load_id > {{ built_through() }}
    {%- endif %}
),

regions as (
    select * from {{ ref('regions') }}
),

categories as (
    select * from {{ ref('trade_categories') }}
),

ocds_loads as (
    select load_id from {{ source('meta', 'load_log') }}
    where n_releases is not null
),

priced as (
    select
        deals.* replace (
            -- a deal without a region (OCDS has none) counts under "unknown", like a security
            -- whose section has no deal yet
            coalesce(deals.region_code, '{{ var("unknown_region_code") }}') as region_code
        ),
        regions.prefecture_code,
        regions.province_code,
        categories.price_kind,
        deals.deal_status = 'concluded'
        and deals.budget_amount > 0
        and deals.deal_amount > 0
        and categories.price_kind in ('procurement', 'auction')
        -- an OCDS framework agreement's award is the agreement's ceiling, not a price
        -- (docs/decisions.md)
        and not (ocds_loads.load_id is not null and deals.tender_mode = 'framework_agreement') as is_priced
    from deals
    left join regions on deals.region_code = regions.region_code
    inner join categories on deals.trade_category = categories.code
    left join ocds_loads on deals.load_id = ocds_loads.load_id
),

final as (
    select
        date_trunc('month', deal_date)::date as month,
        region_code,
        prefecture_code,
        province_code,
        trade_category,
        tender_project_code,
        bid_section_code,
        attempt_month,
        unified_deal_code,
        tender_mode,
        budget_amount,
        deal_amount,
        case
            when is_priced and price_kind = 'procurement' then budget_amount - deal_amount
        end as savings_amount,
        case
            when is_priced and price_kind = 'auction' then deal_amount - budget_amount
        end as premium_amount,
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
        price_kind,
        is_priced,
        coalesce(bidder_count = 1, false) as is_single_bid,
        load_id
    from priced
)

select * from final
