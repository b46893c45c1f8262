select
    load_id,
    file_name,
    kind,
    period,
    n_rows,
    n_replaced,
    n_warnings,
    loaded_at,
    retracted
from meta.load_log
order by load_id
