{% from "_selection.sql" import selected %}
-- The regions one level below the selection (child_column: their code column), by deal amount
-- over the month range.
select
    traded.{{ child_column }} as region_code,
    region.name_zh,
    sum(traded.n_concluded) as n_concluded,
    sum(traded.deal_amount) as deal_amount
from marts.mart_trading_volume as traded
inner join marts.dim_region as region on traded.{{ child_column }} = region.region_code
cross join selection
where {{ selected('traded') }}
group by all
order by deal_amount desc
