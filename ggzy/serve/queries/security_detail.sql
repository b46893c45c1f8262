-- One security with its section: everything a centre needs to chase the refund, each column named
-- by its label in the dashboard's dictionary (app/labels.py); a code comes as its names, <label>_zh
-- and <label>_en; the region as the list of its names, province first. It is the security now:
-- settled, overdue and sediment as at the build date (state_as_at), while the sediment list it is
-- chosen from is as at the selected month's end.
select
    held.security_id as security_code,
    held.tender_project_code as project,
    held.bid_section_code as bid_section,
    held.bidder_code as bidder,
    held.bidder_name,
    [region.province_name_zh, region.prefecture_name_zh, region.name_zh] as region,  -- a path
    category.name_zh as category_zh,
    category.name_en as category_en,
    kind.name_zh as security_kind_zh,
    kind.name_en as security_kind_en,
    form.name_zh as pay_form_zh,
    form.name_en as pay_form_en,
    held.amount as amount_yuan,
    held.received_date,
    deal.deal_date,
    deal.contract_sign_date,
    held.due_date,
    held.refunded_amount as refunded_yuan,
    held.forfeited_amount as forfeited_yuan,
    held.converted_amount as converted_yuan,
    held.settled_date,
    held.outstanding_amount as outstanding_yuan,
    (select max(ages.as_at_date) from marts.mart_deposit_ages_by_month as ages) as state_as_at,
    held.days_overdue,
    held.is_sediment as sediment,
    outcome.name_zh as deal_status_zh,
    outcome.name_en as deal_status_en,
    tendering.name_zh as tender_mode_zh,
    tendering.name_en as tender_mode_en,
    deal.winner_code as winner,
    deal.deal_amount as deal_amount_yuan,
    deal.platform_code as platform
from marts.fct_securities as held
inner join chosen on held.security_id = chosen.security_id
left join marts.dim_region as region on held.region_code = region.region_code
left join marts.dim_trade_category as category on held.trade_category = category.code
left join marts.dim_security_kind as kind on held.security_kind = kind.code
left join marts.dim_pay_form as form on held.pay_form = form.code
left join marts.fct_deals as deal
    on
        held.tender_project_code = deal.tender_project_code
        and held.bid_section_code = deal.bid_section_code
        and held.attempt_month = deal.attempt_month
left join marts.dim_deal_status as outcome on deal.deal_status = outcome.code
left join marts.dim_tender_mode as tendering on deal.tender_mode = tendering.code
