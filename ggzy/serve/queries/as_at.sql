-- The date the selection's last month's stocks, ages and sediment list are as at: its last day,
-- or the build date when the build fell within it (mart_deposit_ages_by_month.as_at_date).
select coalesce(max(ages.as_at_date), last_day(any_value(selection.end_month))) as as_at_date
from selection
left join marts.mart_deposit_ages_by_month as ages on selection.end_month = ages.month
