-- The chosen region (region_code of the selection): its level and its names up the tree.
select
    region.region_code,
    region.region_level,
    region.name_zh,
    region.prefecture_name_zh,
    region.province_name_zh
from marts.dim_region as region
cross join selection
where region.region_code = selection.region_code
