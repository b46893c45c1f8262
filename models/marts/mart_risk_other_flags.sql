{#- 风险预警 risk flags of everything but a section (mart_risk_section_flags) or a deposit
    (mart_risk_deposit_flags): a tenderer's, agency's or bidder's year, a pair or group of
    bidders — one row per indicator and entity, with its status, value, threshold and its source
    and whether the value passed it (`fires`, read only when calculated: mart_risk_flags); a
    pair's or group's bidders (and a recurring group's winner) for its sections
    (mart_risk_ring_sections).
    Settings: dbt_project.yml, vars.risk_flags; rules and sources: docs/risk-flags.md. -#}
{%- set settings = var('risk_flags') %}
with
fences as (
    select * from {{ ref('mart_risk_fences') }}
),

winner_share as (
    select
        'winner_share' as indicator,
        'tenderer_year' as grain,
        tenderers.tenderer_code as entity_key,
        tenderers.period as month,
        case
            when tenderers.n_sections < {{ settings.winner_share.minimum_sections }} then 'undefined'
            else 'calculated'
        end as status,
        tenderers.top_winner_share::decimal(38, 6) as value,
        least(fences.upper_fence, {{ settings.winner_share.threshold }})::decimal(38, 6) as threshold,
        case
            when fences.upper_fence < {{ settings.winner_share.threshold }} then 'fence' else 'fixed'
        end as threshold_source,
        tenderers.top_winner_share > least(fences.upper_fence, {{ settings.winner_share.threshold }})
            as fires
    from {{ ref('mart_risk_tenderer_years') }} as tenderers
    left join fences
        on fences.indicator = 'winner_share' and tenderers.period = fences.period
),

late_refunds_by_agency as (
    select
        'late_refunds_by_agency' as indicator,
        'agency_year' as grain,
        agencies.agency_code as entity_key,
        agencies.period as month,
        case
            when
                agencies.n_due < {{ settings.late_refunds_by_agency.minimum_due }}
                or fences.upper_fence is null then 'undefined'
            else 'calculated'
        end as status,
        agencies.late_share::decimal(38, 6) as value,
        fences.upper_fence::decimal(38, 6) as threshold,
        'fence' as threshold_source,
        agencies.late_share > fences.upper_fence as fires
    from {{ ref('mart_risk_agency_years') }} as agencies
    left join fences
        on fences.indicator = 'late_refunds_by_agency' and agencies.period = fences.period
),

-- noqa: disable=LT02
{%- for indicator, party in risk_disqualified_parties() %}
{{ indicator }} as (
    -- a year's share of submitted bids disqualified against its peers' (Cardinal R038)
    select
        '{{ indicator }}' as indicator,
        '{{ party }}_year' as grain,
        parties.party_code as entity_key,
        parties.period as month,
        case
            when
                parties.n_submitted < {{ settings.excessive_disqualified.minimum_submitted_bids }}
                or fences.upper_fence is null then 'undefined'
            else 'calculated'
        end as status,
        parties.disqualified_share::decimal(38, 6) as value,
        fences.upper_fence::decimal(38, 6) as threshold,
        fences.fence_source as threshold_source,
        fences.upper_fence > 0 and parties.disqualified_share >= fences.upper_fence as fires
    from {{ ref('mart_risk_disqualified_years') }} as parties
    left join fences
        on fences.indicator = '{{ indicator }}' and parties.period = fences.period
    where parties.party = '{{ party }}'
),
{% endfor %}
-- noqa: enable=LT02
co_bidding_ring as (
    -- two bidders who keep bidding together (mart_risk_bidder_pairs)
    select
        'co_bidding_ring' as indicator,
        'bidder_pair' as grain,
        {{ risk_pair_key('bidder_a', 'bidder_b') }} as entity_key,
        [bidder_a, bidder_b] as bidders,
        period as month,
        'calculated' as status,
        jaccard::decimal(38, 6) as value,
        {{ settings.co_bidding_ring.threshold }}::decimal(38, 6) as threshold,
        'fixed' as threshold_source,
        jaccard >= {{ settings.co_bidding_ring.threshold }} as fires
    from {{ ref('mart_risk_bidder_pairs') }}
),

shared_account_pair as (
    -- two bidders who paid from one account: their closest deposits, dated by the later
    select
        'shared_account_pair' as indicator,
        'bidder_pair' as grain,
        {{ risk_pair_key('bidder_a', 'bidder_b') }} as entity_key,
        date_trunc('month', arg_min(later_date, (n_days, later_date)))::date as month,
        'calculated' as status,
        min(n_days)::decimal(38, 6) as value,
        {{ settings.shared_account_pair.threshold }}::decimal(38, 6) as threshold,
        'fixed' as threshold_source,
        min(n_days) <= {{ settings.shared_account_pair.threshold }} as fires
    from {{ ref('mart_risk_account_pairs') }}
    group by bidder_a, bidder_b
),

bid_sets as (
    -- the concluded sections of two or more bidders, the winner among them, in each 24-month
    -- window they fall in (a year and the one before)
    select
        bid_years.bid_year as period,
        bid_sets_held.winner_code,
        bid_sets_held.bidders
    from (select distinct held.bid_year from {{ ref('mart_risk_bid_sets') }} as held) as bid_years
    inner join {{ ref('mart_risk_bid_sets') }} as bid_sets_held
        on bid_sets_held.bid_year in (bid_years.bid_year, bid_years.bid_year - interval 1 year)
    where
        bid_sets_held.winner_code is not null
        and list_contains(bid_sets_held.bidders, bid_sets_held.winner_code)
        and len(bid_sets_held.bidders) > 1
),

recurring_co_bidders as (
    -- a winner with the same other bidders in more than one of its sections
    select
        'recurring_co_bidders' as indicator,
        'bidder_group' as grain,
        winner_code || ' ← ' || array_to_string(list_filter(bidders, lambda b: b <> winner_code), ' + ')
            as entity_key,
        bidders,
        winner_code,
        period as month,
        'calculated' as status,
        count(*)::decimal(38, 6) as value,
        {{ settings.recurring_co_bidders.threshold }}::decimal(38, 6) as threshold,
        'fixed' as threshold_source,
        count(*) >= {{ settings.recurring_co_bidders.threshold }} as fires
    from bid_sets
    group by period, winner_code, bidders
    having count(*) > 1
),

bid_rotation as (
    -- the same bidders together in more than one concluded section, each of them winning one
    select
        'bid_rotation' as indicator,
        'bidder_group' as grain,
        array_to_string(bidders, ' + ') as entity_key,
        bidders,
        period as month,
        'calculated' as status,
        count(*)::decimal(38, 6) as value,
        {{ settings.bid_rotation.minimum_sections }}::decimal(38, 6) as threshold,
        'fixed' as threshold_source,
        count(*) >= {{ settings.bid_rotation.minimum_sections }}
        and count(distinct winner_code) = len(bidders) as fires
    from bid_sets
    group by period, bidders
    having count(*) > 1
),

cover_bidder as (
    -- a bidder's year against its peers' (mart_risk_fences): many bids, few of them won
    select
        'cover_bidder' as indicator,
        'bidder_year' as grain,
        bidders.bidder_code as entity_key,
        bidders.period as month,
        case when fences.q1 > 0 and fences.fence > 0 then 'calculated' else 'undefined' end as status,
        bidders.win_ratio::decimal(38, 6) as value,
        fences.fence::decimal(38, 6) as threshold,
        fences.fence_source as threshold_source,
        bidders.n_bids >= fences.upper_fence and bidders.win_ratio <= fences.fence as fires
    from {{ ref('mart_risk_bidder_years') }} as bidders
    inner join fences
        on fences.indicator = 'cover_bidder' and bidders.period = fences.period
)

select * from winner_share
-- noqa: disable=LT02
{%- for indicator in ['late_refunds_by_agency', 'co_bidding_ring', 'recurring_co_bidders',
                      'bid_rotation', 'cover_bidder', 'shared_account_pair']
                     + risk_disqualified_parties() | map('first') | list %}
union all by name
select * from {{ indicator }}
{%- endfor %}
-- noqa: enable=LT02
