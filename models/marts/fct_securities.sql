{#- Run incrementally, the securities taken again are those with a new version, a new refund or
    a new version of their deal since the last build, and every deposit still open at the last
    build: its overdue days and sediment flag move on with the build date. -#}
{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key='security_id') }}
-- depends_on: {{ ref('stg_refunds') }}
-- depends_on: {{ ref('stg_deals') }}

with
securities as (
    select * from {{ ref('stg_securities') }}
    {%- if is_incremental() %}
        as new_or_changed
        where
            new_or_changed.load_id > {{ built_through() }}
            or new_or_changed.security_id in (
                select refund.security_id from {{ ref('stg_refunds') }} as refund
                where refund.load_id > {{ built_through() }}
            )
            or exists (
                select 1 from {{ ref('stg_deals') }} as deal
                where
                    deal.load_id > {{ built_through() }}
                    and deal.tender_project_code = new_or_changed.tender_project_code
                    and deal.bid_section_code = new_or_changed.bid_section_code
            )
            or new_or_changed.security_id in (
                select open_deposit.security_id from {{ this }} as open_deposit
                where open_deposit.settled_date is null and open_deposit.due_date is not null
            )
    {%- endif %}
),

deals as (
    select * from {{ ref('fct_deals') }}
),

due_dates as (
    select * from {{ ref('int_deals_due_dated') }}
),

settlements as (
    select * from {{ ref('int_securities_settled') }}
),

pay_forms as (
    select * from {{ ref('pay_forms') }}
),

regions as (
    select * from {{ ref('regions') }}
),

attempts as (
    {{ section_attempt('securities', 'deals', ['security_id'], 'received_date') }}
),

joined as (
    select
        securities.* exclude (region_code, trade_category),
        attempts.attempt_month,
        -- the deal's region and category; before the deal arrives, the securities file's own
        -- (optional) columns, else "not yet known"
        coalesce(deals.region_code, securities.region_code, '{{ var("unknown_region_code") }}')
            as region_code,
        regions.prefecture_code,
        regions.province_code,
        coalesce(deals.trade_category, securities.trade_category, '{{ var("unknown_trade_category") }}')
            as trade_category,
        deals.deal_date,
        pay_forms.is_guarantee,
        securities.pay_form = 'cash' and securities.security_kind = 'bid' as is_bid_deposit,
        {{ bidder_role('securities.bidder_code', 'deals') }} as bidder_role,
        due_dates.winner_due_date,
        due_dates.other_due_date,
        due_dates.is_winner_deposit_converted,
        coalesce(settlements.refunded_amount, 0) as refunded_amount,
        coalesce(settlements.forfeited_amount, 0) as forfeited_amount,
        coalesce(settlements.converted_amount, 0) as converted_amount,
        coalesce(settlements.interest_amount, 0) as interest_amount,
        coalesce(settlements.settled_amount, 0) as settled_amount,
        settlements.last_settle_date,
        settlements.settled_date
    from securities
    inner join pay_forms on securities.pay_form = pay_forms.code
    left join attempts on securities.security_id = attempts.security_id
    left join deals
        on
            securities.tender_project_code = deals.tender_project_code
            and securities.bid_section_code = deals.bid_section_code
            and attempts.attempt_month = deals.attempt_month
    left join due_dates
        on
            securities.tender_project_code = due_dates.tender_project_code
            and securities.bid_section_code = due_dates.bid_section_code
            and attempts.attempt_month = due_dates.attempt_month
    left join settlements on securities.security_id = settlements.security_id
    left join regions on coalesce(deals.region_code, securities.region_code) = regions.region_code
),

due_dated as (
    select
        *,
        case
            when not is_bid_deposit then null
            -- converted into the price (转为价款): never late
            when converted_amount > 0 then null
            when bidder_role = 'winner' then winner_due_date
            when bidder_role = 'other' then other_due_date
            -- unknown winner where the winner's deposit is converted (land): a deposit refunded is
            -- a loser's; one not yet settled has no due date until the winner is known
            when is_winner_deposit_converted then case when settled_amount > 0 then other_due_date end
            -- unknown winner otherwise: the later (the winner's) due date applies to every bidder
            else greatest(winner_due_date, other_due_date)
        end as due_date
    from joined
),

final as (
    select
        date_trunc('month', received_date)::date as month,
        region_code,
        prefecture_code,
        province_code,
        trade_category,
        security_id,
        tender_project_code,
        bid_section_code,
        attempt_month,
        bidder_code,
        bidder_name,
        security_kind,
        pay_form,
        amount,
        price_unit,
        received_date,
        issuer,
        guarantee_fee,
        payer_account,
        payer_account_masked,
        payer_name,
        is_guarantee,
        is_bid_deposit,
        bidder_role,
        due_date,
        refunded_amount,
        forfeited_amount,
        converted_amount,
        interest_amount,
        last_settle_date,
        settled_date,
        case when not is_guarantee then amount - settled_amount end as outstanding_amount,
        case when not is_guarantee then settled_amount >= amount end as is_settled,
        case
            when due_date is null then null
            when settled_date <= due_date then true
            when settled_date > due_date or {{ as_of_date() }} > due_date then false
        end as is_refunded_on_time,
        case when settled_date is not null then last_settle_date - deal_date end as days_to_refund,
        case
            when due_date is not null
                then greatest(0, coalesce(settled_date, {{ as_of_date() }}) - due_date)
        end as days_overdue,
        coalesce(
            settled_date is null
            and due_date is not null
            and {{ as_of_date() }} - due_date > {{ var('sediment_after_days') }},
            false
        ) as is_sediment,
        load_id
    from due_dated
)

select * from final
