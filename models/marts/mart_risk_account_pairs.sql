{#- Two bidders (codes in upper case) who paid cash bid deposits from one payer account (its keyed
    hash), in any sections: for each such account, the fewest days between a deposit of one and a
    deposit of the other, and the dates of that closest couple — shared_account_pair's
    figure (mart_risk_flags) and where its evidence is (mart_risk_evidence). A view. -#}
{{ config(materialized='view') }}
with
paid as (
    -- each bidder's days of deposits from each account
    select
        payer_account,
        upper(bidder_code) as bidder_code,
        list(distinct received_date) as days_paid
    from {{ ref_in_view('fct_securities') }}
    where security_kind = 'bid' and pay_form = 'cash' and payer_account is not null
    group by all
),

closest as (
    select
        a.payer_account,
        a.bidder_code as bidder_a,
        b.bidder_code as bidder_b,
        -- the closest couple of days, the nearer first, then the earlier
        list_min(list_transform(
            a.days_paid,
            lambda day_a: list_min(list_transform(
                b.days_paid,
                lambda day_b: struct_pack(
                    n_days := abs(day_b - day_a),  -- noqa: RF02
                    later := greatest(day_a, day_b),  -- noqa: RF02
                    earlier := least(day_a, day_b)  -- noqa: RF02
                )
            ))
        )) as couple
    from paid as a
    inner join paid as b on a.payer_account = b.payer_account and a.bidder_code < b.bidder_code
)

select
    closest.payer_account,
    closest.bidder_a,
    closest.bidder_b,
    closest.couple.n_days,
    closest.couple.earlier as earlier_date,
    closest.couple.later as later_date
from closest
