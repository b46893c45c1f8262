{#- A risk flag setting that depends on a code (dbt_project.yml, vars.risk_flags): the value the
    mapping gives the column's code, else `otherwise` (null when none). -#}
{% macro risk_setting(column, mapping, otherwise='null') -%}
    {%- if mapping -%}
        case {{ column }}
        {%- for code, value in mapping.items() %} when '{{ code }}' then {{ value }}{% endfor %}
        else {{ otherwise }} end
    {%- else -%}
        {{ otherwise }}
    {%- endif -%}
{%- endmacro %}
