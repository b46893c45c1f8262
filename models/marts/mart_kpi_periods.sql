{#- Every declared metric (models/marts/_metrics.yml) by month, region level and trade category
    ('all' for all categories), with the previous month, the same month last year, year to date
    (本年累计, January to the month) and the same period last year, and the changes between them.
    Parts are summed at each level and period first; each ratio is recomputed from its summed
    parts in every period, never averaged. A stock (a month-end balance) is its value at the
    period's last month. The months run from the warehouse's first to its last month with any
    flow. A month is known for a part when a file of each of the part's kinds (meta.kinds) was
    loaded for it (mart_months_held); in a month not known the part is null, not zero, and
    so is every period that contains it (a year to date from January on) and every change from
    it.

    Incremental: a build recomputes the months from the earliest one whose inputs changed
    (macros/rebuilt_months.sql), reading its inputs from January of the year before it (a
    year to date and the same period last year need no more). -#}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    pre_hook="{{ delete_rebuilt_months(kpi_periods_inputs()) }}",
    post_hook="{{ record_inputs(kpi_periods_inputs()) }}",
) }}
{%- set levels = [
    ('county', 'region_code'), ('prefecture', 'prefecture_code'),
    ('province', 'province_code'), ('all', "'000000'"),
] %}
{%- set positions = ['', '_prev_month', '_last_year', '_ytd', '_ytd_last_year'] %}
{%- set parts = kpi_counts() + kpi_amounts() %}
{%- set part_kinds = kpi_part_kinds() %}
{%- set kind_sets = part_kinds.values() | unique | sort %}
with
rebuild as (
    select
        rebuild_from,
        case
            when rebuild_from = date '0001-01-01' then rebuild_from
            else (date_trunc('year', rebuild_from) - interval 1 year)::date
        end as input_from
    from (select {{ rebuild_from(kpi_periods_inputs()) }} as rebuild_from)
),

by_category as (
    select * from {{ ref('mart_kpi_category_monthly') }}
),

loaded_months as (
    -- the kinds of file held for each month: a month nobody sent is unknown, not zero
    select
        month,
        -- noqa: disable=LT02
        {%- for kind in ['deals', 'securities', 'refunds'] %}
        bool_or(kind = '{{ kind }}') as has_{{ kind }}
        {{- ',' if not loop.last }}
        {%- endfor %}
    -- noqa: enable=LT02
    from {{ ref('mart_months_held') }}
    group by month
),

cells as (
    -- every level, by category and with every category together ('all')
    -- noqa: disable=LT02
    {%- for level, code in levels %}
    {%- set outer_loop = loop %}
    {%- for category in ['trade_category', "'all'"] %}
    select
        month,
        '{{ level }}' as region_level,
        {{ code }} as region_code,
        {{ category }} as trade_category,
        {%- for part in parts %}
        sum({{ part }}) as {{ part }}
        {{- ',' if not loop.last }}
        {%- endfor %}
    from by_category
    where {{ code }} is not null
    group by all
    {%- if not (loop.last and outer_loop.last) %}
    union all
    {%- endif %}
    {%- endfor %}
    {%- endfor %}
    -- noqa: enable=LT02
),

warehouse_months as (
    -- to the last month with any flow (sections, securities, settlements, deposits due): the
    -- month-end stocks of later months, up to the build month, are in mart_deposit_refunds
    select
        min(month) as first_month,
        max(month) filter (
            where
            {%- for part in parts if part not in kpi_stocks() %}
                {{ 'or ' if not loop.first }}{{ part }} <> 0
            {%- endfor %}
        ) as last_month
    from by_category
),

cell_keys as (
    select distinct
        region_level,
        region_code,
        trade_category
    from cells
),

month_kinds as (
    -- every month of the warehouse, and for each set of kinds whether all of them were loaded
    select
        spine_months.month,
        -- noqa: disable=LT02
        {%- for kind_set in kind_sets %}
        coalesce(
            {%- for kind in kind_set.split('_') %}
            {{ 'and ' if not loop.first }}loaded_months.has_{{ kind }}
            {%- endfor %},
            false
        ) as is_loaded_{{ kind_set }}
        {{- ',' if not loop.last }}
        {%- endfor %}
    -- noqa: enable=LT02
    from (
        select unnest(generate_series(first_month, last_month, interval 1 month))::date as month
        from warehouse_months
    ) as spine_months
    left join loaded_months on spine_months.month = loaded_months.month
    where spine_months.month >= (select rebuild.input_from from rebuild)
),

months as (
    -- and whether its year to date is known: every month of it, from January on, was loaded
    select
        month_kinds.*,
        -- noqa: disable=LT02
        {%- for kind_set in kind_sets %}
        count(*) filter (where month_kinds.is_loaded_{{ kind_set }}) over year_to_date
        = month(month_kinds.month) as is_ytd_loaded_{{ kind_set }}
        {{- ',' if not loop.last }}
        {%- endfor %}
    -- noqa: enable=LT02
    from month_kinds
    window year_to_date as (partition by year(month_kinds.month) order by month_kinds.month)
),

spine as (
    -- every month of the warehouse for every key: a loaded month without a row counts as zero
    select
        cell_keys.region_level,
        cell_keys.region_code,
        cell_keys.trade_category,
        months.*
    from cell_keys
    cross join months
),

filled as (
    select
        spine.month,
        spine.region_level,
        spine.region_code,
        spine.trade_category,
        cells.month is not null as has_row,
        -- noqa: disable=LT02
        {%- for kind_set in kind_sets %}
        spine.is_ytd_loaded_{{ kind_set }},
        {%- endfor %}
        {%- for part in parts %}
        case when spine.is_loaded_{{ part_kinds[part] }} then coalesce(cells.{{ part }}, 0) end as {{ part }}
        {{- ',' if not loop.last }}
        {%- endfor %}
    -- noqa: enable=LT02
    from spine
    left join cells
        on
            spine.month = cells.month
            and spine.region_level = cells.region_level
            and spine.region_code = cells.region_code
            and spine.trade_category = cells.trade_category
),

periods as (
    select
        filled.*,
        filled.month - interval 1 month >= warehouse_months.first_month as has_prev_month,
        filled.month - interval 12 month >= warehouse_months.first_month as has_last_year,
        -- noqa: disable=LT02
        {%- for part in parts %}
            {%- if part in kpi_stocks() %}
        filled.{{ part }} as {{ part }}_ytd,
            {%- else %}
        case
            when filled.is_ytd_loaded_{{ part_kinds[part] }} then sum(filled.{{ part }}) over year_to_date
        end as {{ part }}_ytd,
            {%- endif %}
        {%- endfor %}
        bool_or(filled.has_row) over year_to_date as has_row_ytd
    -- noqa: enable=LT02
    from filled
    cross join warehouse_months
    window year_to_date as (
        partition by filled.region_level, filled.region_code, filled.trade_category, year(filled.month)
        order by filled.month
    )
),

positioned as (
    {%- set columns = [] %}
    {%- for part in parts %}
        {%- set last_year = 'case when has_last_year then lag({}, 12) over by_month end as {}' %}
        {%- do columns.append(part) %}
        {%- do columns.append(
            'case when has_prev_month then lag({0}, 1) over by_month end as {0}_prev_month'.format(part)
        ) %}
        {%- do columns.append(last_year.format(part, part ~ '_last_year')) %}
        {%- do columns.append(part ~ '_ytd') %}
        {%- do columns.append(last_year.format(part ~ '_ytd', part ~ '_ytd_last_year')) %}
    {%- endfor %}
    select
        month,
        region_level,
        region_code,
        trade_category,
        has_row_ytd,
        lag(has_row_ytd, 12) over by_month as had_row_ytd_last_year,
        {{ columns | join(',\n        ') }}
    from periods
    window by_month as (partition by region_level, region_code, trade_category order by month)
),

with_ratios as (
    {%- set columns = [] %}
    {%- for name, numerator, denominator, _ in kpi_ratios() %}
        {%- for position in positions %}
            {%- set expression = ratio(numerator ~ position, denominator ~ position) %}
            {%- do columns.append(expression ~ ' as ' ~ name ~ position) %}
        {%- endfor %}
    {%- endfor %}
    select
        *,
        {{ columns | join(',\n        ') }}
    from positioned
),

metric_rows as (
    -- one row per metric: every value exact in decimal(38, 6)
    {%- set structs = [] %}
    {%- for metric in parts + (kpi_ratios() | map(attribute=0) | list) %}
        {%- set fields = ["'metric': '" ~ metric ~ "'"] %}
        {%- for position in positions %}
            {%- do fields.append(
                "'value{0}': {1}{0}::decimal(38, 6)".format(position, metric)
            ) %}
        {%- endfor %}
        {%- do structs.append('{' ~ fields | join(', ') ~ '}') %}
    {%- endfor %}
    select
        month,
        region_level,
        region_code,
        trade_category,
        unnest([
            {{ structs | join(',\n            ') }}
        ], recursive := true)
    from with_ratios
    -- a row while the year so far, or the same period last year, has any figure
    where
        (has_row_ytd or had_row_ytd_last_year)
        and month >= (select rebuild.rebuild_from from rebuild)
),

units as (
    select * from {{ ref('dim_metric') }}
),

final as (
    select
        metric_rows.month,
        metric_rows.region_level,
        metric_rows.region_code,
        metric_rows.trade_category,
        metric_rows.metric,
        units.unit,
        metric_rows.value,
        metric_rows.value_prev_month,
        metric_rows.value_last_year,
        metric_rows.value_ytd,
        metric_rows.value_ytd_last_year,
        -- noqa: disable=LT02
        {%- for change, base in [
            ('change_mom', 'value_prev_month'), ('change_yoy', 'value_last_year'),
            ('change_ytd_yoy', 'value_ytd_last_year'),
        ] %}
        {%- set value = 'metric_rows.value_ytd' if change == 'change_ytd_yoy' else 'metric_rows.value' %}
        {{ period_change(value, 'metric_rows.' ~ base, 'units.unit') }} as {{ change }},
        {%- endfor %}
        -- noqa: enable=LT02
        {{ change_unit('units.unit') }} as change_unit
    from metric_rows
    inner join units on metric_rows.metric = units.metric
)

select * from final
