{#- A risk flag setting that depends on a code (dbt_project.yml, vars.risk_flags): the value the
    mapping gives the column's code, else `otherwise` (null when none). -#}
{% macro risk_setting(column, mapping, otherwise='null') -%}
    {%- if mapping -%}
        case {{ column }}
        {%- for code, value in mapping.items() %} when '{{ code }}' then {{ value }}{% endfor %}
        else {{ otherwise }} end
    {%- else -%}
        {{ otherwise }}
    {%- endif -%}
{%- endmacro %}

{#- The p-quantile (0 ≤ p ≤ 1) of a sorted list by Hyndman and Fan's type 8 (median-unbiased),
    as Cardinal computes its fences (statrs): h = (n + 1/3) p + 1/3, the h-th value, interpolated
    between its neighbours, the first below 1 and the last from n on. -#}
{% macro quantile_type8(sorted, p) -%}
    {%- set h = '((len(' ~ sorted ~ ') + 1 / 3) * ' ~ p ~ ' + 1 / 3)' -%}
    case
        when len({{ sorted }}) = 0 then null
        when {{ h }} < 1 then {{ sorted }}[1]
        when {{ h }} >= len({{ sorted }}) then {{ sorted }}[len({{ sorted }})]
        else {{ sorted }}[floor({{ h }})::integer] + ({{ h }} - floor({{ h }}))
            * ({{ sorted }}[floor({{ h }})::integer + 1] - {{ sorted }}[floor({{ h }})::integer])
    end
{%- endmacro %}

{#- Rows of relations `a` and `b` that are of one section's attempt. -#}
{% macro same_section(a, b) -%}
    {{ a }}.tender_project_code = {{ b }}.tender_project_code
    and {{ a }}.bid_section_code = {{ b }}.bid_section_code
    and {{ a }}.attempt_month = {{ b }}.attempt_month
{%- endmacro %}

{#- Where a section's result is: the columns mart_risk_section_flags and mart_risk_flags carry. -#}
{% macro risk_place() -%}
    {{ return(['tender_project_code', 'bid_section_code', 'attempt_month', 'month', 'region_code',
               'prefecture_code', 'province_code', 'trade_category']) }}
{%- endmacro %}

{#- A pair of bidders as an entity_key (mart_risk_other_flags) and as its evidence finds it
    (mart_risk_evidence): both codes, the lesser first. -#}
{% macro risk_pair_key(bidder_a, bidder_b) -%}
    {{ bidder_a }} || ' + ' || {{ bidder_b }}
{%- endmacro %}

{#- A fence that a setting can fix (Cardinal's `threshold`): the setting when given, else the
    expression the data makes it from. -#}
{% macro fixed_or(threshold, expression) -%}
    {{ threshold if threshold is not none else expression }}
{%- endmacro %}

{#- Cardinal R038 by the three parties it groups bids by: each indicator with the party whose
    years it compares (mart_risk_disqualified_years). -#}
{% macro risk_disqualified_parties() -%}
    {{ return([('excessive_disqualified', 'tenderer'), ('excessive_disqualified_by_agency', 'agency'),
               ('excessive_disqualified_by_bidder', 'bidder')]) }}
{%- endmacro %}
