{% from "_selection.sql" import selected %}
-- The selected months taken together: the declared flows (not the month-end stocks) summed over
-- the selection, and every declared ratio recomputed from them.
with
summed as (
    select {{ part_sums }}
    from marts.mart_kpi_category_monthly as kpi
    cross join selection
    where {{ selected('kpi') }}
)

select
    *,
    {{ ratio_columns }}
from summed
