{#- The declared metrics (models/marts/_metrics.yml), one row each: what the dashboard's and the
    report's help texts and mart_kpi_periods' units come from. A ratio's kinds of file are its
    parts', its price kind its numerator's. -#}
{%- set rows = [] %}
{%- set parts = {} %}
{%- for measure in kpi_measures() %}
    {%- do parts.update({measure.name: measure}) %}
    {%- do rows.append([
        measure.name, 'part', measure.label, measure.config.meta.label_en, measure.description or '',
        measure.config.meta.unit, measure.non_additive_dimension is not none,
        measure.config.meta.get('better') == 'lower', none, none, none,
        measure.config.meta.kinds | sort | join(','), measure.config.meta.get('price_kind'),
        measure.config.meta.get('history_months'), measure.config.meta.get('description_zh', ''),
        measure.config.meta.get('exists_after_months'),
    ]) %}
{%- endfor %}
{%- for name, numerator, denominator, unit in kpi_ratios() %}
    {%- set metric = graph.metrics.values() | selectattr('name', 'equalto', name) | first %}
    {%- set kinds = (parts[numerator].config.meta.kinds + parts[denominator].config.meta.kinds)
        | unique | sort %}
    {%- do rows.append([
        name, 'ratio', metric.label, metric.config.meta.label_en, metric.description or '', unit, false,
        metric.config.meta.get('better') == 'lower', numerator, denominator,
        metric.config.meta.get('target'), kinds | join(','), parts[numerator].config.meta.get('price_kind'),
        none, metric.config.meta.get('description_zh', ''), none,
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
        numerator, denominator, target_rate, file_kinds, price_kind, history_months, description_zh,
        exists_after_months
    )
),

final as (
    select
        metric,
        metric_type,
        label_zh,
        label_en,
        description,
        description_zh,
        unit,
        is_stock,
        is_lower_better,
        numerator,
        denominator,
        target_rate::decimal(9, 6) as target_rate,
        string_split(file_kinds, ',') as file_kinds,
        price_kind,
        history_months::integer as history_months,
        exists_after_months::integer as exists_after_months
    from declared
)

select * from final
