-- The kinds of file the warehouse holds for the selection's last month (marts.mart_months_held).
select held.kind
from marts.mart_months_held as held
cross join selection
where held.month = selection.end_month
