{#- Every security, by the month it was received (before its deal arrives, under the region and
    category its file gave, else under "not yet known"), with an amount_<code> column for every
    guarantee form of seeds/pay_forms.csv (read when the model runs; empty while dbt parses). -#}
{%- set guarantee_forms = [] -%}
{%- if execute -%}
    {%- set query = 'select code from ' ~ ref('pay_forms') ~ ' where is_guarantee order by code' -%}
    {%- set forms = run_query(query) -%}
    {%- set guarantee_forms = forms.columns[0].values() | list -%}
{%- endif %}
-- depends_on: {{ ref('pay_forms') }}
with
securities as (
    select * from {{ ref('fct_securities') }}
),

summed as (
    select
        month,
        region_code,
        prefecture_code,
        province_code,
        trade_category,
        security_kind,
        count(*) as n_securities,
        sum(amount) as amount_total,
        count(*) filter (where not is_guarantee) as n_cash,
        coalesce(sum(amount) filter (where not is_guarantee), 0) as amount_cash,
        count(*) filter (where is_guarantee) as n_guarantee,
        coalesce(sum(amount) filter (where is_guarantee), 0) as amount_guarantee,
        {%- for form in guarantee_forms %}
            coalesce(sum(amount) filter (where pay_form = '{{ form }}'), 0) as amount_{{ form }},
        {%- endfor %}
        coalesce(sum(guarantee_fee), 0) as guarantee_fee
    from securities
    group by all
),

final as (
    select
        *,
        {{ metric_ratio('substitution_rate') }},
        {{ metric_ratio('substitution_rate_count') }}
    from summed
)

select * from final
