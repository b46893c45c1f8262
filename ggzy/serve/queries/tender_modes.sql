{% from "_selection.sql" import selected %}
select
    tender_mode.name_zh,
    tender_mode.name_en,
    count(*) as n_concluded,
    sum(deal.deal_amount) as deal_amount
from marts.fct_deals as deal
inner join marts.dim_tender_mode as tender_mode on deal.tender_mode = tender_mode.code
cross join selection
where {{ selected('deal') }} and deal.deal_status = 'concluded'
group by all
order by deal_amount desc
