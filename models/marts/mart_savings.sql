{#- Savings for procurement-type categories, premium for auction-type ones, over priced sections
    (concluded, budget or starting price > 0, deal > 0). budget_amount_priced is the starting
    price total on auction-type rows. -#}
with
deals as (
    select * from {{ ref('fct_deals') }}
    where is_priced
),

summed as (
    select
        month,
        region_code,
        prefecture_code,
        province_code,
        trade_category,
        count(*) as n_priced,
        sum(budget_amount) as budget_amount_priced,
        sum(deal_amount) as deal_amount_priced,
        sum(savings_amount) as savings_amount,
        sum(premium_amount) as premium_amount
    from deals
    group by all
),

final as (
    select
        month,
        region_code,
        prefecture_code,
        province_code,
        trade_category,
        n_priced,
        budget_amount_priced,
        deal_amount_priced,
        savings_amount,
        {{ metric_ratio('savings_rate', savings_base_amount='budget_amount_priced') }},
        premium_amount,
        {{ metric_ratio('premium_rate', premium_base_amount='budget_amount_priced') }}
    from summed
)

select * from final
