{% from "_selection.sql" import selected %}
-- Savings of procurement-type categories, premium of auction-type ones (savings_rate and
-- premium_rate: their declared ratios, on the price kind's base).
with
summed as (
    select
        category.name_zh,
        category.name_en,
        category.price_kind,
        sum(savings.n_priced) as n_priced,
        sum(savings.budget_amount_priced) as budget_amount_priced,
        sum(savings.deal_amount_priced) as deal_amount_priced,
        sum(savings.savings_amount) as savings_amount,
        sum(savings.premium_amount) as premium_amount
    from marts.mart_savings as savings
    inner join marts.dim_trade_category as category on savings.trade_category = category.code
    cross join selection
    where {{ selected('savings') }}
    group by all
),

based as (
    select
        *,
        case when price_kind = 'procurement' then budget_amount_priced end as savings_base_amount,
        case when price_kind = 'auction' then budget_amount_priced end as premium_base_amount
    from summed
)

select
    * exclude (savings_base_amount, premium_base_amount),
    {{ savings_rate }},
    {{ premium_rate }}
from based
order by price_kind desc, budget_amount_priced desc
