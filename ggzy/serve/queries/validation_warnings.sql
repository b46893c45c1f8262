-- Rules that flagged rows in loads still current at the last build (meta.current_rows_by_load),
-- and checks that flagged rows in the last build.
select
    'load' as stage,  -- noqa: RF04
    loaded.kind as subject,
    flagged.rule,
    flagged.column_name,
    sum(flagged.n_unexpected)::bigint as n_rows
from meta.validation_results as flagged
inner join meta.load_log as loaded on flagged.load_id = loaded.load_id
inner join meta.current_rows_by_load as still on flagged.load_id = still.load_id
where still.n_current > 0 and flagged.n_unexpected > 0
group by all
union all
select
    'build' as stage,  -- noqa: RF04
    flagged.suite as subject,
    flagged.rule,
    flagged.column_name,
    flagged.n_unexpected as n_rows
from meta.mart_validation_results as flagged
where
    not flagged.success
    and flagged.build_id = (select max(newest.build_id) from meta.mart_validation_results as newest)
order by 1, 5 desc
