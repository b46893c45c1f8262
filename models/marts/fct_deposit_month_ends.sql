{#- Every cash bid deposit held at a month end, one row per deposit and month end it is held at:
    its state as at that month's last day (as_at_date; the build month's as at the build date,
    as_of_date), from its receipt to its settlement. What is still outstanding then, how long past
    its due date, its age bucket (seeds/deposit_buckets.csv, bucket_set age) and whether it is
    sediment (沉淀保证金, sediment_after_days past its due date). A month's report and the
    dashboard read the ages and the sediment list of a month here, so an old month's figures stay
    what they were whenever the warehouse is built. -#}
with
deposits as (
    select * from {{ ref('fct_securities') }}
    where is_bid_deposit and received_date <= {{ as_of_date() }}
),

refunds as (
    select * from {{ ref('stg_refunds') }}
),

buckets as (
    select * from {{ ref('deposit_buckets') }}
    where bucket_set = 'age'
),

month_ends as (
    -- the months from its receipt to its settlement (or the build month)
    select
        security_id,
        unnest(generate_series(
            date_trunc('month', received_date),
            date_trunc('month', least(coalesce(settled_date, {{ as_of_date() }}), {{ as_of_date() }})),
            interval 1 month
        ))::date as month
    from deposits
),

held as (
    select
        month_ends.month,
        least(last_day(month_ends.month), {{ as_of_date() }}) as as_at_date,
        deposits.*
    from month_ends
    inner join deposits on month_ends.security_id = deposits.security_id
    where
        deposits.settled_date is null
        or deposits.settled_date > least(last_day(month_ends.month), {{ as_of_date() }})
),

settled_by as (
    select
        held.security_id,
        held.month,
        sum(refunds.refund_amount) as settled_amount
    from held
    inner join refunds
        on
            held.security_id = refunds.security_id
            and held.as_at_date >= refunds.settle_date
    group by all
),

aged as (
    select
        held.month,
        held.as_at_date,
        held.security_id,
        held.region_code,
        held.prefecture_code,
        held.province_code,
        held.trade_category,
        held.due_date,
        held.amount - coalesce(settled_by.settled_amount, 0) as outstanding_amount,
        case
            when held.due_date is not null then greatest(0, held.as_at_date - held.due_date)
        end as days_overdue,
        coalesce(held.as_at_date - held.due_date > {{ var('sediment_after_days') }}, false) as is_sediment,
        held.attempt_month is null as has_no_deal
    from held
    left join settled_by on held.security_id = settled_by.security_id and held.month = settled_by.month
),

final as (
    select
        aged.month,
        aged.as_at_date,
        aged.security_id,
        aged.region_code,
        aged.prefecture_code,
        aged.province_code,
        aged.trade_category,
        aged.outstanding_amount,
        aged.days_overdue,
        case
            when aged.is_sediment then 'sediment'
            when aged.has_no_deal then 'no_deal'
            when aged.due_date is null then 'no_due_date'
            else ranged.code
        end as age_bucket,
        aged.is_sediment
    from aged
    left join buckets as ranged
        on {{ in_bucket('ranged', 'aged.days_overdue') }}
)

select * from final
