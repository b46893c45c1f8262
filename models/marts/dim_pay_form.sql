{{ code_dimension('pay_forms', ['is_guarantee']) }}
