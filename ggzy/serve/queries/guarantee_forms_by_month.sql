{% from "_selection.sql" import selected %}
-- Each pay form's amount (form_sums: one column per code of dim_pay_form) and all securities'
-- amount, by month.
select
    substitution.month,
    sum(substitution.amount_total) as amount_total,
    {{ form_sums }}
from marts.mart_guarantee_substitution as substitution
cross join selection
where {{ selected('substitution') }}
group by substitution.month
order by substitution.month
