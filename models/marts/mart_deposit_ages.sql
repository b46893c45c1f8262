{#- Cash bid deposits outstanding at the build date (as_of_date), by age: the build month's rows of
    mart_deposit_ages_by_month, as analysts have queried them since the first release. -#}
with
by_month as (
    select * from {{ ref('mart_deposit_ages_by_month') }}
),

final as (
    select
        region_code,
        prefecture_code,
        province_code,
        trade_category,
        age_bucket,
        bucket_order,
        n_outstanding,
        amount_outstanding
    from by_month
    where month = date_trunc('month', {{ as_of_date() }})
)

select * from final
