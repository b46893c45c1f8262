-- The months with sections traded: what the month filter offers.
select distinct traded.month
from marts.mart_trading_volume as traded
order by traded.month
