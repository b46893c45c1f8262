{#- The change from `base` to `value`, rounded to 4 decimal places: percentage points for a
    rate (`unit` 'rate'), percent for anything else; null when the base is unknown or 0.
    mart_kpi_periods and the dashboard's period query (ggzy/serve/queries) both use this macro. -#}
{% macro period_change(value, base, unit) -%}
    case
        when {{ unit }} = 'rate' then round(({{ value }} - {{ base }}) * 100, 4)
        when {{ base }} <> 0 then round(({{ value }} - {{ base }}) / {{ base }} * 100, 4)
    end
{%- endmacro %}

{#- What period_change's result is in: 'percentage_points' for a rate, 'percent' otherwise. -#}
{% macro change_unit(unit) -%}
    case when {{ unit }} = 'rate' then 'percentage_points' else 'percent' end
{%- endmacro %}
