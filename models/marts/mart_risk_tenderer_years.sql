{#- Each tenderer's year for winner_share (mart_risk_flags): its concluded sections with a known
    winner and deal amount, and the winner with the largest share of that amount (the first
    code of a tie). -#}
with
won as (
    select
        tenderer_code,
        date_trunc('year', month)::date as period,
        upper(winner_code) as winner_code,
        count(*) as n_sections,
        sum(deal_amount) as deal_amount
    from {{ ref('fct_deals') }}
    where
        deal_status = 'concluded'
        and tenderer_code is not null
        and winner_code is not null
        and deal_amount is not null
    group by all
),

years as (
    select
        tenderer_code,
        period,
        sum(n_sections) as n_sections,
        sum(deal_amount) as deal_amount,
        first(winner_code order by deal_amount desc, winner_code asc) as top_winner_code,
        max(deal_amount) as top_winner_amount
    from won
    group by all
)

select
    tenderer_code,
    period,
    n_sections,
    deal_amount,
    top_winner_code,
    top_winner_amount,
    {{ ratio('top_winner_amount', 'deal_amount') }}::double as top_winner_share
from years
