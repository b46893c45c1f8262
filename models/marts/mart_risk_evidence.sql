{#- The deposits behind a risk flag (mart_risk_flags), for people to read: a deposit above its
    section's cap (deposit_over_cap), and the guarantees one issuer gave two or more of a
    section's bidders on one day (guarantee_cluster). -#}
with
flags as (
    select * from {{ ref('mart_risk_flags') }}
    where flagged and indicator in ('deposit_over_cap', 'guarantee_cluster')
),

deals as (
    select * from {{ ref('fct_deals') }}
),

bid_securities as (
    select
        *,
        count(distinct bidder_code) over (
            partition by tender_project_code, bid_section_code, attempt_month, issuer, received_date
        ) as n_bidders_of_issuer_day
    from {{ ref('fct_securities') }}
    where security_kind = 'bid'  -- 投标保证金 in cash or as a guarantee
),

final as (
    select
        flags.indicator,
        flags.entity_key,
        flags.tender_project_code,
        flags.bid_section_code,
        flags.attempt_month,
        bid_securities.security_id,
        bid_securities.bidder_code,
        bid_securities.bidder_name,
        bid_securities.pay_form,
        bid_securities.issuer,
        bid_securities.received_date,
        bid_securities.amount,
        deals.budget_amount
    from flags
    inner join bid_securities
        on
            flags.tender_project_code = bid_securities.tender_project_code
            and flags.bid_section_code = bid_securities.bid_section_code
            and flags.attempt_month = bid_securities.attempt_month
    inner join deals
        on
            flags.tender_project_code = deals.tender_project_code
            and flags.bid_section_code = deals.bid_section_code
            and flags.attempt_month = deals.attempt_month
    where
        (
            flags.indicator = 'deposit_over_cap'
            and bid_securities.amount > deals.budget_amount * flags.threshold
        )
        or (
            flags.indicator = 'guarantee_cluster' and bid_securities.is_guarantee
            and bid_securities.issuer is not null
            and bid_securities.n_bidders_of_issuer_day >= flags.threshold
        )
)

select * from final
