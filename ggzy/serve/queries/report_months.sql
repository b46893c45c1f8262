-- The months the warehouse holds: from its first month to the last with any flow.
select
    min(periods.month) as first_month,
    max(periods.month) as last_month
from marts.mart_kpi_periods as periods
