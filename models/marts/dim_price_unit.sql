{{ code_dimension('price_units') }}
