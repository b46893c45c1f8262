{% from "_selection.sql" import held_at_end %}
-- Where the sediment deposits are at the end of the selection's last month: by county
-- (by = 'county') or by bidder (by = 'bidder': its name with its code, where the file named it), the
-- list_rows holding most.
{%- set holder = "concat_ws(' ', region.prefecture_name_zh, region.name_zh)" if by == 'county'
    else "coalesce(deposit.bidder_name || ' · ' || deposit.bidder_code, deposit.bidder_code)" %}
select
    {{ holder }} as holder,
    count(*) as n_sediment,
    sum(held.outstanding_amount) as amount_sediment
from marts.fct_deposit_month_ends as held
inner join marts.fct_securities as deposit on held.security_id = deposit.security_id
inner join marts.dim_region as region on held.region_code = region.region_code
cross join selection
where held.is_sediment and {{ held_at_end('held') }}
group by holder
order by amount_sediment desc, holder asc
limit {{ list_rows }}
