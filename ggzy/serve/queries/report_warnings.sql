-- The rules that flagged rows in the report's month's loads that are still current (the last
-- build's meta.current_rows_by_load: a load a resubmission replaced whole no longer counts).
select
    loaded.kind,
    flagged.rule,
    flagged.column_name,
    flagged.severity,
    sum(flagged.n_unexpected)::bigint as n_rows
from meta.validation_results as flagged
inner join meta.load_log as loaded on flagged.load_id = loaded.load_id
inner join meta.current_rows_by_load as still on flagged.load_id = still.load_id
cross join selection
where loaded.period = selection.end_month and still.n_current > 0 and flagged.n_unexpected > 0
group by all
order by n_rows desc, loaded.kind asc, flagged.rule asc
