{#- Cash bid deposits outstanding at the build date (as_of_date), by how long past their due
    date (buckets: seeds/deposit_buckets.csv, bucket_set age): 'no_deal' (its section has no
    deal on record), 'no_due_date' (a land winner's, converted into the price, or one whose
    winner is not known), 'not_yet_due', overdue by days, and 'sediment' (沉淀保证金) last.
    The same population as mart_deposit_refunds' month-end stocks of the build month. -#}
with
outstanding as (
    select * from {{ ref('fct_securities') }}
    where is_bid_deposit and not is_settled
),

buckets as (
    select * from {{ ref('deposit_buckets') }}
    where bucket_set = 'age'
),

aged as (
    select
        outstanding.region_code,
        outstanding.prefecture_code,
        outstanding.province_code,
        outstanding.trade_category,
        outstanding.outstanding_amount,
        case
            when outstanding.is_sediment then 'sediment'
            when outstanding.attempt_month is null then 'no_deal'
            when outstanding.due_date is null then 'no_due_date'
            else ranged.code
        end as age_bucket
    from outstanding
    left join buckets as ranged
        on {{ in_bucket('ranged', 'outstanding.days_overdue') }}
),

final as (
    select
        aged.region_code,
        aged.prefecture_code,
        aged.province_code,
        aged.trade_category,
        aged.age_bucket,
        buckets.sort_order as bucket_order,
        count(*) as n_outstanding,
        sum(aged.outstanding_amount) as amount_outstanding
    from aged
    inner join buckets on aged.age_bucket = buckets.code
    group by all
)

select * from final
