{#- The page filters, on rows aliased `alias`: the query cross joins the one-row relation
    `selection` (start_month, end_month, region_level, region_code, categories) that
    ggzy/serve/dashboard_queries.py registers. `months=false` for the stocks and lists of one month end (with `held_at_end`). -#}
{% macro selected(alias, months=true) -%}
    {%- if months %}{{ alias }}.month between selection.start_month and selection.end_month and {% endif -%}
    case selection.region_level
        when 'province' then {{ alias }}.province_code = selection.region_code
        when 'prefecture' then {{ alias }}.prefecture_code = selection.region_code
        when 'county' then {{ alias }}.region_code = selection.region_code
        else true
    end
    and (len(selection.categories) = 0 or list_contains(selection.categories, {{ alias }}.trade_category))
{%- endmacro %}

{#- The rows of a long mart by region level (mart_kpi_periods), aliased `alias`, for the
    selection's last month and its region ('000000': all regions). -#}
{% macro selected_region_month(alias) -%}
    {{ alias }}.month = selection.end_month
    and {{ alias }}.region_level = selection.region_level
    and {{ alias }}.region_code = coalesce(selection.region_code, '000000')
{%- endmacro %}

{#- The rows of fct_deposit_month_ends or mart_deposit_ages_by_month, aliased `alias`, held at the end of
    the selection's last month, in its region and categories. -#}
{% macro held_at_end(alias) -%}
    {{ alias }}.month = selection.end_month and {{ selected(alias, months=false) }}
{%- endmacro %}
