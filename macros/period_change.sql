{#- The change from `base` to `value`, rounded to 4 decimal places: percentage points for a
    rate (`unit` 'rate'), percent for anything else; null when the base is unknown or 0.
    mart_kpi_periods and the dashboard's period query (ggzy/queries) both use this macro. -#}
{% macro period_change(value, base, unit) -%}
    case
        when {{ unit }} = 'rate' then round(({{ value }} - {{ base }}) * 100, 4)
        when {{ base }} <> 0 then round(({{ value }} - {{ base }}) / {{ base }} * 100, 4)
    end
{%- endmacro %}
