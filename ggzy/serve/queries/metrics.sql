-- The declared metrics (dim_metric): names, labels, units, parts.
select
    metric.metric,
    metric.metric_type,
    metric.label_zh,
    metric.label_en,
    metric.description,
    metric.description_zh,
    metric.unit,
    metric.is_stock,
    metric.is_lower_better,
    metric.numerator,
    metric.denominator,
    metric.target_rate,
    metric.file_kinds,
    metric.price_kind,
    metric.history_months,
    metric.exists_after_months
from marts.dim_metric as metric
