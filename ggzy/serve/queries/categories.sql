select
    category.code,
    category.name_zh,
    category.name_en,
    category.price_kind
from marts.dim_trade_category as category
order by category.sort_order nulls last, category.code
