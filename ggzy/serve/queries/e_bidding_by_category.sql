{% from "_selection.sql" import selected %}
with
summed as (
    select
        category.name_zh,
        category.name_en,
        sum(e_bidding.n_concluded) as n_concluded,
        sum(e_bidding.n_electronic) as n_electronic,
        sum(e_bidding.deal_amount) as deal_amount,
        sum(e_bidding.deal_amount_electronic) as deal_amount_electronic,
        sum(e_bidding.n_e_known) as n_e_known,
        sum(e_bidding.deal_amount_e_known) as deal_amount_e_known,
        sum(e_bidding.n_remote_evaluation) as n_remote_evaluation,
        sum(e_bidding.deal_amount_remote_evaluation) as deal_amount_remote_evaluation
    from marts.mart_e_bidding as e_bidding
    inner join marts.dim_trade_category as category on e_bidding.trade_category = category.code
    cross join selection
    where {{ selected('e_bidding') }}
    group by all
)

select
    *,
    {{ e_bidding_rate }},
    {{ e_bidding_rate_amount }}
from summed
order by n_concluded desc
