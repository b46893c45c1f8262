{#- numerator / denominator, null when the denominator is 0 or null (a rate of nothing is unknown).
    Rounded to 6 decimal places (0.0001 percentage points): the precision of every rate and
    average column of the marts, and what `ggzy sql` prints. -#}
{% macro ratio(numerator, denominator) -%}
    case when {{ denominator }} <> 0 then round({{ numerator }} / {{ denominator }}, 6) end
{%- endmacro %}
