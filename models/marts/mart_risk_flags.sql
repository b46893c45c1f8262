{#- 风险预警 risk flags: where to look, with the figure that fired and the threshold it passed —
    leads (疑似, 风险提示), never verdicts. One row per indicator and entity: a section's attempt
    (mart_risk_section_flags, a column per indicator there), a deposit, a bidder's, tenderer's or
    agency's year, a pair or group of bidders (mart_risk_other_flags). `flagged` is known only when
    the status is calculated, never computed from missing data as if it were zero; `missing`
    names the empty column of an insufficient_data result. A view: the section rows are made
    from mart_risk_section_flags as they are read. The deposits behind a flag: mart_risk_evidence. -#}
{{ config(materialized='view') }}
with
results as (
    -- noqa: disable=LT02
    {%- for indicator in risk_section_indicators() %}
    select
        '{{ indicator }}' as indicator,
        'section' as grain,
        entity_key,
        {{ risk_place() | join(',\n        ') }},
        tender_mode,
        unnest({{ indicator }})
    from {{ ref_in_view('mart_risk_section_flags') }}
    union all by name
    {%- endfor %}
    from {{ ref_in_view('mart_risk_other_flags') }}
    -- noqa: enable=LT02
)

select
    indicator,
    grain,
    entity_key,
    {{ risk_place() | join(',\n    ') }},
    tender_mode,
    status,
    case when status = 'calculated' then coalesce(fires, false) end as flagged,
    value,
    threshold,
    threshold_source,
    case when status = 'insufficient_data' then missing end as missing
from results
