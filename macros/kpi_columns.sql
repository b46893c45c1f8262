{#- The headline figures, read from their one declaration, models/marts/_metrics.yml (the
    semantic model `kpi` and its ratio metrics), through dbt's `graph`: the KPI marts' columns
    and mart_kpi_periods are generated from these lists. While dbt parses, `graph` is empty and
    the lists are too; they are filled when models are compiled. -#}
{% macro kpi_measures() %}
    {%- for model in graph.get('semantic_models', {}).values() if model.name == 'kpi' %}
        {{ return(model.measures) }}
    {%- endfor %}
    {{ return([]) }}
{% endmacro %}

{#- Additive parts counted in whole numbers (counts and sums of days): bigint columns. -#}
{% macro kpi_counts() %}
    {{ return(kpi_measures() | selectattr('config.meta.unit', 'in', ['count', 'days'])
        | map(attribute='name') | list) }}
{% endmacro %}

{#- Additive parts in yuan. -#}
{% macro kpi_amounts() %}
    {{ return(kpi_measures() | selectattr('config.meta.unit', 'equalto', 'amount')
        | map(attribute='name') | list) }}
{% endmacro %}

{#- Each part's kinds of file (meta.kinds), as the name of the set: 'deals', 'refunds_securities', ...
    A month is known for a part when a file of each of its kinds was loaded for it. -#}
{% macro kpi_part_kinds() %}
    {%- set kinds = {} %}
    {%- for measure in kpi_measures() %}
        {%- do kinds.update({measure.name: measure.config.meta.kinds | sort | join('_')}) %}
    {%- endfor %}
    {{ return(kinds) }}
{% endmacro %}

{#- Parts that are balances at month end (non-additive over months). -#}
{% macro kpi_stocks() %}
    {{ return(kpi_measures() | selectattr('non_additive_dimension') | map(attribute='name') | list) }}
{% endmacro %}

{#- (name, numerator column, denominator column, unit) of every ratio metric. -#}
{% macro kpi_ratios() %}
    {%- set metrics = graph.get('metrics', {}).values() | list %}
    {%- set column = {} %}
    {%- for metric in metrics if metric.type == 'simple' %}
        {%- do column.update({metric.name: metric.type_params.measure.name}) %}
    {%- endfor %}
    {%- set ratios = [] %}
    {%- for metric in metrics if metric.type == 'ratio' %}
        {%- do ratios.append((
            metric.name, column[metric.type_params.numerator.name],
            column[metric.type_params.denominator.name], metric.config.meta.unit,
        )) %}
    {%- endfor %}
    {{ return(ratios) }}
{% endmacro %}

{#- `<ratio> as <name>` for the declared ratio metric `name`, on a mart whose parts carry other
    names where given: metric_ratio('savings_rate', savings_base_amount='budget_amount_priced').
    Where `graph` is empty (while dbt parses, and in unit tests, which compile against a manifest
    of macros only) the column is null; an undeclared name is an error. -#}
{% macro metric_ratio(name) -%}
    {%- set declared = kpi_ratios() -%}
    {%- set found = declared | selectattr(0, 'equalto', name) | list -%}
    {%- if found -%}
        {%- set _, numerator, denominator, _ = found[0] -%}
        {{ ratio(kwargs.get(numerator, numerator), kwargs.get(denominator, denominator)) }} as {{ name }}
    {%- elif declared -%}
        {{ exceptions.raise_compiler_error("no ratio metric '" ~ name ~ "' in models/marts/_metrics.yml") }}
    {%- else -%}
        null as {{ name }}
    {%- endif -%}
{%- endmacro %}
