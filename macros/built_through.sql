{#- The newest load_id that the last published build included: incremental models take only
    what was loaded after it. `ggzy build` sets GGZY_BUILT_THROUGH (and rebuilds everything with
    --full-refresh after a load was retracted); a plain `dbt build` takes every load again. An
    environment variable, not a dbt var: a var that changes each build makes dbt parse the whole
    project again every time, an environment variable read in a macro does not. -#}
{% macro built_through() %}{{ env_var('GGZY_BUILT_THROUGH', '0') | int }}{% endmacro %}
