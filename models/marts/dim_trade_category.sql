{{ code_dimension('trade_categories', ['price_kind', 'sort_order']) }}
union all
select
    '{{ var("unknown_trade_category") }}' as code,
    '类别未知（标段尚未入库）' as name_zh,
    'not yet known (no deal yet)' as name_en,
    null as price_kind,
    null as sort_order
