{#- 风险预警 the risk flag of a deposit (not_own_account): a cash bid deposit paid by someone other
    than its bidder, names compared without blanks and brackets — one row per cash bid deposit,
    with its status and whether it fired (`fires`, read only when calculated: mart_risk_flags).
    A view: it is a comparison of two columns of fct_securities, made as it is read. -#}
{{ config(materialized='view') }}
select
    {{ risk_place() | join(',\n    ') }},
    'not_own_account' as indicator,
    'security' as grain,
    security_id as entity_key,
    case
        when payer_name is null or bidder_name is null then 'insufficient_data'
        else 'calculated'
    end as status,
    case when payer_name is null then 'payer_name' else 'bidder_name' end as missing,
    'statute' as threshold_source,
    payer_name <> bidder_name
    and regexp_replace(payer_name, '[\s　()（）]', '', 'g')
    <> regexp_replace(bidder_name, '[\s　()（）]', '', 'g') as fires
from {{ ref_in_view('fct_securities') }}
where security_kind = 'bid' and pay_form = 'cash'
