with
calendar as (
    select * from {{ ref('cn_workdays') }}
),

final as (
    select
        calendar_date,
        is_workday,
        nullif(holiday_name, '') as holiday_name,
        is_official
    from calendar
)

select * from final
