with
regions as (
    select * from {{ ref('regions') }}
),

final as (
    select
        regions.region_code,
        regions.name_zh,
        regions.region_level,
        regions.prefecture_code,
        prefectures.name_zh as prefecture_name_zh,
        regions.province_code,
        provinces.name_zh as province_name_zh,
        regions.valid_from,
        regions.valid_to,
        regions.successor_code
    from regions
    left join regions as prefectures on regions.prefecture_code = prefectures.region_code
    left join regions as provinces on regions.province_code = provinces.region_code
)

select * from final
union all
select
    '{{ var("unknown_region_code") }}' as region_code,
    '地区未知（标段尚未入库）' as name_zh,
    'unknown' as region_level,
    null as prefecture_code,
    null as prefecture_name_zh,
    null as province_code,
    null as province_name_zh,
    null as valid_from,
    null as valid_to,
    null as successor_code
