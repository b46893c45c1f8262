-- The pay forms, cash first: the columns mart_guarantee_substitution has an amount_<code> for.
select
    pay_form.code,
    pay_form.name_zh,
    pay_form.name_en,
    pay_form.is_guarantee
from marts.dim_pay_form as pay_form
order by pay_form.is_guarantee, pay_form.code
