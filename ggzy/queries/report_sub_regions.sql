-- Every declared metric of the report's month, all categories, for the regions one level below
-- the chosen one (child_level; parent_column: their column naming the chosen region, none
-- below all regions).
select
    periods.region_code,
    region.name_zh,
    periods.metric,
    periods.value,
    periods.change_yoy,
    periods.change_unit
from marts.mart_kpi_periods as periods
inner join marts.dim_region as region on periods.region_code = region.region_code
cross join selection
where
    periods.month = selection.end_month
    and periods.trade_category = 'all'
    and periods.region_level = '{{ child_level }}'
    {%- if parent_column %}
        and region.{{ parent_column }} = selection.region_code
    {%- endif %}
