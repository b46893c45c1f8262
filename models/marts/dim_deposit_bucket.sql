{{ code_dimension('deposit_buckets', ['bucket_set', 'sort_order', 'low_days', 'high_days']) }}
