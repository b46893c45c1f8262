{#- What has been settled on each security that has refund rows: by refund type, with the date
    the running total first reached the security's amount (settled_date). -#}
{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key='security_id') }}

with
securities as (
    select * from {{ ref('stg_securities') }}
),

refunds as (
    select * from {{ ref('stg_refunds') }}
    {%- if is_incremental() %}
        -- every refund of a security with a new refund or a new version since the last build
        where security_id in (
            select security_id from {{ ref('stg_refunds') }} where load_id > {{ built_through() }}
            union all
            select security_id from {{ ref('stg_securities') }} where load_id > {{ built_through() }}
        )
    {%- endif %}
),

running as (
    select
        refunds.security_id,
        refunds.refund_type,
        refunds.settle_date,
        refunds.refund_amount,
        refunds.interest_amount,
        securities.amount,
        sum(refunds.refund_amount) over (
            partition by refunds.security_id
            order by refunds.settle_date, refunds.refund_id
        ) as settled_so_far_amount
    from refunds
    inner join securities on refunds.security_id = securities.security_id
),

final as (
    select
        security_id,
        coalesce(sum(refund_amount) filter (where refund_type = 'refund'), 0) as refunded_amount,
        coalesce(sum(refund_amount) filter (where refund_type = 'forfeit'), 0) as forfeited_amount,
        coalesce(sum(refund_amount) filter (where refund_type = 'convert'), 0) as converted_amount,
        coalesce(sum(interest_amount), 0) as interest_amount,
        sum(refund_amount) as settled_amount,
        max(settle_date) as last_settle_date,
        min(settle_date) filter (where settled_so_far_amount >= amount) as settled_date
    from running
    group by security_id
)

select * from final
