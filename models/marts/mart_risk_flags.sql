{#- 风险预警 risk flags: where to look, with the figure that fired and the threshold it passed —
    leads (疑似, 风险提示), never verdicts. One row per indicator and entity: a section's attempt
    (mart_risk_section_flags, a struct column per indicator there), a deposit
    (mart_risk_deposit_flags), a bidder's, tenderer's or agency's year, a pair or group of bidders
    (mart_risk_other_flags). `flagged` is known only when
    the status is calculated, never computed from missing data as if it were zero; `missing`
    names the empty column of an insufficient_data result. A view: the section rows are made
    from mart_risk_section_flags as they are read. The deposits behind a flag: mart_risk_evidence. -#}
{{ config(materialized='view') }}
with
section_results as (
    -- every struct column of mart_risk_section_flags is an indicator: a row each
    unpivot {{ ref_in_view('mart_risk_section_flags') }}
    on columns(* exclude ({{ (risk_place() + ['tender_mode', 'entity_key']) | join(', ') }}))
    into name indicator value result
),

results as (
    select
        * exclude (result),
        'section' as grain,
        unnest(result)  -- noqa: AL03
    from section_results
    union all by name
    from {{ ref_in_view('mart_risk_deposit_flags') }}
    union all by name
    from {{ ref_in_view('mart_risk_other_flags') }}
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
