"""What reads the published snapshot for people: the dashboard's queries (``queries/*.sql``),
``ggzy sql``, CSV export, the anomaly marks, and ``ggzy serve``. Imports ``common``, ``ingest``
and ``transform``; in practice ``common`` alone, since it reads only the snapshot."""
