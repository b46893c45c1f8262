{#- The months the warehouse holds for each kind of file: a month is held for a kind when a
    current (not retracted) file of the kind was loaded for it — meta.load_log's period. An OCDS
    file is of no one month: it holds every month its deals fall in (their deal dates). What
    mart_kpi_periods calls a known month, what the dashboard's month filter offers and `ggzy
    report` accepts, and what reads 未报送 (not sent) where a kind is missing. Bids files are
    optional (the risk flags' data): a month is never held, nor missing, for them. -#}
with
loads as (
    select * from {{ source('meta', 'load_log') }}
    where not retracted and kind <> 'bids'
),

monthly_files as (
    select
        period as month,
        kind
    from loads
    where n_releases is null
),

ocds_files as (
    select distinct
        date_trunc('month', deals.deal_date)::date as month,
        loads.kind
    from {{ source('raw', 'deals') }} as deals
    inner join loads on deals.load_id = loads.load_id
    where loads.n_releases is not null
)

select distinct
    month,
    kind
from (
    select * from monthly_files
    union all
    select * from ocds_files
) as held
