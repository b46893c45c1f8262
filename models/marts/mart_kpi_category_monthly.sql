{#- The headline figures of every mart by month, county-level region and trade category: the
    additive parts (summed from the marts) and the ratios recomputed from them. The dashboard
    filters this table and recomputes the ratios from the summed parts; mart_kpi_monthly rolls it
    up to prefecture, province and all. -#}
with
trading_volume as (
    select * from {{ ref('mart_trading_volume') }}
),

savings as (
    select * from {{ ref('mart_savings') }}
),

e_bidding as (
    select * from {{ ref('mart_e_bidding') }}
),

deposit_refunds as (
    select * from {{ ref('mart_deposit_refunds') }}
),

guarantee_substitution as (
    select * from {{ ref('mart_guarantee_substitution') }}
),

categories as (
    select * from {{ ref('trade_categories') }}
),

county_rows as (
    select
        month,
        region_code,
        prefecture_code,
        province_code,
        trade_category,
        n_sections,
        n_concluded,
        n_failed,
        n_terminated,
        n_single_bid,
        budget_amount,
        deal_amount
    from trading_volume
    union all by name
    select
        savings.month,
        savings.region_code,
        savings.prefecture_code,
        savings.province_code,
        savings.trade_category,
        savings.n_priced,
        case when categories.price_kind = 'procurement' then savings.budget_amount_priced end
            as savings_base_amount,
        savings.savings_amount,
        case when categories.price_kind = 'auction' then savings.budget_amount_priced end
            as premium_base_amount,
        savings.premium_amount
    from savings
    inner join categories on savings.trade_category = categories.code
    union all by name
    select
        month,
        region_code,
        prefecture_code,
        province_code,
        trade_category,
        n_electronic,
        deal_amount_electronic,
        n_e_known,
        deal_amount_e_known,
        n_remote_evaluation,
        deal_amount_remote_evaluation
    from e_bidding
    union all by name
    select
        month,
        region_code,
        prefecture_code,
        province_code,
        trade_category,
        n_received,
        amount_received,
        n_settled,
        n_settled_after_deal,
        amount_refunded,
        days_to_refund_total,
        n_due,
        n_due_on_time,
        n_due_late,
        n_outstanding,
        amount_outstanding,
        n_overdue,
        amount_overdue,
        n_sediment,
        amount_sediment,
        n_sediment_cleared,
        amount_sediment_cleared
    from deposit_refunds
    union all by name
    select
        month,
        region_code,
        prefecture_code,
        province_code,
        trade_category,
        n_securities,
        amount_total,
        n_guarantee,
        amount_guarantee,
        guarantee_fee
    from guarantee_substitution
),

summed as (
    select
        month,
        region_code,
        prefecture_code,
        province_code,
        trade_category,
        -- noqa: disable=LT02
        {%- for column in kpi_counts() %}
        coalesce(sum({{ column }}), 0)::bigint as {{ column }},
        {%- endfor %}
        {%- for column in kpi_amounts() %}
        coalesce(sum({{ column }}), 0) as {{ column }}
        {{- ',' if not loop.last }}
        {%- endfor %}
    -- noqa: enable=LT02
    from county_rows
    group by all
),

final as (
    select
        *,
        -- noqa: disable=LT02
        {%- for name, _, _, _ in kpi_ratios() %}
        {{ metric_ratio(name) }}
        {{- ',' if not loop.last }}
        {%- endfor %}
    -- noqa: enable=LT02
    from summed
)

select * from final
