{{ code_dimension('refund_routes') }}
