with
deals as (
    select * from {{ ref('fct_deals') }}
),

final as (
    select
        month,
        region_code,
        prefecture_code,
        province_code,
        trade_category,
        count(*) as n_sections,
        count(*) filter (where deal_status = 'concluded') as n_concluded,
        count(*) filter (where deal_status = 'failed') as n_failed,
        count(*) filter (where deal_status = 'terminated') as n_terminated,
        count(*) filter (where deal_status = 'concluded' and is_single_bid) as n_single_bid,
        coalesce(sum(budget_amount) filter (where deal_status = 'concluded'), 0) as budget_amount,
        coalesce(sum(deal_amount) filter (where deal_status = 'concluded'), 0) as deal_amount
    from deals
    group by all
)

select * from final
