{% from "_selection.sql" import selected %}
select
    traded.month,
    traded.trade_category,
    category.name_zh,
    category.name_en,
    sum(traded.n_sections) as n_sections,
    sum(traded.n_concluded) as n_concluded,
    sum(traded.n_failed) as n_failed,
    sum(traded.n_terminated) as n_terminated,
    sum(traded.deal_amount) as deal_amount
from marts.mart_trading_volume as traded
inner join marts.dim_trade_category as category on traded.trade_category = category.code
cross join selection
where {{ selected('traded') }}
group by all
order by any_value(category.sort_order) nulls last, traded.trade_category, traded.month
