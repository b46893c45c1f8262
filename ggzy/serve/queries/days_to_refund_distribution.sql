{% from "_selection.sql" import selected %}
-- Deposits settled in the month range, by days from the deal to the last settlement, in the
-- buckets' natural order (mart_refund_days).
select
    bucket.name_zh,
    bucket.name_en,
    sum(refund_days.n_settled) as n_settled,
    sum(refund_days.amount_settled) as amount_settled
from marts.mart_refund_days as refund_days
inner join marts.dim_deposit_bucket as bucket
    on refund_days.days_bucket = bucket.code
cross join selection
where {{ selected('refund_days') }}
group by all
order by min(refund_days.bucket_order)
