{% from "_selection.sql" import selected_region_month %}
-- For the selection's region and last month: each category's (and every category's, 'all') deal
-- amount with its 同比, the same month last year, the year to date and its 累计同比
-- (mart_kpi_periods), in the code list's order.
select
    periods.trade_category,
    category.name_zh,
    category.name_en,
    periods.value,
    periods.value_last_year,
    periods.change_yoy,
    periods.value_ytd,
    periods.change_ytd_yoy
from marts.mart_kpi_periods as periods
left join marts.dim_trade_category as category on periods.trade_category = category.code
cross join selection
where {{ selected_region_month('periods') }} and periods.metric = 'deal_amount'
order by periods.trade_category = 'all', category.sort_order, periods.trade_category
