{% from "_selection.sql" import selected %}
-- The sediment deposits overdue at least min_days and holding at least min_amount yuan, overdue
-- longest first (at most list_rows, if given): the first to clear. n_listed: how many there are
-- in all, whatever list_rows cuts.
select
    deposit.security_id,
    deposit.tender_project_code,
    deposit.bid_section_code,
    deposit.bidder_code,
    region.province_name_zh,
    region.prefecture_name_zh,
    region.name_zh as region_name,
    category.name_zh as category_zh,
    category.name_en as category_en,
    deposit.amount,
    deposit.outstanding_amount,
    deposit.received_date,
    deposit.due_date,
    deposit.days_overdue,
    count(*) over () as n_listed
from marts.fct_securities as deposit
inner join marts.dim_region as region on deposit.region_code = region.region_code
inner join marts.dim_trade_category as category on deposit.trade_category = category.code
cross join selection
where
    deposit.is_sediment
    and {{ selected('deposit', months=false) }}
    and deposit.days_overdue >= {{ min_days }}
    and deposit.outstanding_amount >= {{ min_amount }}
order by deposit.days_overdue desc, deposit.security_id asc
{% if list_rows -%}
    limit {{ list_rows }}
{%- endif %}
