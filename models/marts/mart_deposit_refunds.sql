{#- Cash bid deposits: flows in each month (received by received_date, settlements by
    settle_date, settled deposits by the date they were settled, due ones by due_date) and the
    month-end stocks (up to the build month), for every month with a flow or a stock. -#}
with
deposits as (
    select * from {{ ref('fct_securities') }}
    where is_bid_deposit
),

refunds as (
    select * from {{ ref('stg_refunds') }}
),

stocks as (
    select * from {{ ref('int_deposit_stocks_monthly') }}
),

received as (
    select
        month,
        region_code,
        prefecture_code,
        province_code,
        trade_category,
        count(*) as n_received,
        sum(amount) as amount_received
    from deposits
    group by all
),

settlements as (
    select
        date_trunc('month', refunds.settle_date)::date as month,
        deposits.region_code,
        deposits.prefecture_code,
        deposits.province_code,
        deposits.trade_category,
        sum(refunds.refund_amount) filter (where refunds.refund_type = 'refund') as amount_refunded,
        sum(refunds.refund_amount) filter (where refunds.refund_type = 'forfeit') as amount_forfeited,
        sum(refunds.refund_amount) filter (where refunds.refund_type = 'convert') as amount_converted,
        sum(refunds.interest_amount) as interest_paid
    from refunds
    inner join deposits on refunds.security_id = deposits.security_id
    group by all
),

settled as (
    select
        date_trunc('month', settled_date)::date as month,
        region_code,
        prefecture_code,
        province_code,
        trade_category,
        count(*) as n_settled,
        sum(days_to_refund) as days_to_refund_total
    from deposits
    where settled_date is not null
    group by all
),

due as (
    select
        date_trunc('month', due_date)::date as month,
        region_code,
        prefecture_code,
        province_code,
        trade_category,
        count(*) as n_due,
        count(*) filter (where is_refunded_on_time) as n_due_on_time
    from deposits
    where due_date <= {{ as_of_date() }}
    group by all
),

combined as (
    select * from received
    union all by name
    select * from settlements
    union all by name
    select * from settled
    union all by name
    select * from due
    union all by name
    select * from stocks
),

summed as (
    select
        month,
        region_code,
        prefecture_code,
        province_code,
        trade_category,
        -- noqa: disable=LT02
        {%- for column in [
            'n_received', 'amount_received', 'n_settled', 'amount_refunded', 'amount_forfeited',
            'amount_converted', 'interest_paid', 'n_due', 'n_due_on_time', 'days_to_refund_total',
            'n_outstanding', 'amount_outstanding', 'n_overdue', 'amount_overdue',
            'n_sediment', 'amount_sediment',
        ] %}
        coalesce(sum({{ column }}), 0){{ '::bigint' if column.startswith(('n_', 'days_')) }} as {{ column }}
        {{- ',' if not loop.last }}
        {%- endfor %}
    -- noqa: enable=LT02
    from combined
    group by all
),

final as (
    select
        month,
        region_code,
        prefecture_code,
        province_code,
        trade_category,
        n_received,
        amount_received,
        n_settled,
        amount_refunded,
        amount_forfeited,
        amount_converted,
        interest_paid,
        n_due,
        n_due_on_time,
        {{ ratio('n_due_on_time', 'n_due') }} as on_time_rate,
        days_to_refund_total,
        {{ ratio('days_to_refund_total', 'n_settled') }} as avg_days_to_refund,
        n_outstanding,
        amount_outstanding,
        n_overdue,
        amount_overdue,
        n_sediment,
        amount_sediment
    from summed
)

select * from final
