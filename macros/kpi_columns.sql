{#- The headline figures shared by mart_kpi_category_monthly and mart_kpi_monthly: additive counts
    and amounts, and the ratios recomputed from them (name, numerator, denominator).
    ggzy/dashboard_queries.py recomputes the same ratios for the dashboard's filters. -#}
{% macro kpi_counts() %}
    {{ return([
        'n_sections', 'n_concluded', 'n_failed', 'n_terminated', 'n_priced', 'n_electronic',
        'n_remote_evaluation', 'n_received', 'n_settled', 'days_to_refund_total', 'n_due',
        'n_due_on_time', 'n_outstanding', 'n_overdue', 'n_sediment', 'n_securities', 'n_guarantee',
    ]) }}
{% endmacro %}

{% macro kpi_amounts() %}
    {{ return([
        'budget_amount', 'deal_amount', 'savings_base_amount', 'savings_amount',
        'premium_base_amount', 'premium_amount', 'deal_amount_electronic',
        'deal_amount_remote_evaluation', 'amount_received', 'amount_refunded', 'amount_outstanding',
        'amount_overdue', 'amount_sediment', 'amount_total', 'amount_guarantee', 'guarantee_fee',
    ]) }}
{% endmacro %}

{% macro kpi_ratios() %}
    {{ return([
        ('savings_rate', 'savings_amount', 'savings_base_amount'),
        ('premium_rate', 'premium_amount', 'premium_base_amount'),
        ('e_bidding_rate', 'n_electronic', 'n_concluded'),
        ('e_bidding_rate_amount', 'deal_amount_electronic', 'deal_amount'),
        ('on_time_rate', 'n_due_on_time', 'n_due'),
        ('avg_days_to_refund', 'days_to_refund_total', 'n_settled'),
        ('substitution_rate', 'amount_guarantee', 'amount_total'),
        ('substitution_rate_count', 'n_guarantee', 'n_securities'),
    ]) }}
{% endmacro %}
