{% from "_selection.sql" import selected_region_month %}
-- Every declared metric of the report's month for the chosen region (or all regions), by trade
-- category and for all categories ('all'), from mart_kpi_periods: the month, year to date and
-- the same periods a year before, and their changes (sub_regions: the regions one level below).
select
    periods.trade_category,
    periods.metric,
    periods.value,
    periods.value_last_year,
    periods.value_ytd,
    periods.value_ytd_last_year,
    periods.change_mom,
    periods.change_yoy,
    periods.change_ytd_yoy,
    periods.change_unit
from marts.mart_kpi_periods as periods
cross join selection
where {{ selected_region_month('periods') }}
