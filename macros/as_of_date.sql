{#- The date month-end stocks and "has the due date passed" are judged at: var as_of_date, else today. -#}
{% macro as_of_date() -%}
    {%- if var('as_of_date') -%}
        date '{{ var("as_of_date") }}'
    {%- else -%}
        current_date
    {%- endif -%}
{%- endmacro %}
