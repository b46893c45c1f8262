-- The risk flags' indicators (marts.dim_risk_indicator), in their order, with the optional
-- columns each reads.
select
    code as indicator,
    name_zh as indicator_zh,
    name_en as indicator_en,
    coalesce(needs, '') as needs
from marts.dim_risk_indicator
order by sort_order
