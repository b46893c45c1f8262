{% from "_selection.sql" import selected %}
-- The deposits behind the selection's flagged sections (marts.mart_risk_evidence).
select
    evidence.indicator,
    evidence.entity_key,
    evidence.bidder_code,
    evidence.bidder_name,
    evidence.security_id,
    pay_form.name_zh as pay_form_zh,
    pay_form.name_en as pay_form_en,
    evidence.issuer,
    evidence.payer_account_masked,
    evidence.payer_name,
    evidence.received_date,
    evidence.amount,
    evidence.budget_amount
from marts.mart_risk_evidence as evidence
inner join marts.mart_risk_flags as flags
    on
        evidence.indicator = flags.indicator
        and evidence.entity_key = flags.entity_key
left join marts.dim_pay_form as pay_form on evidence.pay_form = pay_form.code
cross join selection
where {{ selected('flags') }}
order by evidence.entity_key, evidence.received_date, evidence.security_id
