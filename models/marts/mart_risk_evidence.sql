{#- The deposits behind a risk flag (mart_risk_flags), for people to read: a deposit above its
    section's cap (deposit_over_cap), and the guarantees one issuer gave two or more of a
    section's bidders on one day (guarantee_cluster). -#}
with
flags as (
    select * from {{ ref('mart_risk_flags') }}
    where flagged and indicator in ('deposit_over_cap', 'guarantee_cluster')
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
        and bid_securities.amount > deals.budget_amount * flags.threshold
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
)

-- noqa: disable=LT02
{%- for part in ['over_cap', 'clustered'] %}
select
    {%- for column in ['indicator', 'entity_key', 'tender_project_code', 'bid_section_code',
                       'attempt_month', 'security_id', 'bidder_code', 'bidder_name', 'pay_form',
                       'issuer', 'received_date', 'amount', 'budget_amount'] %}
    {{ column }}{{ ',' if not loop.last }}
    {%- endfor %}
from {{ part }}
{{- '\nunion all' if not loop.last }}
{%- endfor %}
-- noqa: enable=LT02
