"""A monthly file on its way in: read, place its header (mappings), normalise, validate with the
input suites, check totals and settlements against what is current, land it whole or reject it
whole; and what has landed (``ggzy loads``, ``ggzy status``). Imports ``common`` only."""
