"""What every stage shares: the data contract and code lists, the errors a user can cause and
their findings, the warehouse's files and writer lock, the metric declaration, dbt's plain-Jinja
macros, the checkout's paths and the stopwatch. Imports nothing of ggzy outside ``common``."""
