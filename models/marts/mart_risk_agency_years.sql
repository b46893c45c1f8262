{#- Each agency's year for late_refunds_by_agency (mart_risk_flags): the cash bid deposits of its
    sections that fell due (by the build date) and how many of them were refunded late. A
    deposit counts in the year of its due date. -#}
select
    deals.agency_code,
    date_trunc('year', securities.due_date)::date as period,
    count(*) as n_due,
    count(*) filter (where not securities.is_refunded_on_time) as n_late,
    (count(*) filter (where not securities.is_refunded_on_time) / count(*))::double as late_share
from {{ ref('fct_securities') }} as securities
inner join {{ ref('fct_deals') }} as deals
    on
        {{ same_section('securities', 'deals') }}
where deals.agency_code is not null and securities.is_refunded_on_time is not null
group by all
