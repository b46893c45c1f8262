"""``ggzy build``: dbt over the landed rows, the mart suites, and the published snapshot.
Imports ``common`` and ``ingest`` (the GX runner the mart suites share with the input suites)."""
