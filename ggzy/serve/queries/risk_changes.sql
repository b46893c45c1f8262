{% from "_selection.sql" import selected %}
{% from "period_change.sql" import period_change %}
-- 环比 and 同比 of the flags of sections and deposits (marts.mart_risk_flags) in the selection's
-- region and categories: each indicator's flagged in the last month, the month before and the
-- same month a year before (null where that month is not held: nothing to compare with), and
-- the changes in percent.
with
months as (
    select
        end_month,
        (end_month - interval 1 month)::date as month_before,
        (end_month - interval 1 year)::date as year_before
    from selection
),

held as (
    select
        months.*,
        months.month_before in (
            select held.month from marts.mart_months_held as held
            where held.kind = 'deals'
        ) as month_before_held,
        months.year_before in (
            select held.month from marts.mart_months_held as held
            where held.kind = 'deals'
        ) as year_before_held
    from months
),

counts as (
    select
        indicator.code as indicator,
        indicator.name_zh as indicator_zh,
        indicator.name_en as indicator_en,
        indicator.sort_order,
        count(flags.indicator) filter (where flags.month = months.end_month) as n_month,
        count(flags.indicator) filter (where flags.month = months.month_before) as n_month_before,
        count(flags.indicator) filter (where flags.month = months.year_before) as n_year_before
    from marts.dim_risk_indicator as indicator
    cross join selection
    cross join months
    left join marts.mart_risk_flags as flags
        on
            indicator.code = flags.indicator
            and flags.flagged
            and flags.grain in ('section', 'security')
            and {{ selected('flags', months=false) }}
    where indicator.grain in ('section', 'security')
    group by all
),

compared as (
    select
        counts.indicator,
        counts.indicator_zh,
        counts.indicator_en,
        counts.sort_order,
        counts.n_month,
        case when held.month_before_held then counts.n_month_before end as n_month_before,
        case when held.year_before_held then counts.n_year_before end as n_year_before
    from counts
    cross join held
)

select
    *,
    {{ period_change('n_month', 'n_month_before', "'count'") }} as change_mom,
    {{ period_change('n_month', 'n_year_before', "'count'") }} as change_yoy
from compared
order by sort_order
