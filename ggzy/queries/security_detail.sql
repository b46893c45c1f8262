-- One security with its section: everything a centre needs to chase the refund.
-- every column of the security (shown as a list, whatever fct_securities holds)
select
    held.*,  -- noqa: AM04
    deal.deal_date,
    deal.contract_sign_date,
    deal.deal_status,
    deal.winner_code,
    deal.deal_amount,
    deal.tender_mode,
    deal.platform_code
from marts.fct_securities as held
inner join chosen on held.security_id = chosen.security_id
left join marts.fct_deals as deal
    on
        held.tender_project_code = deal.tender_project_code
        and held.bid_section_code = deal.bid_section_code
        and held.attempt_month = deal.attempt_month
