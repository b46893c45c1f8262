{#- Generic test: a figure summed over this model equals the same figure summed over the model it
    comes from, to the fen: Σ column (rows where `model_where`) = Σ to_expression over `to` (rows where
    `to_where`). The marts' reconciliations with the facts, beside each mart. -#}
{% test sums_equal(model, column, to, to_expression, model_where='true', to_where='true') %}
    with
    totals as (
        select
            (select coalesce(sum({{ column }}), 0) from {{ model }} where {{ model_where }}) as model_total,
            (select coalesce(sum({{ to_expression }}), 0) from {{ to }} where {{ to_where }}) as source_total
    )

    select * from totals
    where model_total <> source_total
{% endtest %}
