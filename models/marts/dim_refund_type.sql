{{ code_dimension('refund_types') }}
