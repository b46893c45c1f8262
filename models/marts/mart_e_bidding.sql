with
concluded as (
    select * from {{ ref('fct_deals') }}
    where deal_status = 'concluded'
),

summed as (
    select
        month,
        region_code,
        prefecture_code,
        province_code,
        trade_category,
        count(*) as n_concluded,
        count(*) filter (where is_electronic) as n_electronic,
        coalesce(sum(deal_amount), 0) as deal_amount,
        coalesce(sum(deal_amount) filter (where is_electronic), 0) as deal_amount_electronic,
        -- an OCDS lot may not say how it was tendered: the rates are of those that do
        count(*) filter (where is_electronic is not null) as n_e_known,
        coalesce(sum(deal_amount) filter (where is_electronic is not null), 0) as deal_amount_e_known,
        count(*) filter (where is_remote_evaluation) as n_remote_evaluation,
        coalesce(
            sum(deal_amount) filter (where is_remote_evaluation), 0
        ) as deal_amount_remote_evaluation
    from concluded
    group by all
),

final as (
    select
        month,
        region_code,
        prefecture_code,
        province_code,
        trade_category,
        n_concluded,
        n_electronic,
        n_e_known,
        {{ metric_ratio('e_bidding_rate') }},
        deal_amount,
        deal_amount_electronic,
        deal_amount_e_known,
        {{ metric_ratio('e_bidding_rate_amount') }},
        n_remote_evaluation,
        deal_amount_remote_evaluation
    from summed
)

select * from final
