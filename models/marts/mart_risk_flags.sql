{#- 风险预警 risk flags: where to look, with the figure that fired and the threshold it passed —
    leads (疑似, 风险提示), never verdicts. One row per indicator and section (attempt): its status
    is calculated, insufficient_data (a column it needs is empty: `missing` names it) or undefined
    (it does not apply: a failed section, a mode or category without the rule); `flagged` is
    known only when calculated, never computed from missing data as if it were zero. Settings:
    dbt_project.yml, vars.risk_flags; rules and sources: docs/risk-flags.md; the deposits behind a
    deposit or guarantee flag: mart_risk_evidence. -#}
{%- set settings = var('risk_flags') %}
{%- set tender_modes = "'" ~ settings.single_bid.tender_modes | join("', '") ~ "'" %}
with
deals as (
    -- each section with its settings
    select
        *,
        tender_project_code || ' / ' || bid_section_code || ' · ' || strftime(attempt_month, '%Y-%m')
            as entity_key,
        {{ risk_setting('tender_mode', settings.single_bid.by_tender_mode,
                        settings.single_bid.threshold) }}::decimal(38, 6) as fewest_bidders,
        {{ risk_setting('tender_mode', settings.deposit_over_cap.by_tender_mode,
                        risk_setting('trade_category', settings.deposit_over_cap.by_trade_category)) }}::decimal(
            38, 6
        ) as deposit_cap
    from {{ ref('fct_deals') }}
),

bid_securities as (
    select * from {{ ref('fct_securities') }}
    where security_kind = 'bid'  -- 投标保证金 in cash or as a guarantee
),

largest_deposit as (
    select
        tender_project_code,
        bid_section_code,
        attempt_month,
        max(amount) as amount
    from bid_securities
    group by all
),

issuer_days as (
    -- the most bidders one issuer served in a day, per section
    select
        tender_project_code,
        bid_section_code,
        attempt_month,
        max(n_bidders) filter (where issuer is not null) as n_bidders,
        bool_or(issuer is null) as has_unknown_issuer
    from {{ ref('mart_risk_issuer_days') }}
    group by all
),

single_bid as (
    select
        deals.*,
        'single_bid' as indicator,
        case
            when
                deals.tender_mode not in ({{ tender_modes }})
                or deals.deal_status <> 'concluded' then 'undefined'
            when deals.bidder_count is null then 'insufficient_data'
            else 'calculated'
        end as status,
        case when deals.bidder_count is null then 'bidder_count' end as missing,
        deals.bidder_count::decimal(38, 6) as value,
        deals.fewest_bidders as threshold,
        'statute' as threshold_source,
        deals.bidder_count < deals.fewest_bidders as fires
    from deals
),

deposit_over_cap as (
    select
        deals.*,
        'deposit_over_cap' as indicator,
        case
            when deals.deposit_cap is null or largest_deposit.amount is null then 'undefined'
            when coalesce(deals.budget_amount, 0) <= 0 then 'insufficient_data'
            else 'calculated'
        end as status,
        case when coalesce(deals.budget_amount, 0) <= 0 then 'budget_amount' end as missing,
        {{ ratio('largest_deposit.amount', 'deals.budget_amount') }}::decimal(38, 6) as value,
        deals.deposit_cap as threshold,
        'statute' as threshold_source,
        -- exact: the deposit against the budget times the cap, not a rounded share
        largest_deposit.amount > deals.budget_amount * deals.deposit_cap as fires
    from deals
    left join largest_deposit
        on
            deals.tender_project_code = largest_deposit.tender_project_code
            and deals.bid_section_code = largest_deposit.bid_section_code
            and deals.attempt_month = largest_deposit.attempt_month
),

guarantee_cluster as (
    select
        deals.*,
        'guarantee_cluster' as indicator,
        case
            when issuer_days.tender_project_code is null then 'undefined'
            when issuer_days.n_bidders is null then 'insufficient_data'
            else 'calculated'
        end as status,
        case
            when issuer_days.n_bidders is null and issuer_days.has_unknown_issuer then 'issuer'
        end as missing,
        issuer_days.n_bidders::decimal(38, 6) as value,
        {{ settings.guarantee_cluster.minimum_bidders }}::decimal(38, 6) as threshold,
        'fixed' as threshold_source,
        issuer_days.n_bidders >= threshold as fires
    from deals
    left join issuer_days
        on
            deals.tender_project_code = issuer_days.tender_project_code
            and deals.bid_section_code = issuer_days.bid_section_code
            and deals.attempt_month = issuer_days.attempt_month
),

cover_bidder as (
    -- a bidder's year against its peers' (mart_risk_fences): many bids, few of them won
    select
        bidders.bidder_code as entity_key,
        bidders.period as month,
        case when fences.q1 > 0 and fences.fence > 0 then 'calculated' else 'undefined' end as status,
        bidders.win_ratio::decimal(38, 6) as value,
        fences.fence::decimal(38, 6) as threshold,
        fences.fence_source as threshold_source,
        bidders.n_bids >= fences.upper_fence and bidders.win_ratio <= fences.fence as fires
    from {{ ref('mart_risk_bidder_years') }} as bidders
    inner join {{ ref('mart_risk_fences') }} as fences
        on fences.indicator = 'cover_bidder' and bidders.period = fences.period
),

flags as (
    -- noqa: disable=LT02
    {%- for indicator in ['single_bid', 'deposit_over_cap', 'guarantee_cluster'] %}
    select
        indicator,
        'section' as grain,
        entity_key,
        tender_project_code,
        bid_section_code,
        attempt_month,
        month,
        region_code,
        prefecture_code,
        province_code,
        trade_category,
        tender_mode,
        status,
        case when status = 'calculated' then coalesce(fires, false) end as flagged,
        value,
        threshold,
        threshold_source,
        case when status = 'insufficient_data' then missing end as missing
    from {{ indicator }}
    union all
    {%- endfor %}
    select
        'cover_bidder' as indicator,
        'bidder_year' as grain,
        entity_key,
        null as tender_project_code,
        null as bid_section_code,
        null::date as attempt_month,
        month,
        null as region_code,
        null as prefecture_code,
        null as province_code,
        null as trade_category,
        null as tender_mode,
        status,
        case when status = 'calculated' then coalesce(fires, false) end as flagged,
        value,
        threshold,
        threshold_source,
        null as missing
    from cover_bidder
    -- noqa: enable=LT02
)

select * from flags
