{#- The fences the data sets for the risk flags that compare an entity with its peers, by
    indicator, group and year: the quartiles (Hyndman–Fan type 8, as Cardinal's statrs) of the
    figure the flag compares, the lower fence (`fence`) and the upper (`upper_fence`).
    - cover_bidder (Cardinal R025): bidders' win ratios; lower fence Q1 − 1.5·IQR (or the fixed
      threshold), upper fence the `percentile`-th of their numbers of bids. Not used when Q1 ≤ 0
      or the lower fence ≤ 0: most bidders then win nothing, and most of the busiest would fire.
    - winner_share: the top winner's share of each tenderer's year (tenderers with at least
      `minimum_sections` sections); upper fence Q3 + 1.5·IQR.
    - late_refunds_by_agency: each agency's share of its due deposits refunded late (agencies
      with at least `minimum_due`); upper fence Q3 + 1.5·IQR.
    - short_decision_period: days from bid opening to deal of the concluded sections, by trade
      category; lower fence the `percentile`-th.
    - close_to_winner, heavily_discounted (Cardinal R024, R058): the margins of the lowest other
      valid bid over the winner's (mart_risk_section_bids); lower fence Q1 − 1.5·IQR, upper fence
      Q3 + 1.5·IQR (or the fixed thresholds).
    - excessive_disqualified, …_by_agency, …_by_bidder (Cardinal R038): the disqualified share
      of the submitted bids of each tenderer's, agency's, bidder's year (those with at least
      `minimum_submitted_bids`); upper fence Q3 + 1.5·IQR (or the fixed threshold). -#}
{%- set settings = var('risk_flags') %}
{%- set cover = settings.cover_bidder %}
{%- set disqualified = risk_disqualified_parties() %}
with
cover_bidder as (
    select
        'all' as fence_group,
        period,
        list(n_bids::double order by n_bids) as upper_values,
        list(win_ratio order by win_ratio) as sorted_values
    from {{ ref('mart_risk_bidder_years') }}
    group by all
),

winner_share as (
    select
        'all' as fence_group,
        period,
        list(top_winner_share order by top_winner_share) as sorted_values
    from {{ ref('mart_risk_tenderer_years') }}
    where n_sections >= {{ settings.winner_share.minimum_sections }}
    group by all
),

late_refunds_by_agency as (
    select
        'all' as fence_group,
        period,
        list(late_share order by late_share) as sorted_values
    from {{ ref('mart_risk_agency_years') }}
    where n_due >= {{ settings.late_refunds_by_agency.minimum_due }}
    group by all
),

short_decision_period as (
    select
        trade_category as fence_group,
        date_trunc('year', month)::date as period,
        list((deal_date - bid_open_date)::double order by deal_date - bid_open_date) as sorted_values
    from {{ ref('fct_deals') }}
    where deal_status = 'concluded' and bid_open_date is not null
    group by all
),

second_bid_margins as (
    -- close_to_winner's lower fence and heavily_discounted's upper fence, from one list
    select
        'all' as fence_group,
        date_trunc('year', month)::date as period,
        list(second_bid_margin order by second_bid_margin) as sorted_values
    from {{ ref('mart_risk_section_bids') }}
    where second_bid_margin is not null
    group by all
),

-- noqa: disable=LT02
{%- for indicator, party in disqualified %}
{{ indicator }} as (
    select
        'all' as fence_group,
        period,
        list(disqualified_share order by disqualified_share) as sorted_values
    from {{ ref('mart_risk_disqualified_years') }}
    where
        party = '{{ party }}'
        and n_submitted >= {{ settings.excessive_disqualified.minimum_submitted_bids }}
    group by all
),
{% endfor %}
-- noqa: enable=LT02
quartiles as (
    -- noqa: disable=LT02
    {%- for indicator in ['cover_bidder', 'winner_share', 'late_refunds_by_agency', 'short_decision_period',
                          'close_to_winner', 'heavily_discounted'] + disqualified | map('first') | list %}
    select
        '{{ indicator }}' as indicator,
        fence_group,
        period,
        {%- if indicator == 'cover_bidder' %}
        {{ quantile_type8('upper_values', cover.percentile / 100) }} as upper_cut,
        {%- elif indicator == 'short_decision_period' %}
        {{ quantile_type8('sorted_values', settings.short_decision_period.percentile / 100) }}
            as lower_cut,
        {%- endif %}
        len(sorted_values) as n,
        {{ quantile_type8('sorted_values', 0.25) }} as q1,
        {{ quantile_type8('sorted_values', 0.75) }} as q3
    from {{ 'second_bid_margins' if indicator in ('close_to_winner', 'heavily_discounted') else indicator }}
    {{- '\n    union all by name' if not loop.last }}
    {%- endfor %}
    -- noqa: enable=LT02
)

select
    indicator,
    fence_group,
    period,
    n,
    q1,
    q3,
    case indicator
        when 'cover_bidder'
            then {{ fixed_or(cover.threshold, 'q1 - 1.5 * (q3 - q1)') }}
        when 'short_decision_period' then lower_cut
        when 'close_to_winner' then {{ fixed_or(settings.close_to_winner.threshold, 'q1 - 1.5 * (q3 - q1)') }}
    end as fence,
    case indicator
        when 'cover_bidder' then upper_cut
        when 'short_decision_period' then null
        when 'close_to_winner' then null
        when 'heavily_discounted'
            then {{ fixed_or(settings.heavily_discounted.threshold, 'q3 + 1.5 * (q3 - q1)') }}
        -- noqa: disable=LT02
        {%- for indicator, _ in disqualified %}
        when '{{ indicator }}'
            then {{ fixed_or(settings.excessive_disqualified.threshold, 'q3 + 1.5 * (q3 - q1)') }}
        {%- endfor %}
        -- noqa: enable=LT02
        else q3 + 1.5 * (q3 - q1)
    end as upper_fence,
    case
        -- noqa: disable=LT02
        {%- for indicator in ['cover_bidder', 'close_to_winner', 'heavily_discounted'] %}
        when indicator = '{{ indicator }}' and {{ settings[indicator].threshold is not none }} then 'fixed'
        {%- endfor %}
        -- noqa: enable=LT02
        when
            indicator like 'excessive_disqualified%'
            and {{ settings.excessive_disqualified.threshold is not none }} then 'fixed'
        else 'fence'
    end as fence_source
from quartiles
