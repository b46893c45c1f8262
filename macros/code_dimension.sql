{#- A dimension over a code-list seed: the code with its Chinese and English names (and any
    extra columns the seed carries, e.g. price_kind). -#}
{% macro code_dimension(seed_name, extra_columns=[]) %}
    with
    codes as (
        select * from {{ ref(seed_name) }}
    ),

    final as (
        select
            {%- for column in ['code', 'name_zh', 'name_en'] + extra_columns %}
            {{ column }}{{ ',' if not loop.last }}
            {%- endfor %}
        from codes
    )

    select * from final
{% endmacro %}
