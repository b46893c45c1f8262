{#- The fences the data sets for the risk flags that compare bidders with their peers
    (cover_bidder, after Cardinal's R025), by year: n bidders, the quartiles of their win ratios
    (Hyndman–Fan type 8, as Cardinal's statrs), the lower fence Q1 − 1.5·IQR (or the fixed
    threshold when set) and the upper fence of their numbers of bids (the `percentile`-th).
    A fence is not used when Q1 ≤ 0 or the lower fence ≤ 0: most bidders then win nothing, and
    most of the busiest would be flagged. -#}
{%- set cover = var('risk_flags').cover_bidder %}
with
by_period as (
    select
        period,
        count(*) as n,
        list(n_bids::double order by n_bids) as bid_counts,
        list(win_ratio order by win_ratio) as ratios
    from {{ ref('mart_risk_bidder_years') }}
    group by period
),

quartiles as (
    select
        period,
        n,
        {{ quantile_type8('ratios', 0.25) }} as q1,
        {{ quantile_type8('ratios', 0.75) }} as q3,
        {{ quantile_type8('bid_counts', cover.percentile / 100) }} as upper_fence
    from by_period
)

select
    'cover_bidder' as indicator,
    'all' as fence_group,
    period,
    n,
    q1,
    q3,
    {{ cover.threshold if cover.threshold is not none else 'q1 - 1.5 * (q3 - q1)' }} as fence,
    upper_fence,
    {{ "'fixed'" if cover.threshold is not none else "'fence'" }} as fence_source
from quartiles
