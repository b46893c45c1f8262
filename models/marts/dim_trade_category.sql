{{ code_dimension('trade_categories', ['price_kind']) }}
