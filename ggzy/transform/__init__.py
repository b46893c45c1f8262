"""The landed rows transformed into the month's figures (``ggzy build``): dbt over the raw tables,
the mart suites, and the published snapshot.
Imports ``common`` and ``ingest`` (the GX runner the mart suites share with the input suites)."""
