{#- Cash bid deposits: flows in each month (received by received_date, settlements by
    settle_date, settled deposits by the date they were settled, due ones by due_date; sediment
    cleared: settled when already sediment, by settle_date and settled_date) and the
    month-end stocks (up to the build month), for every month with a flow or a stock.

    The month-end stocks (outstanding, overdue, sediment) cover every month from a
    region and category's first event to the build month, from running sums of dated +/- events:
    no securities x months cross join.

    Each stock starts counting a deposit on its start date (outstanding: received; overdue: the
    day after the due date; sediment: sediment_after_days after that) and every settlement takes
    its amount off on its date, or on the start date if it came earlier. So at any date a stock
    holds exactly the deposits past their start date, at their amount less what was settled by
    then. The build month's stocks are as at the build date (as_of_date). -#}
with
deposits as (
    select * from {{ ref('fct_securities') }}
    where is_bid_deposit
),

refunds as (
    select * from {{ ref('stg_refunds') }}
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
        sum(refunds.interest_amount) as interest_paid,
        -- 清理沉淀保证金: what was settled of deposits that were sediment by then
        sum(refunds.refund_amount) filter (
            where refunds.settle_date - deposits.due_date > {{ var('sediment_after_days') }}
        ) as amount_sediment_cleared
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
        -- days to refund are known only for deposits whose section has a deal date
        count(days_to_refund) as n_settled_after_deal,
        sum(days_to_refund) as days_to_refund_total,
        count(*) filter (
            where settled_date - due_date > {{ var('sediment_after_days') }}
        ) as n_sediment_cleared
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
        count(*) filter (where is_refunded_on_time) as n_due_on_time,
        count(*) filter (where not is_refunded_on_time) as n_due_late
    from deposits
    -- judged: settled, or its due date has passed (one due on the build date and not settled is
    -- not late until the day after), so n_due = n_due_on_time + n_due_late
    where due_date <= {{ as_of_date() }} and is_refunded_on_time is not null
    group by all
),

stock_kinds as (
    select stock_names.stock from (values ('outstanding'), ('overdue'), ('sediment')) as stock_names (stock)
),

stock_starts as (
    -- one row per deposit and stock it can be in; a deposit without a due date is never overdue
    select
        deposits.security_id,
        deposits.region_code,
        deposits.prefecture_code,
        deposits.province_code,
        deposits.trade_category,
        deposits.amount,
        deposits.settled_date,
        stock_kinds.stock,
        case stock_kinds.stock
            when 'outstanding' then deposits.received_date
            when 'overdue' then deposits.due_date + 1
            when 'sediment' then deposits.due_date + {{ var('sediment_after_days') }} + 1
        end as start_date
    from deposits
    cross join stock_kinds
    where stock_kinds.stock = 'outstanding' or deposits.due_date is not null
),

events as (
    select
        region_code,
        prefecture_code,
        province_code,
        trade_category,
        stock,
        start_date as event_date,
        1 as n_change,
        amount as amount_change
    from stock_starts
    union all
    select
        region_code,
        prefecture_code,
        province_code,
        trade_category,
        stock,
        greatest(settled_date, start_date) as event_date,
        -1 as n_change,
        0 as amount_change
    from stock_starts
    where settled_date is not null
    union all
    select
        stock_starts.region_code,
        stock_starts.prefecture_code,
        stock_starts.province_code,
        stock_starts.trade_category,
        stock_starts.stock,
        greatest(refunds.settle_date, stock_starts.start_date) as event_date,
        0 as n_change,
        -refunds.refund_amount as amount_change
    from stock_starts
    inner join refunds on stock_starts.security_id = refunds.security_id
),

monthly_changes as (
    select
        date_trunc('month', event_date)::date as month,
        region_code,
        prefecture_code,
        province_code,
        trade_category,
    {%- for stock in ['outstanding', 'overdue', 'sediment'] %}
        sum(n_change) filter (where stock = '{{ stock }}') as n_{{ stock }}_change,
        sum(amount_change) filter (where stock = '{{ stock }}') as amount_{{ stock }}_change
        {{- ',' if not loop.last }}
    {%- endfor %}
    from events
    where event_date <= {{ as_of_date() }}
    group by all
),

first_months as (
    select
        region_code,
        prefecture_code,
        province_code,
        trade_category,
        min(month) as first_month
    from monthly_changes
    group by all
),

month_spine as (
    select
        region_code,
        prefecture_code,
        province_code,
        trade_category,
        unnest(generate_series(
            first_month, date_trunc('month', {{ as_of_date() }})::date, interval 1 month
        ))::date as month
    from first_months
),

running as (
    select
        month_spine.month,
        month_spine.region_code,
        month_spine.prefecture_code,
        month_spine.province_code,
        month_spine.trade_category,
        -- noqa: disable=LT02
        {%- for stock in ['outstanding', 'overdue', 'sediment'] %}
        sum(coalesce(monthly_changes.n_{{ stock }}_change, 0)) over running_total as n_{{ stock }},
        sum(coalesce(monthly_changes.amount_{{ stock }}_change, 0)) over running_total as amount_{{ stock }}
        {{- ',' if not loop.last }}
        {%- endfor %}
    -- noqa: enable=LT02
    from month_spine
    left join monthly_changes
        on
            month_spine.month = monthly_changes.month
            and month_spine.region_code = monthly_changes.region_code
            and month_spine.trade_category = monthly_changes.trade_category
    window running_total as (
        partition by month_spine.region_code, month_spine.trade_category
        order by month_spine.month
    )
),

month_end_stocks as (
    select * from running
    where n_outstanding <> 0 or amount_outstanding <> 0
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
    select * from month_end_stocks
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
            'n_received', 'amount_received', 'n_settled', 'n_settled_after_deal', 'amount_refunded', 'amount_forfeited',
            'amount_converted', 'interest_paid', 'n_due', 'n_due_on_time', 'n_due_late', 'days_to_refund_total',
            'n_outstanding', 'amount_outstanding', 'n_overdue', 'amount_overdue',
            'n_sediment', 'amount_sediment', 'n_sediment_cleared', 'amount_sediment_cleared',
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
        n_settled_after_deal,
        amount_refunded,
        amount_forfeited,
        amount_converted,
        interest_paid,
        n_due,
        n_due_on_time,
        n_due_late,
        {{ metric_ratio('on_time_rate') }},
        days_to_refund_total,
        {{ metric_ratio('avg_days_to_refund') }},
        n_outstanding,
        amount_outstanding,
        n_overdue,
        amount_overdue,
        n_sediment,
        amount_sediment,
        n_sediment_cleared,
        amount_sediment_cleared
    from summed
)

select * from final
