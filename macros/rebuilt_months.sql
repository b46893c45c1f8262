{#- Month-grain marts rebuilt by month (issue #31): an incremental build recomputes a mart's
    months from the earliest one whose inputs changed since the mart was last built, and keeps
    the months before it as they are. What a mart was built from is recorded beside it, after it
    is built (`record_inputs`, a post-hook), as a fingerprint of each month's inputs: a build that
    fails before the mart is rebuilt leaves the record as it was, so the next build still sees
    those months as changed.

    inputs: a query of (month, fingerprint) rows — one per month, and one with a null month for
    what every month depends on (a change there rebuilds every month). -#}

{% macro inputs_relation() -%}
    {{ return(api.Relation.create(database=this.database, schema='intermediate',
                                  identifier=this.identifier ~ '_inputs')) }}
{%- endmacro %}

{#- The earliest month to rebuild: null when no input changed, the first of all months when a
    whole-mart input changed or the mart's inputs were never recorded. -#}
{% macro rebuild_from(inputs) -%}
    {%- set record = inputs_relation() -%}
    {%- set recorded = adapter.get_relation(record.database, record.schema, record.identifier)
        if execute else none -%}
    {%- if not is_incremental() or recorded is none -%}
        date '0001-01-01'
    {%- else -%}
        (
            select
                case
                    when bool_or(coalesce(now.month, before.month) is null) then date '0001-01-01'
                    else min(coalesce(now.month, before.month))
                end
            from ({{ inputs }}) as now
            full outer join {{ record }} as before on now.month is not distinct from before.month
            where now.fingerprint is distinct from before.fingerprint
        )
    {%- endif -%}
{%- endmacro %}

{#- pre-hook: remove the months about to be rebuilt -#}
{% macro delete_rebuilt_months(inputs) -%}
    {%- if is_incremental() -%}
        delete from {{ this }} where month >= {{ rebuild_from(inputs) }}
    {%- endif -%}
{%- endmacro %}

{#- post-hook: what the mart was built from -#}
{% macro record_inputs(inputs) -%}
    create or replace table {{ inputs_relation() }} as {{ inputs }}
{%- endmacro %}

{#- mart_kpi_periods' inputs by month: its rows of mart_kpi_category_monthly and the kinds of
    file loaded for it; for every month, the warehouse's first month (the previous month and the
    same month last year exist only from it on). -#}
{% macro kpi_periods_inputs() -%}
    with by_month as (
        select
            month,
            sum(hash(by_category)::hugeint) as rows_hash,
            count(*) as n_rows
        from {{ ref('mart_kpi_category_monthly') }} as by_category
        group by month
    ),

    loaded_months as (
        select
            month,
            string_agg(kind, ',' order by kind) as kinds
        from {{ ref('mart_months_held') }}
        group by month
    )

    select
        coalesce(by_month.month, loaded_months.month) as month,
        hash(by_month.rows_hash, by_month.n_rows, loaded_months.kinds) as fingerprint
    from by_month
    full outer join loaded_months on by_month.month = loaded_months.month
    union all
    select
        null as month,
        hash(min(month)) as fingerprint
    from {{ ref('mart_kpi_category_monthly') }}
{%- endmacro %}
