{{ code_dimension('tender_modes') }}
