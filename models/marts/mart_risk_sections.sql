{#- What the section flags read of a section's deposits, guarantees, payer accounts and bids, and
    the fences its year sets, one row per section attempt: the aggregations, stored once.
    mart_risk_section_flags is a view that holds them, with the deal's own columns, to the rules:
    a city's twelve results a section are neither written nor copied into the snapshot, only
    their figures. -#}
with
deals as (
    select
        tender_project_code,
        bid_section_code,
        attempt_month,
        month,
        trade_category
    from {{ ref('fct_deals') }}
),

fences as (
    select * from {{ ref('mart_risk_fences') }}
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
    -- what the deposit flags read of a section's bid deposits (投标保证金 in cash or as a
    -- guarantee): the largest, the winner's first, the others', the cash ones without a payer
    -- account
    select
        tender_project_code,
        bid_section_code,
        attempt_month,
        max(amount) as largest_amount,
        min(received_date) filter (where bidder_role = 'winner') as winner_received_date,
        count(*) filter (where bidder_role = 'other') as n_others,
        count(*) filter (where pay_form = 'cash') as n_cash,
        count(*) filter (where pay_form = 'cash' and payer_account is null) as n_cash_without_account
    from {{ ref('fct_securities') }}
    where security_kind = 'bid'
    group by all
),

section_bids as (
    select * from {{ ref('mart_risk_section_bids') }}
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
)

select
    deals.tender_project_code,
    deals.bid_section_code,
    deals.attempt_month,
    deposits.largest_amount,
    deposits.winner_received_date,
    deposits.n_others,
    deposits.n_cash,
    deposits.n_cash_without_account,
    deposits.tender_project_code is not null as has_deposits,
    issuer_days.tender_project_code is not null as has_guarantees,
    issuer_days.n_bidders as n_bidders_one_issuer,
    issuer_days.has_unknown_issuer,
    shared.n_bidders as n_bidders_one_account,
    fences.fence as decision_fence,
    bids.n_submitted,
    bids.n_submitted_unpriced,
    bids.n_disqualified,
    bids.n_distinct_prices,
    bids.n_valid,
    bids.n_valid_unpriced,
    bids.n_others_disqualified,
    bids.winner_bid_valid,
    bids.winner_price,
    bids.lowest_other_price,
    bids.lowest_valid_price,
    bids.lowest_disqualified_price,
    bids.second_bid_margin,
    close_fences.fence as close_fence,
    discount_fences.upper_fence as discount_fence
from deals
left join section_deposits as deposits
    on
        {{ same_section('deals', 'deposits') }}
left join issuer_days
    on
        {{ same_section('deals', 'issuer_days') }}
left join shared_accounts as shared
    on
        {{ same_section('deals', 'shared') }}
left join section_bids as bids
    on
        {{ same_section('deals', 'bids') }}
left join fences as close_fences
    on
        close_fences.indicator = 'close_to_winner'
        and date_trunc('year', deals.month) = close_fences.period
left join fences as discount_fences
    on
        discount_fences.indicator = 'heavily_discounted'
        and date_trunc('year', deals.month) = discount_fences.period
left join fences
    on
        fences.indicator = 'short_decision_period'
        and deals.trade_category = fences.fence_group
        and date_trunc('year', deals.month) = fences.period
