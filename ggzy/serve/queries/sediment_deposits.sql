{% from "_selection.sql" import selected %}
-- The sediment deposits overdue at least min_days and holding at least min_amount yuan, overdue
-- longest first (at most list_rows, if given): the first to clear. n_listed: how many there are
-- in all, whatever list_rows cuts. The names are joined to the rows listed only, after the cut.
with
sediment as (
    select
        deposit.security_id,
        deposit.tender_project_code,
        deposit.bid_section_code,
        deposit.bidder_code,
        deposit.region_code,
        deposit.trade_category,
        deposit.amount,
        deposit.outstanding_amount,
        deposit.received_date,
        deposit.due_date,
        deposit.days_overdue
    from marts.fct_securities as deposit
    cross join selection
    where
        deposit.is_sediment
        and {{ selected('deposit', months=false) }}
        and deposit.days_overdue >= {{ min_days }}
        and deposit.outstanding_amount >= {{ min_amount }}
),

listed as (
    select * from sediment
    order by days_overdue desc, security_id asc
    {% if list_rows -%}
        limit {{ list_rows }}
    {%- endif %}
)

select
    listed.security_id,
    listed.tender_project_code,
    listed.bid_section_code,
    listed.bidder_code,
    region.province_name_zh,
    region.prefecture_name_zh,
    region.name_zh as region_name,
    category.name_zh as category_zh,
    category.name_en as category_en,
    listed.amount,
    listed.outstanding_amount,
    listed.received_date,
    listed.due_date,
    listed.days_overdue,
    (select count(*) from sediment) as n_listed
from listed
inner join marts.dim_region as region on listed.region_code = region.region_code
inner join marts.dim_trade_category as category on listed.trade_category = category.code
order by listed.days_overdue desc, listed.security_id asc
