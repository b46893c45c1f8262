{#- The deposits behind a risk flag (mart_risk_flags), for people to read: a deposit above its
    section's cap (deposit_over_cap), the guarantees one issuer gave two or more of a section's
    bidders on one day (guarantee_cluster), the cash deposits of an account two or more of a
    section's bidders paid from (shared_account, the account masked), a deposit paid by another
    (not_own_account) and the winner's deposit after bid opening (late_winner_deposit). -#}
with
flags as (
    select * from {{ ref('mart_risk_flags') }}
    where
        flagged
        and indicator in (
            'deposit_over_cap', 'guarantee_cluster', 'shared_account', 'not_own_account',
            'late_winner_deposit'
        )
),

bid_securities as (
    select * from {{ ref('fct_securities') }}
    where security_kind = 'bid'  -- 投标保证金 in cash or as a guarantee
),

cluster_days as (
    select * from {{ ref('mart_risk_issuer_days') }}
    where issuer is not null
),

over_cap as (
    select
        flags.indicator,
        flags.entity_key,
        bid_securities.*,
        deals.budget_amount
    from flags
    inner join {{ ref('fct_deals') }} as deals
        on
            flags.tender_project_code = deals.tender_project_code
            and flags.bid_section_code = deals.bid_section_code
            and flags.attempt_month = deals.attempt_month
    inner join bid_securities
        on
            flags.tender_project_code = bid_securities.tender_project_code
            and flags.bid_section_code = bid_securities.bid_section_code
            and flags.attempt_month = bid_securities.attempt_month
    where
        flags.indicator = 'deposit_over_cap'
        and bid_securities.amount > flags.threshold
),

clustered as (
    select
        flags.indicator,
        flags.entity_key,
        bid_securities.*,
        null::decimal(18, 2) as budget_amount
    from flags
    inner join cluster_days
        on
            flags.tender_project_code = cluster_days.tender_project_code
            and flags.bid_section_code = cluster_days.bid_section_code
            and flags.attempt_month = cluster_days.attempt_month
            and flags.threshold <= cluster_days.n_bidders
    inner join bid_securities
        on
            cluster_days.tender_project_code = bid_securities.tender_project_code
            and cluster_days.bid_section_code = bid_securities.bid_section_code
            and cluster_days.attempt_month = bid_securities.attempt_month
            and cluster_days.issuer = bid_securities.issuer
            and cluster_days.received_date = bid_securities.received_date
    where flags.indicator = 'guarantee_cluster' and bid_securities.is_guarantee
),

shared_accounts as (
    select
        tender_project_code,
        bid_section_code,
        attempt_month,
        payer_account
    from bid_securities
    where pay_form = 'cash' and payer_account is not null
    group by all
    having count(distinct upper(bidder_code)) >= {{ var('risk_flags').shared_account.minimum_bidders }}
),

shared as (
    select
        flags.indicator,
        flags.entity_key,
        bid_securities.*,
        null::decimal(18, 2) as budget_amount
    from flags
    inner join shared_accounts
        on
            flags.tender_project_code = shared_accounts.tender_project_code
            and flags.bid_section_code = shared_accounts.bid_section_code
            and flags.attempt_month = shared_accounts.attempt_month
    inner join bid_securities
        on
            shared_accounts.tender_project_code = bid_securities.tender_project_code
            and shared_accounts.bid_section_code = bid_securities.bid_section_code
            and shared_accounts.attempt_month = bid_securities.attempt_month
            and shared_accounts.payer_account = bid_securities.payer_account
    where flags.indicator = 'shared_account'
),

own_or_late as (
    -- the deposit itself (not_own_account), the winner's bid deposits (late_winner_deposit)
    select
        flags.indicator,
        flags.entity_key,
        bid_securities.*,
        null::decimal(18, 2) as budget_amount
    from flags
    inner join bid_securities
        on
            (flags.indicator = 'not_own_account' and flags.entity_key = bid_securities.security_id)
            or (
                flags.indicator = 'late_winner_deposit'
                and flags.tender_project_code = bid_securities.tender_project_code
                and flags.bid_section_code = bid_securities.bid_section_code
                and flags.attempt_month = bid_securities.attempt_month
                and bid_securities.bidder_role = 'winner'
            )
)

-- noqa: disable=LT02
{%- for part in ['over_cap', 'clustered', 'shared', 'own_or_late'] %}
select
    {%- for column in ['indicator', 'entity_key', 'tender_project_code', 'bid_section_code',
                       'attempt_month', 'security_id', 'bidder_code', 'bidder_name', 'pay_form',
                       'issuer', 'payer_account_masked', 'payer_name', 'received_date', 'amount',
                       'budget_amount'] %}
    {{ column }}{{ ',' if not loop.last }}
    {%- endfor %}
from {{ part }}
{{- '\nunion all' if not loop.last }}
{%- endfor %}
-- noqa: enable=LT02
