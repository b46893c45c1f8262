{{ code_dimension('deal_statuses') }}
