select
    build_id,
    started_at,
    finished_at,
    status,
    dbt_summary,
    n_check_warnings,
    message,
    loads_through,
    full_refresh
from meta.build_log
order by build_id desc
