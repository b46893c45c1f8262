{#- 风险预警 risk flags: where to look, with the figure that fired and the threshold it passed —
    leads (疑似, 风险提示), never verdicts. One row per indicator and section (attempt): its status
    is calculated, insufficient_data (a column it needs is empty: `missing` names it) or undefined
    (it does not apply: a failed section, a mode or category without the rule); `flagged` is
    known only when calculated, never computed from missing data as if it were zero. Settings:
    dbt_project.yml, vars.risk_flags; rules and sources: docs/risk-flags.md; the deposits behind a
    deposit or guarantee flag: mart_risk_evidence. -#}
{%- set settings = var('risk_flags') %}
{%- set tender_modes = "'" ~ settings.single_bid.tender_modes | join("', '") ~ "'" %}
{%- set submission = settings.short_submission_period %}
{%- set place = ['tender_project_code', 'bid_section_code', 'attempt_month', 'month', 'region_code',
                 'prefecture_code', 'province_code', 'trade_category'] %}  {#- where a result is #}
{%- set deadline_modes = "'" ~ settings.late_winner_deposit.tender_modes | join("', '") ~ "'" %}
with
deals as (
    -- each section, the columns the flags read, with its settings
    select
        {{ place | join(',\n        ') }},
        tender_mode,
        deal_status,
        deal_date,
        budget_amount,
        winner_code,
        bidder_count,
        publish_date,
        bid_open_date,
        tender_project_code || ' / ' || bid_section_code || ' · ' || strftime(attempt_month, '%Y-%m')
            as entity_key,
        {{ risk_setting('tender_mode', settings.single_bid.by_tender_mode,
                        settings.single_bid.threshold) }}::decimal(38, 6) as fewest_bidders,
        {{ risk_setting('tender_mode', settings.deposit_over_cap.by_tender_mode,
                        risk_setting('trade_category', settings.deposit_over_cap.by_trade_category)) }}::decimal(
            38, 6
        ) as deposit_cap,
        {{ risk_setting('tender_mode', submission.by_tender_mode,
                        submission.threshold if submission.threshold is not none else 'null') }}::decimal(
            38, 6
        ) as fewest_submission_days,
        {{ risk_setting('tender_mode', submission.by_tender_mode) }} is not null as submission_days_by_statute
    from {{ ref('fct_deals') }}
),

fences as (
    select * from {{ ref('mart_risk_fences') }}
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

section_deposits as (
    -- what the deposit flags read of a section's bid deposits: the winner's first, the others',
    -- the cash ones without a payer account, and the most bidders who paid from one account
    select
        tender_project_code,
        bid_section_code,
        attempt_month,
        min(received_date) filter (where bidder_role = 'winner') as winner_received_date,
        count(*) filter (where bidder_role = 'other') as n_others,
        count(*) filter (where pay_form = 'cash') as n_cash,
        count(*) filter (where pay_form = 'cash' and payer_account is null) as n_cash_without_account
    from bid_securities
    group by all
),

shared_accounts as (
    -- the most bidders of a section who paid from one account
    select
        tender_project_code,
        bid_section_code,
        attempt_month,
        max(n_bidders) as n_bidders
    from {{ ref('mart_risk_section_accounts') }}
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
        largest_deposit.amount::decimal(38, 6) as value,
        -- the cap in money, to the fen as a deposit is paid (2 % of 1,234,567.89 is 24,691.36)
        round(deals.budget_amount * deals.deposit_cap, 2)::decimal(38, 6) as threshold,
        'statute' as threshold_source,
        largest_deposit.amount > round(deals.budget_amount * deals.deposit_cap, 2) as fires
    from deals
    left join largest_deposit
        on
            {{ same_section('deals', 'largest_deposit') }}
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
            {{ same_section('deals', 'issuer_days') }}
),

short_submission_period as (
    select
        deals.*,
        'short_submission_period' as indicator,
        case
            when deals.fewest_submission_days is null then 'undefined'
            when deals.publish_date is null or deals.bid_open_date is null then 'insufficient_data'
            else 'calculated'
        end as status,
        case
            when deals.publish_date is null then 'publish_date'
            when deals.bid_open_date is null then 'bid_open_date'
        end as missing,
        (deals.bid_open_date - deals.publish_date)::decimal(38, 6) as value,
        deals.fewest_submission_days as threshold,
        case when deals.submission_days_by_statute then 'statute' else 'fixed' end as threshold_source,
        deals.bid_open_date - deals.publish_date < deals.fewest_submission_days as fires
    from deals
),

short_decision_period as (
    -- days from bid opening to the deal, against the lowest part of its category's year
    select
        deals.*,
        'short_decision_period' as indicator,
        case
            when deals.deal_status <> 'concluded' then 'undefined'
            when deals.bid_open_date is null then 'insufficient_data'
            else 'calculated'
        end as status,
        case when deals.bid_open_date is null then 'bid_open_date' end as missing,
        (deals.deal_date - deals.bid_open_date)::decimal(38, 6) as value,
        fences.fence::decimal(38, 6) as threshold,
        'fence' as threshold_source,
        deals.deal_date - deals.bid_open_date < fences.fence as fires
    from deals
    left join fences
        on
            fences.indicator = 'short_decision_period'
            and deals.trade_category = fences.fence_group
            and date_trunc('year', deals.month) = fences.period
),

late_winner_deposit as (
    -- the winner's bid deposit received after bid opening (days after it), or none where
    -- others paid one
    select
        deals.*,
        'late_winner_deposit' as indicator,
        case
            when
                deals.tender_mode not in ({{ deadline_modes }})
                or deals.deal_status <> 'concluded'
                or deposits.tender_project_code is null then 'undefined'
            when deals.winner_code is null then 'insufficient_data'
            when deals.bid_open_date is null and deposits.winner_received_date is not null
                then 'insufficient_data'
            else 'calculated'
        end as status,
        case
            when deals.winner_code is null then 'winner_code'
            when deals.bid_open_date is null then 'bid_open_date'
        end as missing,
        (deposits.winner_received_date - deals.bid_open_date)::decimal(38, 6) as value,
        0::decimal(38, 6) as threshold,
        'statute' as threshold_source,
        coalesce(deposits.winner_received_date > deals.bid_open_date, deposits.n_others > 0) as fires
    from deals
    left join section_deposits as deposits
        on
            {{ same_section('deals', 'deposits') }}
),

shared_account as (
    select
        deals.*,
        'shared_account' as indicator,
        case
            when coalesce(deposits.n_cash, 0) = 0 then 'undefined'
            when
                shared.n_bidders >= {{ settings.shared_account.minimum_bidders }}
                or deposits.n_cash_without_account = 0
                then 'calculated'
            else 'insufficient_data'
        end as status,
        'payer_account' as missing,
        shared.n_bidders::decimal(38, 6) as value,
        {{ settings.shared_account.minimum_bidders }}::decimal(38, 6) as threshold,
        'statute' as threshold_source,
        shared.n_bidders >= threshold as fires
    from deals
    left join section_deposits as deposits
        on
            {{ same_section('deals', 'deposits') }}
    left join shared_accounts as shared
        on
            {{ same_section('deals', 'shared') }}
),

not_own_account as (
    -- a cash bid deposit paid by someone other than its bidder (names compared without
    -- blanks and brackets)
    select
        {{ place | join(',\n        ') }},
        'not_own_account' as indicator,
        'security' as grain,
        security_id as entity_key,
        case
            when payer_name is null or bidder_name is null then 'insufficient_data'
            else 'calculated'
        end as status,
        case when payer_name is null then 'payer_name' else 'bidder_name' end as missing,
        'statute' as threshold_source,
        regexp_replace(payer_name, '[\s　()（）]', '', 'g')
        <> regexp_replace(bidder_name, '[\s　()（）]', '', 'g') as fires
    from bid_securities
    where pay_form = 'cash'
),

winner_share as (
    select
        'winner_share' as indicator,
        'tenderer_year' as grain,
        tenderers.tenderer_code as entity_key,
        tenderers.period as month,
        case
            when tenderers.n_sections < {{ settings.winner_share.minimum_sections }} then 'undefined'
            else 'calculated'
        end as status,
        tenderers.top_winner_share::decimal(38, 6) as value,
        least(fences.upper_fence, {{ settings.winner_share.threshold }})::decimal(38, 6) as threshold,
        case
            when fences.upper_fence < {{ settings.winner_share.threshold }} then 'fence' else 'fixed'
        end as threshold_source,
        tenderers.top_winner_share > least(fences.upper_fence, {{ settings.winner_share.threshold }})
            as fires
    from {{ ref('mart_risk_tenderer_years') }} as tenderers
    left join fences
        on fences.indicator = 'winner_share' and tenderers.period = fences.period
),

late_refunds_by_agency as (
    select
        'late_refunds_by_agency' as indicator,
        'agency_year' as grain,
        agencies.agency_code as entity_key,
        agencies.period as month,
        case
            when
                agencies.n_due < {{ settings.late_refunds_by_agency.minimum_due }}
                or fences.upper_fence is null then 'undefined'
            else 'calculated'
        end as status,
        agencies.late_share::decimal(38, 6) as value,
        fences.upper_fence::decimal(38, 6) as threshold,
        'fence' as threshold_source,
        agencies.late_share > fences.upper_fence as fires
    from {{ ref('mart_risk_agency_years') }} as agencies
    left join fences
        on fences.indicator = 'late_refunds_by_agency' and agencies.period = fences.period
),

co_bidding_ring as (
    -- two bidders who keep bidding together (mart_risk_bidder_pairs)
    select
        'co_bidding_ring' as indicator,
        'bidder_pair' as grain,
        bidder_a || ' + ' || bidder_b as entity_key,
        period as month,
        'calculated' as status,
        jaccard::decimal(38, 6) as value,
        {{ settings.co_bidding_ring.threshold }}::decimal(38, 6) as threshold,
        'fixed' as threshold_source,
        jaccard >= {{ settings.co_bidding_ring.threshold }} as fires
    from {{ ref('mart_risk_bidder_pairs') }}
),

bid_sets as (
    -- the concluded sections of two or more bidders, the winner among them, in each 24-month
    -- window they fall in (a year and the one before)
    select
        bid_years.bid_year as period,
        bid_sets_held.winner_code,
        bid_sets_held.bidders
    from (select distinct held.bid_year from {{ ref('mart_risk_bid_sets') }} as held) as bid_years
    inner join {{ ref('mart_risk_bid_sets') }} as bid_sets_held
        on bid_sets_held.bid_year in (bid_years.bid_year, bid_years.bid_year - interval 1 year)
    where
        bid_sets_held.winner_code is not null
        and list_contains(bid_sets_held.bidders, bid_sets_held.winner_code)
        and len(bid_sets_held.bidders) > 1
),

recurring_co_bidders as (
    -- a winner with the same other bidders in more than one of its sections
    select
        'recurring_co_bidders' as indicator,
        'bidder_group' as grain,
        winner_code || ' ← ' || array_to_string(list_filter(bidders, lambda b: b <> winner_code), ' + ')
            as entity_key,
        period as month,
        'calculated' as status,
        count(*)::decimal(38, 6) as value,
        {{ settings.recurring_co_bidders.threshold }}::decimal(38, 6) as threshold,
        'fixed' as threshold_source,
        count(*) >= {{ settings.recurring_co_bidders.threshold }} as fires
    from bid_sets
    group by period, winner_code, bidders
    having count(*) > 1
),

bid_rotation as (
    -- the same bidders together in more than one concluded section, each of them winning one
    select
        'bid_rotation' as indicator,
        'bidder_group' as grain,
        array_to_string(bidders, ' + ') as entity_key,
        period as month,
        'calculated' as status,
        count(*)::decimal(38, 6) as value,
        {{ settings.bid_rotation.minimum_sections }}::decimal(38, 6) as threshold,
        'fixed' as threshold_source,
        count(*) >= {{ settings.bid_rotation.minimum_sections }}
        and count(distinct winner_code) = len(bidders) as fires
    from bid_sets
    group by period, bidders
    having count(*) > 1
),

cover_bidder as (
    -- a bidder's year against its peers' (mart_risk_fences): many bids, few of them won
    select
        'cover_bidder' as indicator,
        'bidder_year' as grain,
        bidders.bidder_code as entity_key,
        bidders.period as month,
        case when fences.q1 > 0 and fences.fence > 0 then 'calculated' else 'undefined' end as status,
        bidders.win_ratio::decimal(38, 6) as value,
        fences.fence::decimal(38, 6) as threshold,
        fences.fence_source as threshold_source,
        bidders.n_bids >= fences.upper_fence and bidders.win_ratio <= fences.fence as fires
    from {{ ref('mart_risk_bidder_years') }} as bidders
    inner join fences
        on fences.indicator = 'cover_bidder' and bidders.period = fences.period
),

flags as (
    -- noqa: disable=LT02
    {%- for indicator in ['single_bid', 'deposit_over_cap', 'guarantee_cluster',
                          'short_submission_period', 'short_decision_period',
                          'late_winner_deposit', 'shared_account'] %}
    select
        *,
        'section' as grain
    from {{ indicator }}
    union all by name
    {%- endfor %}
    {%- for indicator in ['not_own_account', 'winner_share', 'late_refunds_by_agency', 'co_bidding_ring',
                          'recurring_co_bidders', 'bid_rotation'] %}
    from {{ indicator }}
    union all by name
    {%- endfor %}
    from cover_bidder
    -- noqa: enable=LT02
)

select
    indicator,
    grain,
    entity_key,
    {{ place | join(',\n    ') }},
    tender_mode,
    status,
    case when status = 'calculated' then coalesce(fires, false) end as flagged,
    value,
    threshold,
    threshold_source,
    case when status = 'insufficient_data' then missing end as missing
from flags
