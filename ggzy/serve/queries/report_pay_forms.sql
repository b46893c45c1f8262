{% from "_selection.sql" import selected %}
-- Securities received in the report's month by pay form (cash first): how many, how much, the
-- guarantee fees; the same population as mart_guarantee_substitution.
select
    form.code,
    form.name_zh,
    form.name_en,
    form.is_guarantee,
    count(*) as n_securities,
    sum(deposit.amount) as amount,
    sum(coalesce(deposit.guarantee_fee, 0)) as guarantee_fee
from marts.fct_securities as deposit
inner join marts.dim_pay_form as form on deposit.pay_form = form.code
cross join selection
where {{ selected('deposit') }}
group by all
order by form.is_guarantee asc, amount desc
