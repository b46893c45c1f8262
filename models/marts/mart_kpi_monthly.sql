{#- The headline figures of every mart, by month at four region levels: county (a prefecture or
    province code there stands for that level's own projects, 本级), prefecture, province and all
    ('000000'). Additive parts are summed; every ratio is recomputed from the summed parts. -#}
{%- set counts = [
    'n_sections', 'n_concluded', 'n_failed', 'n_terminated', 'n_priced', 'n_electronic',
    'n_remote_evaluation', 'n_received', 'n_settled', 'days_to_refund_total', 'n_due',
    'n_due_on_time', 'n_outstanding', 'n_overdue', 'n_sediment', 'n_securities', 'n_guarantee',
] -%}
{%- set amounts = [
    'budget_amount', 'deal_amount', 'savings_base_amount', 'savings_amount', 'premium_base_amount',
    'premium_amount', 'deal_amount_electronic', 'deal_amount_remote_evaluation', 'amount_received',
    'amount_refunded', 'amount_outstanding', 'amount_overdue', 'amount_sediment', 'amount_total',
    'amount_guarantee', 'guarantee_fee',
] -%}
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
        n_sections,
        n_concluded,
        n_failed,
        n_terminated,
        budget_amount,
        deal_amount
    from trading_volume
    union all by name
    select
        savings.month,
        savings.region_code,
        savings.prefecture_code,
        savings.province_code,
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
        n_electronic,
        deal_amount_electronic,
        n_remote_evaluation,
        deal_amount_remote_evaluation
    from e_bidding
    union all by name
    select
        month,
        region_code,
        prefecture_code,
        province_code,
        n_received,
        amount_received,
        n_settled,
        amount_refunded,
        days_to_refund_total,
        n_due,
        n_due_on_time,
        n_outstanding,
        amount_outstanding,
        n_overdue,
        amount_overdue,
        n_sediment,
        amount_sediment
    from deposit_refunds
    union all by name
    select
        month,
        region_code,
        prefecture_code,
        province_code,
        n_securities,
        amount_total,
        n_guarantee,
        amount_guarantee,
        guarantee_fee
    from guarantee_substitution
),

rolled_up as (
    -- noqa: disable=LT02
    {%- for level, code in [
        ('county', 'region_code'), ('prefecture', 'prefecture_code'),
        ('province', 'province_code'), ('all', "'000000'"),
    ] %}
    select
        month,
        '{{ level }}' as region_level,
        {{ code }} as region_code,
        {%- for column in counts %}
        coalesce(sum({{ column }}), 0)::bigint as {{ column }},
        {%- endfor %}
        {%- for column in amounts %}
        coalesce(sum({{ column }}), 0) as {{ column }}
        {{- ',' if not loop.last }}
        {%- endfor %}
    from county_rows
    group by all
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
    -- noqa: enable=LT02
),

final as (
    select
        *,
        {{ ratio('savings_amount', 'savings_base_amount') }} as savings_rate,
        {{ ratio('premium_amount', 'premium_base_amount') }} as premium_rate,
        {{ ratio('n_electronic', 'n_concluded') }} as e_bidding_rate,
        {{ ratio('deal_amount_electronic', 'deal_amount') }} as e_bidding_rate_amount,
        {{ ratio('n_due_on_time', 'n_due') }} as on_time_rate,
        {{ ratio('days_to_refund_total', 'n_settled') }} as avg_days_to_refund,
        {{ ratio('amount_guarantee', 'amount_total') }} as substitution_rate,
        {{ ratio('n_guarantee', 'n_securities') }} as substitution_rate_count
    from rolled_up
    -- a province's own projects (省本级) belong to no prefecture
    where region_code is not null
)

select * from final
