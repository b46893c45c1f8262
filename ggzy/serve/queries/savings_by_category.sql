{% from "_selection.sql" import selected %}
-- Savings of procurement-type categories on their budgets (采购预算), premium of auction-type ones
-- on their starting prices (出让起始价), and every category together (category null: 合计);
-- savings_rate and premium_rate are their declared ratios on those bases. A base, and what is
-- figured on it, is null where the category is not of its kind.
with
priced as (
    select
        category.code,
        category.name_zh,
        category.name_en,
        category.price_kind,
        category.sort_order,
        savings.n_priced,
        savings.deal_amount_priced,
        case when category.price_kind = 'procurement' then savings.budget_amount_priced end
            as savings_base_amount,
        case when category.price_kind = 'procurement' then savings.savings_amount end as savings_amount,
        case when category.price_kind = 'auction' then savings.budget_amount_priced end
            as premium_base_amount,
        case when category.price_kind = 'auction' then savings.premium_amount end as premium_amount
    from marts.mart_savings as savings
    inner join marts.dim_trade_category as category on savings.trade_category = category.code
    cross join selection
    where {{ selected('savings') }}
),

{%- set sums -%}
        sum(n_priced) as n_priced,
        sum(deal_amount_priced) as deal_amount_priced,
        sum(savings_base_amount) as savings_base_amount,
        sum(savings_amount) as savings_amount,
        sum(premium_base_amount) as premium_base_amount,
        sum(premium_amount) as premium_amount
{%- endset %}

summed as (
    select
        code,
        name_zh,
        name_en,
        price_kind,
        sort_order,
        {{ sums }}
    from priced
    group by all
    union all by name
    select {{ sums }}
    from priced
)

select
    *,
    {{ savings_rate }},
    {{ premium_rate }}
from summed
order by code is null, sort_order, code
