{{ code_dimension('risk_indicators', ['grain', 'sort_order', 'unit', 'needs']) }}
