{% from "_selection.sql" import held_at_end %}
-- How many sediment deposits (沉淀保证金) there are at the end of the selection's last month, and
-- how much they hold.
select
    coalesce(sum(ages.n_outstanding), 0) as n_sediment,
    coalesce(sum(ages.amount_outstanding), 0) as amount_sediment
from marts.mart_deposit_ages_by_month as ages
cross join selection
where ages.age_bucket = 'sediment' and {{ held_at_end('ages') }}
