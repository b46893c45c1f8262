{% from "_selection.sql" import selected %}
-- The risk flags (marts.mart_risk_flags) of the selection, each with its indicator's names: a
-- section's or a deposit's in its months, region and categories; a bidder's, tenderer's or
-- agency's year while it overlaps the months and no region or category is chosen (it has neither).
select
    flags.indicator,
    indicator.name_zh as indicator_zh,
    indicator.name_en as indicator_en,
    indicator.sort_order,
    indicator.unit,
    flags.grain,
    flags.entity_key,
    flags.month,
    region.name_zh as region_zh,
    flags.trade_category,
    flags.status,
    flags.flagged,
    flags.value,
    flags.threshold,
    flags.threshold_source,
    flags.missing
from marts.mart_risk_flags as flags
inner join marts.dim_risk_indicator as indicator on flags.indicator = indicator.code
left join marts.dim_region as region on flags.region_code = region.region_code
cross join selection
where
    case
        when flags.grain in ('section', 'security') then {{ selected('flags') }}
        else
            flags.month between date_trunc('year', selection.start_month) and selection.end_month
            and selection.region_level = 'all' and len(selection.categories) = 0
    end
