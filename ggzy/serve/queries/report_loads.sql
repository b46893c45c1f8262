-- The loads of the report's month, in the order they were made.
select
    load_log.load_id,
    load_log.file_name,
    load_log.kind,
    load_log.mode,
    load_log.n_rows,
    load_log.n_replaced,
    load_log.n_warnings,
    load_log.status,
    load_log.loaded_at,
    load_log.retracted
from meta.load_log as load_log
cross join selection
where load_log.period = selection.end_month
order by load_log.load_id
