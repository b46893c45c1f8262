{% from "_selection.sql" import selected_region_month %}
{% from "ratio.sql" import ratio %}
{% from "period_change.sql" import period_change, change_unit %}
-- Every declared metric for the selection's region and its last month, with the previous month,
-- the same month last year, year to date and last year's: from mart_kpi_periods, whose rows
-- are by category and for all categories. Several categories: their parts are summed in every
-- period and each ratio recomputed from them (dim_metric: which parts), then the changes.
-- Every value exact, in decimal(38, 6), as in the mart.
{%- set positions = ['value', 'value_prev_month', 'value_last_year', 'value_ytd', 'value_ytd_last_year'] %}
with
chosen_rows as (
    select periods.*
    from marts.mart_kpi_periods as periods
    cross join selection
    where
        {{ selected_region_month('periods') }}
        and case
            when len(selection.categories) = 0 then periods.trade_category = 'all'
            else list_contains(selection.categories, periods.trade_category)
        end
),

parts as (
    select
        chosen_rows.metric,
        -- noqa: disable=LT02
        {%- for position in positions %}
        sum(chosen_rows.{{ position }}) as {{ position }}{{ ',' if not loop.last }}
        {%- endfor %}
    -- noqa: enable=LT02
    from chosen_rows
    inner join marts.dim_metric as metric on chosen_rows.metric = metric.metric
    where metric.metric_type = 'part'
    group by chosen_rows.metric
),

ratios as (
    select
        metric.metric,
        -- noqa: disable=LT02
        {%- for position in positions %}
        ({{ ratio('numerator.' ~ position, 'denominator.' ~ position) }})::decimal(38, 6) as {{ position }}
        {{- ',' if not loop.last }}
        {%- endfor %}
    -- noqa: enable=LT02
    from marts.dim_metric as metric
    inner join parts as numerator on metric.numerator = numerator.metric
    inner join parts as denominator on metric.denominator = denominator.metric
    where metric.metric_type = 'ratio'
),

figures as (
    select * from parts
    union all
    select * from ratios
)

select
    figures.metric,
    metric.unit,
    figures.value,
    figures.value_prev_month,
    figures.value_last_year,
    figures.value_ytd,
    figures.value_ytd_last_year,
    {{ period_change('figures.value', 'figures.value_prev_month', 'metric.unit') }} as change_mom,
    {{ period_change('figures.value', 'figures.value_last_year', 'metric.unit') }} as change_yoy,
    {{ period_change('figures.value_ytd', 'figures.value_ytd_last_year', 'metric.unit') }} as change_ytd_yoy,
    {{ change_unit('metric.unit') }} as change_unit
from figures
inner join marts.dim_metric as metric on figures.metric = metric.metric
order by figures.metric
