-- The months the warehouse holds: those a deals file was loaded for (not retracted), as at the
-- published build. A month nobody sent is not held, whatever rows of it came in other months'
-- files. What the month filter offers and what `ggzy report` accepts.
select distinct loads.period as month
from meta.load_log as loads
where loads.kind = 'deals' and not loads.retracted
order by month
