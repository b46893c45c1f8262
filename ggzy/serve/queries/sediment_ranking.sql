{% from "_selection.sql" import selected %}
-- Where the sediment deposits are: by county (by = 'county') or by bidder (by = 'bidder'), the
-- list_rows holding most.
{%- set holder = "concat_ws(' ', region.prefecture_name_zh, region.name_zh)" if by == 'county'
    else 'deposit.bidder_code' %}
select
    {{ holder }} as holder,
    count(*) as n_sediment,
    sum(deposit.outstanding_amount) as amount_sediment
from marts.fct_securities as deposit
inner join marts.dim_region as region on deposit.region_code = region.region_code
cross join selection
where deposit.is_sediment and {{ selected('deposit', months=false) }}
group by holder
order by amount_sediment desc, holder asc
limit {{ list_rows }}
