-- The regions that have figures, with their level, names and parents.
select
    region.region_code,
    kpi.region_level,
    region.name_zh,
    region.prefecture_code,
    region.province_code
from (
    select distinct
        region_level,
        region_code
    from marts.mart_kpi_monthly
    where region_level in ('province', 'prefecture', 'county')
) as kpi
inner join marts.dim_region as region on kpi.region_code = region.region_code
order by kpi.region_level, region.region_code
