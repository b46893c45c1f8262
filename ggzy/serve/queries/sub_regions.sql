-- Every declared metric of the selection's last month for the regions one level below its region
-- (child_level; parent_column: their column naming the chosen region, none below all regions),
-- for all categories, or the one category chosen: from mart_kpi_periods.
select
    periods.region_code,
    region.name_zh,
    periods.metric,
    periods.value,
    periods.value_prev_month,
    periods.value_last_year,
    periods.change_yoy,
    periods.change_unit
from marts.mart_kpi_periods as periods
inner join marts.dim_region as region on periods.region_code = region.region_code
cross join selection
where
    periods.month = selection.end_month
    and periods.trade_category = if(len(selection.categories) = 1, selection.categories[1], 'all')
    and periods.region_level = '{{ child_level }}'
    {%- if parent_column %}
        and region.{{ parent_column }} = selection.region_code
    {%- endif %}
