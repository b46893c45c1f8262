{% from "_selection.sql" import selected %}
-- Every month up to the selection's end (for the changes and trends): the declared parts summed
-- over the selection, and every declared ratio recomputed from them.
with
summed as (
    select
        kpi.month,
        {{ part_sums }}
    from marts.mart_kpi_category_monthly as kpi
    cross join selection
    where kpi.month <= selection.end_month and {{ selected('kpi', months=false) }}
    group by kpi.month
)

select
    *,
    {{ ratio_columns }}
from summed
order by month
