{#- Each section's refund due dates for its winner and for the other bidders, from the most
    specific matching row of seeds/refund_rules.csv and the working-day calendar. -#}
{{ config(
    materialized='incremental', incremental_strategy='delete+insert',
    unique_key=['tender_project_code', 'bid_section_code', 'attempt_month']
) }}

with
deals as (
    select * from {{ ref('stg_deals') }}
    {%- if is_incremental() %}
        where load_id > {{ built_through() }}
    {%- endif %}
),

refund_rules as (
    select * from {{ ref('refund_rules') }}
),

calendar as (
    select * from {{ ref('cn_workdays') }}
),

numbered_days as (
    -- the n-th working day since the calendar starts; a day off shares the number of the
    -- working day before it, so "anchor + k working days" is the working day numbered anchor + k
    select
        calendar_date,
        is_workday,
        sum(is_workday::integer) over (order by calendar_date) as workday_number
    from calendar
),

deal_rules as (
    select
        deals.tender_project_code,
        deals.bid_section_code,
        deals.attempt_month,
        deals.deal_date,
        deals.contract_sign_date,
        refund_rules.bidder_role,
        refund_rules.anchor_date,
        refund_rules.n_days,
        refund_rules.day_kind,
        refund_rules.settlement
    from deals
    inner join refund_rules
        on
            refund_rules.trade_category in (deals.trade_category, '*')
            and refund_rules.deal_status in (deals.deal_status, '*')
    qualify row_number() over (
        partition by
            deals.tender_project_code, deals.bid_section_code, deals.attempt_month,
            refund_rules.bidder_role
        order by refund_rules.trade_category = '*', refund_rules.deal_status = '*'
    ) = 1
),

anchored as (
    select
        *,
        case anchor_date
            when 'deal_date' then deal_date
            when 'contract_sign_date'
                then coalesce(
                    contract_sign_date,
                    deal_date + {{ var('contract_sign_fallback_days') }}
                )
        end as anchor_date_value
    from deal_rules
),

due_dated as (
    select
        anchored.tender_project_code,
        anchored.bid_section_code,
        anchored.attempt_month,
        anchored.bidder_role,
        anchored.settlement,
        case anchored.day_kind
            when 'calendar' then anchored.anchor_date_value + anchored.n_days::integer
            when 'working' then nth_workday.calendar_date
        end as due_date
    from anchored
    left join numbered_days as anchor_day
        on anchored.anchor_date_value = anchor_day.calendar_date
    left join numbered_days as nth_workday
        on
            nth_workday.workday_number = anchor_day.workday_number + anchored.n_days
            and nth_workday.is_workday
            and anchored.day_kind = 'working'
),

final as (
    select
        tender_project_code,
        bid_section_code,
        attempt_month,
        max(due_date) filter (where bidder_role = 'winner') as winner_due_date,
        max(due_date) filter (where bidder_role = 'other') as other_due_date,
        bool_or(bidder_role = 'winner' and settlement = 'convert') as is_winner_deposit_converted
    from due_dated
    group by tender_project_code, bid_section_code, attempt_month
)

select * from final
