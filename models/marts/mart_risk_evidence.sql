{#- The deposits behind a risk flag (mart_risk_flags), for people to read: a deposit above its
    section's cap (deposit_over_cap), the guarantees one issuer gave two or more of a section's
    bidders on one day (guarantee_cluster), the cash deposits of an account two or more of a
    section's bidders paid from (shared_account, the account masked), a deposit paid by another
    (not_own_account), the winner's deposit after bid opening (late_winner_deposit) and two
    bidders' closest deposits from an account they shared within the days allowed
    (shared_account_pair). Each part names the deposits; their columns are read once, at the end. -#}
{{ config(materialized='view') }}
with
flags as (
    select * from {{ ref_in_view('mart_risk_flags') }}
    where
        flagged
        and indicator in (
            'deposit_over_cap', 'guarantee_cluster', 'shared_account', 'not_own_account',
            'late_winner_deposit', 'shared_account_pair'
        )
),

bid_securities as (
    select * from {{ ref_in_view('fct_securities') }}
    where security_kind = 'bid'  -- 投标保证金 in cash or as a guarantee
),

over_cap as (
    select
        flags.indicator,
        flags.entity_key,
        bid_securities.security_id
    from flags
    inner join bid_securities on {{ same_section('flags', 'bid_securities') }}
    where
        flags.indicator = 'deposit_over_cap'
        and bid_securities.amount > flags.threshold
),

clustered as (
    -- the guarantees of the issuer-days that served the threshold's bidders or more
    select
        flags.indicator,
        flags.entity_key,
        bid_securities.security_id
    from flags
    inner join {{ ref_in_view('mart_risk_issuer_days') }} as cluster_days
        on
            {{ same_section('flags', 'cluster_days') }}
            and flags.threshold <= cluster_days.n_bidders
    inner join bid_securities
        on
            {{ same_section('cluster_days', 'bid_securities') }}
            and cluster_days.issuer = bid_securities.issuer
            and cluster_days.received_date = bid_securities.received_date
    where flags.indicator = 'guarantee_cluster' and bid_securities.is_guarantee
),

shared as (
    -- the cash deposits of the accounts two or more of the section's bidders paid from
    select
        flags.indicator,
        flags.entity_key,
        bid_securities.security_id
    from flags
    inner join {{ ref_in_view('mart_risk_section_accounts') }} as section_accounts
        on
            {{ same_section('flags', 'section_accounts') }}
            and section_accounts.n_bidders >= {{ var('risk_flags').shared_account.minimum_bidders }}
    inner join bid_securities
        on
            {{ same_section('section_accounts', 'bid_securities') }}
            and section_accounts.payer_account = bid_securities.payer_account
    where flags.indicator = 'shared_account'
),

not_own as (
    -- the deposit itself
    select
        indicator,
        entity_key,
        entity_key as security_id
    from flags
    where indicator = 'not_own_account'
),

late as (
    -- the winner's bid deposits
    select
        flags.indicator,
        flags.entity_key,
        bid_securities.security_id
    from flags
    inner join bid_securities
        on
            {{ same_section('flags', 'bid_securities') }}
            and bid_securities.bidder_role = 'winner'
    where flags.indicator = 'late_winner_deposit'
),

paired as (
    -- the two bidders' closest deposits from an account they shared within the threshold's days
    select
        flags.indicator,
        flags.entity_key,
        bid_securities.security_id
    from flags
    inner join {{ ref_in_view('mart_risk_account_pairs') }} as shared_pairs
        on
            flags.entity_key = {{ risk_pair_key('shared_pairs.bidder_a', 'shared_pairs.bidder_b') }}
            and flags.threshold >= shared_pairs.n_days
    inner join bid_securities
        on
            shared_pairs.payer_account = bid_securities.payer_account
            and upper(bid_securities.bidder_code) in (shared_pairs.bidder_a, shared_pairs.bidder_b)
            and bid_securities.received_date in (shared_pairs.earlier_date, shared_pairs.later_date)
    where flags.indicator = 'shared_account_pair'
),

behind as (
    select * from paired
    union all
    select * from over_cap
    union all
    select * from clustered
    union all
    select * from shared
    union all
    select * from not_own
    union all
    select * from late
)

select
    behind.indicator,
    behind.entity_key,
    deposits.tender_project_code,
    deposits.bid_section_code,
    deposits.attempt_month,
    deposits.security_id,
    deposits.bidder_code,
    deposits.bidder_name,
    deposits.pay_form,
    deposits.issuer,
    deposits.payer_account_masked,
    deposits.payer_name,
    deposits.received_date,
    deposits.amount,
    case when behind.indicator = 'deposit_over_cap' then deals.budget_amount end as budget_amount
from behind
inner join bid_securities as deposits on behind.security_id = deposits.security_id
left join {{ ref_in_view('fct_deals') }} as deals on {{ same_section('deposits', 'deals') }}
