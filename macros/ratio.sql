{#- numerator / denominator, null when the denominator is 0 or null (a rate of nothing is unknown). -#}
{% macro ratio(numerator, denominator) -%}
    case when {{ denominator }} <> 0 then {{ numerator }} / {{ denominator }} end
{%- endmacro %}
