{#- Month-end stocks of cash bid deposits (outstanding, overdue, sediment) for every month from a
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

stocks as (
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
        stocks.stock,
        case stocks.stock
            when 'outstanding' then deposits.received_date
            when 'overdue' then deposits.due_date + 1
            when 'sediment' then deposits.due_date + {{ var('sediment_after_days') }} + 1
        end as start_date
    from deposits
    cross join stocks
    where stocks.stock = 'outstanding' or deposits.due_date is not null
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

final as (
    select * from running
    where n_outstanding <> 0 or amount_outstanding <> 0
)

select * from final
