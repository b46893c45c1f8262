{% from "_selection.sql" import selected %}
-- How many sediment deposits (沉淀保证金) there are, and how much they hold.
select
    coalesce(sum(ages.n_outstanding), 0) as n_sediment,
    coalesce(sum(ages.amount_outstanding), 0) as amount_sediment
from marts.mart_deposit_ages as ages
cross join selection
where ages.age_bucket = 'sediment' and {{ selected('ages', months=false) }}
