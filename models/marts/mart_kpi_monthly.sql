{#- The headline figures of every mart, by month at four region levels: county (a prefecture or
    province code there stands for that level's own projects, 本级), prefecture, province and all
    ('000000'). Additive parts are summed from mart_kpi_category_monthly; every ratio is
    recomputed from the summed parts. -#}
with
by_category as (
    select * from {{ ref('mart_kpi_category_monthly') }}
),

rolled_up as (
    -- noqa: disable=LT02
    {%- for level, code in [
        ('county', 'region_code'), ('prefecture', 'prefecture_code'),
        ('province', 'province_code'), ('all', "'000000'"),
    ] %}
    select
        month,
        '{{ level }}' as region_level,
        {{ code }} as region_code,
        {%- for column in kpi_counts() %}
        sum({{ column }})::bigint as {{ column }},
        {%- endfor %}
        {%- for column in kpi_amounts() %}
        sum({{ column }}) as {{ column }}
        {{- ',' if not loop.last }}
        {%- endfor %}
    from by_category
    group by all
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
    -- noqa: enable=LT02
),

final as (
    select
        *,
        -- noqa: disable=LT02
        {%- for name, _, _, _ in kpi_ratios() %}
        {{ metric_ratio(name) }}
        {{- ',' if not loop.last }}
        {%- endfor %}
    -- noqa: enable=LT02
    from rolled_up
    -- a province's own projects (省本级) belong to no prefecture
    where region_code is not null
)

select * from final
