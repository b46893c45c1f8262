{#- The current rows of a raw table: from the latest non-retracted load of each business key.
    The loader's ggzy.warehouse.latest_sql says the same in Python (it checks new files against
    current data before any build); tests/test_build.py checks that the two agree.
    Run incrementally, only the keys with rows loaded since the last build are taken. -#}
{% macro latest_version(raw_table, key_columns) %}
    select raw_rows.*
    from {{ source('raw', raw_table) }} as raw_rows
    inner join {{ source('meta', 'load_log') }} as loads
        on raw_rows.load_id = loads.load_id and not loads.retracted
    {%- if is_incremental() %}
        where exists (
            select 1 from {{ source('raw', raw_table) }} as new_rows
            where
                new_rows.load_id > {{ built_through() }}
                {%- for key in key_columns %}
                    and new_rows.{{ key }} = raw_rows.{{ key }}
                {%- endfor %}
        )
    {%- endif %}
    qualify row_number() over (
        partition by {{ key_columns | join(', ') }}
        order by raw_rows.load_id desc
    ) = 1
{% endmacro %}
