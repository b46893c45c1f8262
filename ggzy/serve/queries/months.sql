-- The months the warehouse holds deals for (marts.mart_months_held), as at the published build.
-- A month nobody sent is not held, whatever rows of it came in other months' files. What the
-- month filter offers and what `ggzy report` accepts.
select held.month
from marts.mart_months_held as held
where held.kind = 'deals'
order by held.month
