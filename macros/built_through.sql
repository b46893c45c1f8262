{#- The newest load_id that the last published build included: incremental models take only
    what was loaded after it. `ggzy build` passes it (and rebuilds everything with
    --full-refresh after a load was retracted); a plain `dbt build` takes every load again. -#}
{% macro built_through() %}{{ var('built_through_load_id', 0) }}{% endmacro %}
