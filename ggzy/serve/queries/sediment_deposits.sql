{% from "_selection.sql" import held_at_end %}
-- The sediment deposits at the end of the selection's last month (fct_deposit_month_ends: what
-- each still held then, days overdue then) overdue at least min_days and holding at least
-- min_amount yuan, overdue longest first (at most list_rows, if given): the first to clear.
-- n_listed: how many there are in all, whatever list_rows cuts. The names are joined to the
-- rows listed only, after the cut.
with
sediment as (
    select
        held.security_id,
        held.region_code,
        held.trade_category,
        held.outstanding_amount,
        held.days_overdue
    from marts.fct_deposit_month_ends as held
    cross join selection
    where
        held.is_sediment
        and {{ held_at_end('held') }}
        and held.days_overdue >= {{ min_days }}
        and held.outstanding_amount >= {{ min_amount }}
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
    deposit.tender_project_code,
    deposit.bid_section_code,
    deposit.bidder_code,
    deposit.bidder_name,
    region.province_name_zh,
    region.prefecture_name_zh,
    region.name_zh as region_name,
    category.name_zh as category_zh,
    category.name_en as category_en,
    deposit.amount,
    listed.outstanding_amount,
    deposit.received_date,
    deposit.due_date,
    listed.days_overdue,
    (select count(*) from sediment) as n_listed
from listed
inner join marts.fct_securities as deposit on listed.security_id = deposit.security_id
inner join marts.dim_region as region on listed.region_code = region.region_code
inner join marts.dim_trade_category as category on listed.trade_category = category.code
order by listed.days_overdue desc, listed.security_id asc
