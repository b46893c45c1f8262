{#- The current rows of a raw table: the latest version of each key (for deals, of each attempt:
    key_columns ends in attempt_month) among the loads not retracted, unless a later `--replace`
    load of the same kind and period withdrew it. The loader's ggzy.current.current_sql says the
    same in Python (it checks new files against current data before any build);
    tests/test_build.py checks that the two agree.
    Run incrementally, only the keys with rows loaded since the last build are taken (a build
    after a load that withdrew rows is a full refresh: ggzy.build.plan_build). -#}
{% macro latest_version(raw_table, key_columns) %}
    with versions as (
        select
            raw_rows.*,
            loads.period as load_period
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
    )

    select versions.* from versions
    where not exists (
        select 1 from {{ source('meta', 'load_log') }} as replacing
        where
            replacing.kind = '{{ raw_table }}'
            and replacing.mode = 'replace'
            and not replacing.retracted
            and replacing.period = versions.load_period
            and replacing.load_id > versions.load_id
    )
{% endmacro %}
