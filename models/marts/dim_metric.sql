{#- The declared metrics (models/marts/_metrics.yml), one row each: what the dashboard's and the
    report's help texts and mart_kpi_periods' units come from. -#}
{%- set rows = [] %}
{%- for measure in kpi_measures() %}
    {%- do rows.append([
        measure.name, 'part', measure.label, measure.config.meta.label_en, measure.description or '',
        measure.config.meta.unit, measure.non_additive_dimension is not none,
        measure.config.meta.get('better') == 'lower', none, none, none,
    ]) %}
{%- endfor %}
{%- for name, numerator, denominator, unit in kpi_ratios() %}
    {%- set metric = graph.metrics.values() | selectattr('name', 'equalto', name) | first %}
    {%- do rows.append([
        name, 'ratio', metric.label, metric.config.meta.label_en, metric.description or '', unit, false,
        metric.config.meta.get('better') == 'lower', numerator, denominator,
        metric.config.meta.get('target'),
    ]) %}
{%- endfor %}
with
declared as (
    select metrics.*
    from (
        values
        -- noqa: disable=LT02, LT05
        {%- for row in rows %}
        (
            {%- for value in row -%}
                {%- if value is none %}null{% elif value is boolean %}{{ value | lower }}{% elif value is number %}{{ value }}{% else %}'{{ value | replace("'", "''") }}'{% endif %}
                {{- ', ' if not loop.last }}
            {%- endfor -%}
        ){{ ',' if not loop.last }}
        {%- endfor %}
        -- noqa: enable=LT02, LT05
    ) as metrics (
        metric, metric_type, label_zh, label_en, description, unit, is_stock, is_lower_better,
        numerator, denominator, target_rate
    )
),

final as (
    select
        metric,
        metric_type,
        label_zh,
        label_en,
        description,
        unit,
        is_stock,
        is_lower_better,
        numerator,
        denominator,
        target_rate::decimal(9, 6) as target_rate
    from declared
)

select * from final
