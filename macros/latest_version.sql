{#- Which rows are current — the one definition, for dbt and for the loader.

    current_rows: the current rows of a raw table (raw_relation) with their load's period
    (load_period): the latest version of each version key (for deals, of each attempt: the key
    ends in attempt_month) among the loads not retracted, unless a later `--replace` load of the
    same kind and period withdrew it. `wanted`, a query, restricts them to the keys it holds
    (matched on wanted_key, default the version key) before the versions are ranked, so a check
    or a build costs what its new rows do, not the history. Plain Jinja: the loader
    (ggzy.ingest.current.current_sql) renders this same file with its own relations and the keys of the
    file being checked.

    latest_version: what the staging models call; run incrementally, only the keys with rows
    loaded since the last build are taken (a build after a load that withdrew rows is a full
    refresh: ggzy.transform.build.plan_build). -#}
{% macro current_rows(raw_relation, load_log_relation, raw_table, version_key, wanted=none, wanted_key=none) %}
    with loaded as not materialized (
        select
            raw_rows.*,
            loads.period as load_period
        from {{ raw_relation }} as raw_rows
        inner join {{ load_log_relation }} as loads
            on raw_rows.load_id = loads.load_id and not loads.retracted
        {%- if wanted %}
            where exists (
                select 1 from ({{ wanted }}) as wanted_rows
                where
                    {%- for key in wanted_key or version_key %}
                        {{ 'and ' if not loop.first }}wanted_rows.{{ key }} = raw_rows.{{ key }}
                    {%- endfor %}
            )
        {%- endif %}
    ),

    {#- the latest load of each version key, found on the key alone, then its whole row: a key is
        unique in a file (rule key_unique), so (key, load_id) names one row. A window over the
        whole rows did the same at four times the time (19 M securities: 55 s against 15 s). #}
    latest as (
        select
            {{ version_key | join(', ') }},
            max(load_id) as load_id
        from loaded
        group by {{ version_key | join(', ') }}
    ),

    versions as (
        select loaded.* from loaded
        semi join latest using ({{ version_key | join(', ') }}, load_id)
    )

    select versions.* from versions
    where not exists (
        select 1 from {{ load_log_relation }} as replacing
        where
            replacing.kind = '{{ raw_table }}'
            and replacing.mode = 'replace'
            and not replacing.retracted
            and replacing.period = versions.load_period
            and replacing.load_id > versions.load_id
    )
{% endmacro %}

{% macro latest_version(raw_table, key_columns) %}
    {%- set new_rows = none %}
    {%- if is_incremental() %}
        {%- set new_rows = 'select * from ' ~ source('raw', raw_table) ~ ' where load_id > ' ~ built_through() %}
    {%- endif %}
    {{ current_rows(source('raw', raw_table), source('meta', 'load_log'), raw_table, key_columns, wanted=new_rows) }}
{% endmacro %}
