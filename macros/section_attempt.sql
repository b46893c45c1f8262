{#- A section tendered again after it failed has one deal per attempt: a row of `rows` (a security,
    a bid) belongs to the first attempt of its section that concluded, failed or ended on or after
    its `date_column`, else to the latest. One row per `key` with its attempt_month. -#}
{% macro section_attempt(rows, deals, key, date_column) -%}
    select
        {%- for column in key %}
            {{ rows }}.{{ column }},
        {%- endfor %}
        {{ deals }}.attempt_month
    from {{ rows }}
    inner join {{ deals }}
        on
            {{ rows }}.tender_project_code = {{ deals }}.tender_project_code
            and {{ rows }}.bid_section_code = {{ deals }}.bid_section_code
    qualify row_number() over (
        partition by {{ rows }}.{{ key | join(', ' ~ rows ~ '.') }}
        order by
            {{ deals }}.deal_date < {{ rows }}.{{ date_column }},
            case when {{ deals }}.deal_date >= {{ rows }}.{{ date_column }} then {{ deals }}.deal_date end,
            {{ deals }}.deal_date desc
    ) = 1
{%- endmacro %}

{#- A bidder's part in its section's attempt (`deals`, left-joined: null when the deal is not in
    the warehouse yet): winner, other, or unknown (no deal yet, or no winner code). -#}
{% macro bidder_role(bidder_code, deals) -%}
    case
        when {{ deals }}.tender_project_code is null then 'unknown'
        when {{ deals }}.deal_status <> 'concluded' then 'other'
        when {{ deals }}.winner_code is null then 'unknown'
        -- a unified social credit code is one code in either case (91330000MA27XL0E2K)
        when upper({{ bidder_code }}) = upper({{ deals }}.winner_code) then 'winner'
        else 'other'
    end
{%- endmacro %}
