{% from "_selection.sql" import held_at_end %}
-- Deposits held at the end of the selection's last month (the build month: at the build date), by
-- how long past their due date, sediment last (mart_deposit_ages_by_month).
select
    ages.age_bucket,
    bucket.name_zh,
    bucket.name_en,
    sum(ages.n_outstanding) as n_outstanding,
    sum(ages.amount_outstanding) as amount_outstanding
from marts.mart_deposit_ages_by_month as ages
inner join marts.dim_deposit_bucket as bucket
    on ages.age_bucket = bucket.code
cross join selection
where {{ held_at_end('ages') }}
group by all
order by min(ages.bucket_order)
