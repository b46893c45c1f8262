{#- Cash bid deposits settled in each month, by how many days after the deal the last settlement
    came (buckets: seeds/deposit_buckets.csv, bucket_set days_to_refund). The same population as
    mart_deposit_refunds' n_settled; a deposit whose section has no deal date is 'no_deal_date'
    (left out of the average days to refund). -#}
with
settled as (
    select * from {{ ref('fct_securities') }}
    where is_bid_deposit and settled_date is not null
),

buckets as (
    select * from {{ ref('deposit_buckets') }}
    where bucket_set = 'days_to_refund'
),

bucketed as (
    select
        date_trunc('month', settled.settled_date)::date as month,
        settled.region_code,
        settled.prefecture_code,
        settled.province_code,
        settled.trade_category,
        settled.amount,
        coalesce(ranged.code, 'no_deal_date') as days_bucket
    from settled
    left join buckets as ranged
        on {{ in_bucket('ranged', 'settled.days_to_refund') }}
),

final as (
    select
        bucketed.month,
        bucketed.region_code,
        bucketed.prefecture_code,
        bucketed.province_code,
        bucketed.trade_category,
        bucketed.days_bucket,
        buckets.sort_order as bucket_order,
        count(*) as n_settled,
        sum(bucketed.amount) as amount_settled
    from bucketed
    inner join buckets on bucketed.days_bucket = buckets.code
    group by all
)

select * from final
