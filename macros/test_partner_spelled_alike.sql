{#- Generic test: every row that finds a partner in `to` on `columns` only once leading zeros are
    ignored ('1' against '001', what a spreadsheet re-saved from Excel does to a code column) is
    a failure: it has lost its partner (a deposit under 地区未知 with no due date). The loader
    rejects such files (ggzy/ingest/spellings.py); this catches what came in before it did. -#}
{% test partner_spelled_alike(model, columns, to) %}
    select
        {%- for column in columns %}
        model_rows.{{ column }},
        partner.{{ column }} as partner_{{ column }}
        {{- ',' if not loop.last }}
        {%- endfor %}
    from {{ model }} as model_rows
    inner join {{ to }} as partner
        on
        {%- for column in columns %}
            {{ 'and ' if not loop.first }}ltrim(model_rows.{{ column }}, '0') = ltrim(partner.{{ column }}, '0')
        {%- endfor %}
    where not exists (
        select 1 from {{ to }} as exact
        where
        {%- for column in columns %}
            {{ 'and ' if not loop.first }}exact.{{ column }} = model_rows.{{ column }}
        {%- endfor %}
    )
{% endtest %}
