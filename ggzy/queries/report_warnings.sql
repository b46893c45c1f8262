-- The rules that flagged rows in the report's month's current loads, with how many rows.
select
    loaded.kind,
    flagged.rule,
    flagged.column_name,
    flagged.severity,
    sum(flagged.n_unexpected)::bigint as n_rows
from meta.validation_results as flagged
inner join meta.load_log as loaded on flagged.load_id = loaded.load_id
cross join selection
where loaded.period = selection.end_month and not loaded.retracted and flagged.n_unexpected > 0
group by all
order by n_rows desc, loaded.kind asc, flagged.rule asc
