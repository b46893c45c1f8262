{#- Whether `days` falls in `bucket`, a row of seeds/deposit_buckets.csv: low_days to high_days
    inclusive, an empty bound open; a row with neither bound is a named case (no due date,
    sediment, …) that the model assigns itself, never by range. -#}
{% macro in_bucket(bucket, days) -%}
    ({{ bucket }}.low_days is not null or {{ bucket }}.high_days is not null)
    and {{ days }} between coalesce({{ bucket }}.low_days, {{ days }}) and coalesce({{ bucket }}.high_days, {{ days }})
{%- endmacro %}
