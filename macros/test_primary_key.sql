{#- Generic test: the columns together identify one row, and none of them is null.
    (dbt_utils is not installable here, so the composite-key test is ours.) -#}
{% test primary_key(model, columns) %}
    select
        {{ columns | join(', ') }},
        count(*) as n_rows
    from {{ model }}
    group by all
    having count(*) > 1
        {%- for column in columns %}
        or {{ column }} is null
        {%- endfor %}
{% endtest %}
