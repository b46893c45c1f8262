{#- The risk flags of sections and deposits (mart_risk_flags) rolled up by month and indicator
    for each region, trade category, tenderer and agency: how many results were calculated and
    how many fired. The parts are additive: sum them over regions, months or any set and divide
    again (a county's rows add up to its prefecture's through dim_region). -#}
{{ config(materialized='view') }}
with
flags as (
    select
        flags.*,
        deals.tenderer_code,
        deals.agency_code
    from {{ ref_in_view('mart_risk_flags') }} as flags
    left join {{ ref_in_view('fct_deals') }} as deals
        on
            {{ same_section('flags', 'deals') }}
    where flags.grain in ('section', 'security')
),

rolled as (
    -- noqa: disable=LT02
    {%- for dimension, column in [('region', 'region_code'), ('trade_category', 'trade_category'),
                                  ('tenderer', 'tenderer_code'), ('agency', 'agency_code')] %}
    select
        '{{ dimension }}' as dimension,
        {{ column }} as dimension_key,
        month,
        indicator,
        count(*) filter (where status = 'calculated') as n_calculated,
        count(*) filter (where flagged) as n_flagged
    from flags
    where {{ column }} is not null
    group by all
    {{- '\n    union all' if not loop.last }}
    {%- endfor %}
    -- noqa: enable=LT02
)

select
    *,
    {{ ratio('n_flagged', 'n_calculated') }} as flagged_rate
from rolled
