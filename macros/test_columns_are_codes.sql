{#- Generic test: every column of the model but those named in `except` is a code of `to`
    (its `field`) — for a model with a column per indicator (mart_risk_section_flags), that each
    has its row in the dimension. It reads the catalog, not the rows. -#}
{% test columns_are_codes(model, to, field, except) %}
    select column_name
    from information_schema.columns
    where
        table_catalog = '{{ model.database }}'
        and table_schema = '{{ model.schema }}'
        and table_name = '{{ model.identifier }}'
        and column_name not in ('{{ except | join("', '") }}')
        and column_name not in (select {{ field }} from {{ to }})
{% endtest %}
