{{ code_dimension('security_kinds') }}
