{#- 风险预警 risk flags of each section (attempt), one row per section and a column per indicator,
    named by its id (every struct column is one: mart_risk_flags reads them all), a struct of its
    result — status (calculated, insufficient_data with `missing` naming the empty column, undefined where the rule does not apply: a failed
    section, a mode or category without the rule), value, threshold and its source, and whether
    the value passed it (`fires`, read only when calculated: mart_risk_flags). A view: the rules
    are held as it is read, to the deal's columns and the figures of mart_risk_sections (the
    aggregations, stored), so a city's twelve results a section are never written.
    Settings: dbt_project.yml, vars.risk_flags; rules and sources: docs/risk-flags.md. -#}
{{ config(materialized='view') }}
{%- set settings = var('risk_flags') %}
{%- set tender_modes = "'" ~ settings.single_bid.tender_modes | join("', '") ~ "'" %}
{%- set submission = settings.short_submission_period %}
{%- set deadline_modes = "'" ~ settings.late_winner_deposit.tender_modes | join("', '") ~ "'" %}
{%- set shared_minimum = settings.shared_account.minimum_bidders %}
{%- set cluster_minimum = settings.guarantee_cluster.minimum_bidders %}
with
deals as (
    -- each section, the columns the flags read, with its settings
    select
        {{ risk_place() | join(',\n        ') }},
        tender_mode,
        deal_status,
        deal_date,
        budget_amount,
        winner_code,
        bidder_count,
        publish_date,
        bid_open_date,
        tender_project_code || ' / ' || bid_section_code || ' · ' || strftime(attempt_month, '%Y-%m')
            as entity_key,
        {{ risk_setting('tender_mode', settings.single_bid.by_tender_mode,
                        settings.single_bid.threshold) }}::decimal(38, 6) as fewest_bidders,
        {{ risk_setting('tender_mode', settings.deposit_over_cap.by_tender_mode,
                        risk_setting('trade_category', settings.deposit_over_cap.by_trade_category)) }}::decimal(
            38, 6
        ) as deposit_cap,
        {{ risk_setting('tender_mode', submission.by_tender_mode,
                        submission.threshold if submission.threshold is not none else 'null') }}::decimal(
            38, 6
        ) as fewest_submission_days,
        {{ risk_setting('tender_mode', submission.by_tender_mode) }} is not null as submission_days_by_statute
    from {{ ref_in_view('fct_deals') }}
),

sections as (
    select
        deals.*,
        inputs.* exclude (tender_project_code, bid_section_code, attempt_month)  -- noqa: RF02
    from deals
    inner join {{ ref_in_view('mart_risk_sections') }} as inputs
        on
            {{ same_section('deals', 'inputs') }}
)

select
    {{ risk_place() | join(',\n    ') }},
    tender_mode,
    entity_key,
    {
        'status': case
            when tender_mode not in ({{ tender_modes }}) or deal_status <> 'concluded' then 'undefined'
            when bidder_count is null then 'insufficient_data'
            else 'calculated'
        end,
        'missing': 'bidder_count',
        'value': bidder_count::decimal(38, 6),
        'threshold': fewest_bidders,
        'threshold_source': 'statute',
        'fires': bidder_count < fewest_bidders
    } as single_bid,
    {
        'status': case
            when deposit_cap is null or largest_amount is null then 'undefined'
            when coalesce(budget_amount, 0) <= 0 then 'insufficient_data'
            else 'calculated'
        end,
        'missing': 'budget_amount',
        'value': largest_amount::decimal(38, 6),
        -- the cap in money, to the fen as a deposit is paid (2 % of 1,234,567.89 is 24,691.36)
        'threshold': round(budget_amount * deposit_cap, 2)::decimal(38, 6),
        'threshold_source': 'statute',
        'fires': largest_amount > round(budget_amount * deposit_cap, 2)
    } as deposit_over_cap,
    {
        'status': case
            when not has_guarantees then 'undefined'
            when n_bidders_one_issuer is null then 'insufficient_data'
            else 'calculated'
        end,
        'missing': case when has_unknown_issuer then 'issuer' end,
        'value': n_bidders_one_issuer::decimal(38, 6),
        'threshold': {{ cluster_minimum }}::decimal(38, 6),
        'threshold_source': 'fixed',
        'fires': n_bidders_one_issuer >= {{ cluster_minimum }}
    } as guarantee_cluster,
    {
        'status': case
            when fewest_submission_days is null then 'undefined'
            when publish_date is null or bid_open_date is null then 'insufficient_data'
            else 'calculated'
        end,
        'missing': case when publish_date is null then 'publish_date' else 'bid_open_date' end,
        'value': (bid_open_date - publish_date)::decimal(38, 6),
        'threshold': fewest_submission_days,
        'threshold_source': case when submission_days_by_statute then 'statute' else 'fixed' end,
        'fires': bid_open_date - publish_date < fewest_submission_days
    } as short_submission_period,
    {
        -- days from bid opening to the deal, against the lowest part of its category's year
        'status': case
            when deal_status <> 'concluded' then 'undefined'
            when bid_open_date is null then 'insufficient_data'
            else 'calculated'
        end,
        'missing': 'bid_open_date',
        'value': (deal_date - bid_open_date)::decimal(38, 6),
        'threshold': decision_fence::decimal(38, 6),
        'threshold_source': 'fence',
        'fires': deal_date - bid_open_date < decision_fence
    } as short_decision_period,
    {
        -- the winner's bid deposit received after bid opening (days after it), or none where
        -- others paid one
        'status': case
            when
                tender_mode not in ({{ deadline_modes }})
                or deal_status <> 'concluded'
                or not has_deposits then 'undefined'
            when winner_code is null then 'insufficient_data'
            when bid_open_date is null and winner_received_date is not null then 'insufficient_data'
            else 'calculated'
        end,
        'missing': case when winner_code is null then 'winner_code' else 'bid_open_date' end,
        'value': (winner_received_date - bid_open_date)::decimal(38, 6),
        'threshold': 0::decimal(38, 6),
        'threshold_source': 'statute',
        'fires': coalesce(winner_received_date > bid_open_date, n_others > 0)
    } as late_winner_deposit,
    {
        'status': case
            when coalesce(n_cash, 0) = 0 then 'undefined'
            when n_bidders_one_account >= {{ shared_minimum }} or n_cash_without_account = 0 then 'calculated'
            else 'insufficient_data'
        end,
        'missing': 'payer_account',
        'value': n_bidders_one_account::decimal(38, 6),
        'threshold': {{ shared_minimum }}::decimal(38, 6),
        'threshold_source': 'statute',
        'fires': n_bidders_one_account >= {{ shared_minimum }}
    } as shared_account,
    -- noqa: disable=LT02
    {%- for indicator, fence in [('close_to_winner', 'close_fence'),
                                 ('heavily_discounted', 'discount_fence')] %}
    {
        -- {{ 'R024: the lowest other valid bid at most the lower fence above the winner' if loop.first
               else 'R058: the lowest other valid bid at least the upper fence above the winner' }}
        'status': case
            when deal_status <> 'concluded' then 'undefined'
            when n_submitted is null then 'insufficient_data'
            when winner_code is null or n_valid_unpriced > 0 then 'insufficient_data'
            when second_bid_margin is null or {{ fence }} is null then 'undefined'
            else 'calculated'
        end,
        'missing': case
            when n_submitted is null then 'bids' when winner_code is null then 'winner_code' else 'bid_price'
        end,
        'value': second_bid_margin::decimal(38, 6),
        'threshold': {{ fence }}::decimal(38, 6),
        'threshold_source': '{{ 'fixed' if settings[indicator].threshold is not none else 'fence' }}',
        {%- if loop.first %}
        'fires': second_bid_margin <= {{ fence }}
        {%- else %}
        'fires': {{ fence }} > 0 and second_bid_margin >= {{ fence }}
        {%- endif %}
    } as {{ indicator }},
    {%- endfor %}
    -- noqa: enable=LT02
    {
        -- R028: two bidders' submitted bids at one price; value = the bids that repeat a price
        'status': case
            when n_submitted is null then 'insufficient_data'
            when
                n_submitted - n_submitted_unpriced < 2
                and n_submitted_unpriced > 0 then 'insufficient_data'
            when n_submitted < 2 then 'undefined'
            else 'calculated'
        end,
        'missing': case when n_submitted is null then 'bids' else 'bid_price' end,
        'value': (n_submitted - n_submitted_unpriced - n_distinct_prices)::decimal(38, 6),
        'threshold': 1::decimal(38, 6),
        'threshold_source': 'fixed',
        'fires': n_submitted - n_submitted_unpriced - n_distinct_prices >= 1
    } as identical_bid_prices,
    {
        -- R035: the winner's the only valid bid, the other bidders' disqualified
        'status': case
            when deal_status <> 'concluded' then 'undefined'
            when n_submitted is null then 'insufficient_data'
            when winner_code is null then 'insufficient_data'
            else 'calculated'
        end,
        'missing': case when n_submitted is null then 'bids' else 'winner_code' end,
        'value': (case when n_valid = 1 and winner_bid_valid then n_others_disqualified else 0 end)::decimal(
            38, 6
        ),
        'threshold': {{ settings.all_but_winner_disqualified.threshold }}::decimal(38, 6),
        'threshold_source': 'fixed',
        'fires': n_valid = 1 and winner_bid_valid
        and n_others_disqualified >= {{ settings.all_but_winner_disqualified.threshold }}
    } as all_but_winner_disqualified,
    {
        -- R036: the lowest submitted bid disqualified (value: it; threshold: the lowest valid)
        'status': case
            when deal_status <> 'concluded' then 'undefined'
            when n_submitted is null or n_submitted_unpriced > 0 then 'insufficient_data'
            when lowest_disqualified_price is null then 'undefined'
            else 'calculated'
        end,
        'missing': case when n_submitted is null then 'bids' else 'bid_price' end,
        'value': lowest_disqualified_price::decimal(38, 6),
        'threshold': lowest_valid_price::decimal(38, 6),
        'threshold_source': 'fixed',
        'fires': lowest_disqualified_price <= coalesce(lowest_valid_price, lowest_disqualified_price)
    } as lowest_bid_disqualified
from sections
