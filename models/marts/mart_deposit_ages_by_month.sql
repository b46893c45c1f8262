{#- Cash bid deposits held at each month end (fct_deposit_month_ends; the build month's as at
    the build date), by how long past their due date (buckets: seeds/deposit_buckets.csv,
    bucket_set age): 'no_deal' (its section has no deal on record), 'no_due_date' (a land
    winner's, converted into the price, or one whose winner is not known), 'not_yet_due', overdue
    by days, and 'sediment' (沉淀保证金) last. The month-end stocks of mart_deposit_refunds, by age. -#}
with
held as (
    select * from {{ ref('fct_deposit_month_ends') }}
),

buckets as (
    select * from {{ ref('deposit_buckets') }}
    where bucket_set = 'age'
),

final as (
    select
        held.month,
        held.as_at_date,
        held.region_code,
        held.prefecture_code,
        held.province_code,
        held.trade_category,
        held.age_bucket,
        buckets.sort_order as bucket_order,
        count(*) as n_outstanding,
        sum(held.outstanding_amount) as amount_outstanding
    from held
    inner join buckets on held.age_bucket = buckets.code
    group by all
)

select * from final
