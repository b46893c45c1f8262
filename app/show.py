"""How figures look: amounts in 万元 or 亿元 with thousands separators, rates as percentages,
Altair charts in the chosen language with their downloads."""

import math
import numbers
from decimal import Decimal

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

from ggzy.report import narrative
from ggzy.report.format import WAN, region_path
from ggzy.serve import dashboard_queries as queries
from ggzy.serve.anomaly import is_anomaly, thresholds, too_early, weak_base, weak_words

from data import csv_bytes, fetch
from labels import in_warehouse_currency, language, name, t, with_unit

LEGEND = alt.Legend(orient="bottom", labelLimit=0)  # names in full, never "保函金额（释放企业资…"
PALETTE = ("#4e79a7", "#f28e2b", "#59a14f", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7", "#9c755f",
           "#bab0ac")  # Tableau 10 without its red, which is ALERT's
ALERT = "#e15759"  # a metric that is better lower (逾期, 沉淀, 单一投标): red, and nothing else is


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def wan(yuan) -> str:
    """Yuan as 万元 to two decimals; exact for the Decimal amounts the queries return."""
    return "—" if _missing(yuan) else f"{Decimal(yuan) / WAN:,.2f}"


def pct(rate) -> str:
    return "—" if _missing(rate) else f"{float(rate) * 100:.2f}%"


def count(n) -> str:
    return "—" if _missing(n) else f"{int(n):,}"


def detail(row: pd.Series) -> pd.DataFrame:
    """One record as two columns, field and value, in words: ``row``'s names are label keys, a
    code comes as its names (<key>_zh, <key>_en), a region as its path; amounts in yuan to the fen,
    dates without time, 是/否."""
    fields, values = [], []
    for key, value in row.items():
        if key.endswith("_en"):
            continue
        if key.endswith("_zh"):
            key, value = key[:-3], name(row, key, f"{key[:-3]}_en")
        fields.append(t(key))
        values.append(_in_words(value))
    return pd.DataFrame({t("field"): fields, t("value"): values})


def _in_words(value) -> str:
    if isinstance(value, list | np.ndarray):  # a region's names, province first
        return " / ".join(region_path(list(value)))
    if _missing(value) or value is pd.NaT:
        return "—"
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    if isinstance(value, pd.Timestamp):
        return f"{value:%Y-%m-%d}"
    if isinstance(value, bool | np.bool_):
        return t("yes" if value else "no")
    return f"{value:,}" if isinstance(value, numbers.Integral) else str(value)


def figure(value, unit: str) -> str:
    """A metric's value (mart_kpi_periods) in its unit: a count, an amount in 万元 or 亿元 (as the
    monthly report's paragraph writes it), a rate in %, days to one decimal."""
    if _missing(value):
        return "—"
    if unit == "amount":
        return in_warehouse_currency(narrative.amount(Decimal(value), language()))
    return {"count": count, "rate": pct}.get(unit, lambda v: f"{float(v):,.1f}")(value)


def definition(metric: str, definitions: pd.DataFrame) -> str:
    """口径: a ratio's formula from its parts' names, and the metric's declared description."""
    row = definitions.loc[metric]
    text = name(row, "description_zh", "description") or ""  # never the English one on a Chinese page
    if row.metric_type == "ratio":
        parts = (name(definitions.loc[row[p]], "label_zh", "label_en") for p in ("numerator", "denominator"))
        text = f"{name(row, 'label_zh', 'label_en')} = {' / '.join(parts)}. {text}"
    return in_warehouse_currency(text)


def change(value, unit: str) -> str | None:
    """A change as the warehouse computed it (mart_kpi_periods): percentage points for a rate,
    per cent for anything else."""
    if _missing(value):
        return None
    return f"{float(value):+.2f} pp" if unit == "rate" else f"{float(value):+.2f}%"


def cards(metrics: tuple[str, ...], periods: pd.DataFrame, selection, per_row: int = 3) -> None:
    """A card per metric for the selection's last month (``periods``: headline_periods): its value
    with 环比 on the chip; below, 同比 with its 上年同期 (marked when its base is weak) and, for a
    flow, the year to date with its 累计同比; ⚠ where a change is beyond its threshold."""
    definitions, first_month = fetch(queries.metric_definitions), fetch(queries.months)[0]
    unsent = fetch(queries.unsent_kinds, selection)  # their figures read 未报送, never 0
    columns = st.columns(per_row)
    for i, metric in enumerate(metrics):
        row, declared = periods.loc[metric], definitions.loc[metric]
        weak = weak_year_on_year(metric, periods, definitions, selection.end, first_month)
        unusual = [t(when) for when, change, base in (
            ("mom", row.change_mom, periods.at["n_concluded", "value_prev_month"]),
            ("yoy", None if weak else row.change_yoy, periods.at["n_concluded", "value_last_year"]))
            if is_anomaly(change, row.change_unit, base)]
        with columns[i % per_row]:
            if too_early(metric, definitions, selection.end, first_month):
                shown = "—"  # cannot exist yet: not a 0
            elif _missing(row.value) and unsent & set(declared.file_kinds):
                shown = t("not_sent")
            else:
                shown = figure(row.value, row.unit)
            st.metric(name(declared, "label_zh", "label_en"), shown,
                      delta=change(row.change_mom, row.unit), delta_description=t("mom"),
                      delta_color="inverse" if declared.is_lower_better else "normal",
                      help=definition(metric, definitions) + (_anomaly_help(unusual) if unusual else ""))
            st.caption(year_on_year_line(metric, periods, definitions, weak)
                       + (f" · ⚠ {with_unit(t('anomaly'), '/'.join(unusual))}" if unusual else ""))
            if not declared.is_stock:
                ytd_change = change(row.change_ytd_yoy, row.unit)
                st.caption(f"{t('ytd')} {figure(row.value_ytd, row.unit)}"
                           + (f" · {t('ytd_yoy')} {ytd_change}" if ytd_change else ""))


def _anomaly_help(changes: list[str]) -> str:
    """What a ⚠ means, with the thresholds it passed (the anomaly_* dbt vars)."""
    limits = thresholds()
    return "\n\n" + t("anomaly_help").format(
        changes="/".join(changes), points=limits["anomaly_rate_change_points"],
        percent=limits["anomaly_change_percent"], sections=limits["anomaly_min_sections"])


def weak_year_on_year(metric: str, periods: pd.DataFrame, definitions: pd.DataFrame, month,
                      first_month) -> str | None:
    """Why the 同比 of ``metric`` on ``periods`` (headline_periods) is not news, or None
    (ggzy.serve.anomaly.weak_base)."""
    return weak_base(metric, definitions, lambda m, now: periods.at[m, "value" if now else "value_last_year"],
                     month, first_month)


def year_on_year_line(metric: str, periods: pd.DataFrame, definitions: pd.DataFrame, weak: str | None) -> str:
    """同比 +1.73%（上年同期 22.87亿元）, marked when its base is too weak to be news: what a card
    says under its figure."""
    row = periods.loc[metric]
    changed = change(row.change_yoy, row.unit)
    if changed is None:
        return f"{t('yoy')} —"
    line = t("yoy_line").format(change=changed, base=figure(row.value_last_year, row.unit))
    return line + (f" · {weak_words(weak, metric, definitions, language())}" if weak else "")


def or_stop(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame, or the page stops here with "no data in the selected range"."""
    if frame.empty:
        st.info(t("no_data"))
        st.stop()
    return frame


def download(frame: pd.DataFrame, key: str) -> None:
    st.download_button(t("download"), csv_bytes(frame), file_name=f"{key}.csv", mime="text/csv", key=key)


def colour(key: str) -> str:
    """One fixed colour per metric, trade category, pay form or bucket, whatever the language:
    its place in its code list; red for a metric that is better lower (dim_metric.is_lower_better)."""
    definitions = fetch(queries.metric_definitions)
    if key in definitions.index and definitions.at[key, "is_lower_better"]:
        return ALERT
    for codes in (list(definitions.index), list(fetch(queries.categories).code),
                  list(fetch(queries.pay_forms).code)):
        if key in codes:
            return PALETTE[codes.index(key) % len(PALETTE)]
    return PALETTE[0]


def scaled(values: pd.Series, unit: str) -> tuple[pd.Series, str, str]:
    """Values for a chart in the unit they read in, the axis title naming it, the tooltip format:
    amounts in 万元 or 亿元 (as the cards), rates in %, counts and days as they are."""
    if unit == "amount":
        largest = max((abs(Decimal(v)) for v in values.dropna()), default=Decimal(0))
        divisor, words = narrative.amount_unit(largest, language())
        axis_title = in_warehouse_currency(" ".join(words.format(value="").split()))
        return values.astype(float) / float(divisor), axis_title, ",.2f"
    if unit == "rate":
        return values.astype(float) * 100, "%", ".2f"
    return values.astype(float), t(f"unit_{unit}"), ",.0f" if unit == "count" else ",.1f"


def label(column: str) -> str:
    """A declared metric's name (dim_metric) in the chosen language, else the dictionary's."""
    definitions = fetch(queries.metric_definitions)
    return name(definitions.loc[column], "label_zh", "label_en") if column in definitions.index else t(column)


def unit_of(metric: str) -> str:
    """A declared metric's unit (dim_metric): count, amount, days or rate."""
    return fetch(queries.metric_definitions).at[metric, "unit"]


def trend(title: str, frame: pd.DataFrame, columns: list[str], unit: str, key: str, bars: bool = False,
          names: dict[str, str] | None = None, raw: pd.DataFrame | None = None) -> None:
    """Months across (YYYY-MM), one series per column of ``frame``, named by ``names`` (default its
    label) and in its fixed colour; lines with a point per month, or stacked bars; a rate axis fits
    the data and shows the metric's target (e.g. 电子化率 100 %). The download is ``frame`` as it
    is (or ``raw``), in yuan and fractions."""
    names = names or {c: label(c) for c in columns}
    shown = frame if bars else _on_enough_cases(frame, columns)
    long = shown.melt(id_vars="month", value_vars=columns, var_name="key", value_name="value")
    long = long.dropna(subset=["value"])
    long["value"], axis_title, number = scaled(long["value"], unit)
    long["series"] = long["key"].map(names)
    long["month"] = pd.to_datetime(long["month"]).dt.strftime("%Y-%m")
    palette = alt.Scale(domain=[names[c] for c in columns], range=[colour(c) for c in columns])
    series = alt.Color("series:N", title=None, legend=LEGEND, scale=palette)
    chart = alt.Chart(long).encode(
        x=alt.X("month:O", title=t("month"), axis=alt.Axis(labelAngle=-40)),
        y=alt.Y("value:Q", title=axis_title, stack=True if bars else None,
                scale=alt.Scale(zero=bars or unit != "rate")),  # a rate's line fits its data
        color=series,
        tooltip=[alt.Tooltip("month:O", title=t("month")), alt.Tooltip("series:N", title=t("series")),
                 alt.Tooltip("value:Q", title=axis_title, format=number)])
    chart = chart.mark_bar() if bars else chart.mark_line(point=True)
    definitions = fetch(queries.metric_definitions)
    targets = sorted({definitions.at[c, "target_rate"] for c in columns if c in definitions.index
                      and not _missing(definitions.at[c, "target_rate"])})
    if unit == "rate" and targets:
        rule = pd.DataFrame({"value": [float(v) * 100 for v in targets]})
        chart += alt.Chart(rule).mark_rule(strokeDash=[6, 4], color="#555").encode(y="value:Q")
    st.subheader(title)
    st.altair_chart(chart, width="stretch")
    if shown[columns].isna().sum().sum() > frame[columns].isna().sum().sum():
        st.caption(t("thin_months").format(n=thresholds()["yoy_min_base_cases"]))
    download(frame if raw is None else raw, key)


def _on_enough_cases(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """A ratio's month left undrawn where its count denominator, when ``frame`` carries it, is
    under yoy_min_base_cases: one due deposit refunded late is not a crash to 0 %."""
    definitions, least = fetch(queries.metric_definitions), thresholds()["yoy_min_base_cases"]
    masked = frame.copy()
    for column in columns:
        denominator = definitions.at[column, "denominator"] if column in definitions.index else None
        counted = isinstance(denominator, str) and definitions.at[denominator, "unit"] == "count"
        if counted and denominator in frame:
            masked.loc[frame[denominator] < least, column] = None
    return masked


def year_on_year(title: str, by_month: pd.DataFrame, metric: str, unit: str, year: int, key: str) -> None:
    """This year against last, month by month (1–12): ``by_month`` indexed by month."""
    months = pd.to_datetime(by_month.index)
    chosen = by_month[[metric]][months.year.isin([year - 1, year])].reset_index()
    chosen["value"], axis_title, number = scaled(chosen[metric], unit)
    chosen["year"] = pd.to_datetime(chosen["month"]).dt.year.astype(str)
    chosen["month_of_year"] = pd.to_datetime(chosen["month"]).dt.month
    colours = {str(year - 1): "#bab0ac", str(year): PALETTE[0]}
    shown = [y for y in colours if y in set(chosen["year"])]  # no legend for a year without data
    years = alt.Scale(domain=shown, range=[colours[y] for y in shown])
    chart = alt.Chart(chosen).mark_line(point=True).encode(
        x=alt.X("month_of_year:O", title=t("month_of_year")),
        y=alt.Y("value:Q", title=axis_title, scale=alt.Scale(zero=unit != "rate")),
        color=alt.Color("year:N", title=None, scale=years, legend=LEGEND),
        tooltip=[alt.Tooltip("year:N", title=t("year")), alt.Tooltip("month_of_year:O", title=t("month")),
                 alt.Tooltip("value:Q", title=axis_title, format=number)])
    st.subheader(title)
    st.altair_chart(chart, width="stretch")
    download(chosen[["month", metric]], key)


def ranked(title: str, frame: pd.DataFrame, label: str, value: str, unit: str, key: str,
           order: list[str] | None = None) -> None:
    """Horizontal bars, every one of them: largest first, or in ``order`` (buckets, ages)."""
    data = frame.assign(value=scaled(frame[value], unit)[0], label=frame[label])
    _, axis_title, number = scaled(frame[value], unit)
    chart = alt.Chart(data).mark_bar(color=PALETTE[0]).encode(
        y=alt.Y("label:N", title=None, sort=order if order is not None else "-x",
                axis=alt.Axis(labelOverlap=False, labelLimit=0)),  # every bar named, in full
        x=alt.X("value:Q", title=axis_title),
        tooltip=[alt.Tooltip("label:N", title=t("name")),
                 alt.Tooltip("value:Q", title=axis_title, format=number)],
    ).properties(height=alt.Step(26))  # a band per bar, whatever the container: every label fits
    st.subheader(title)
    st.altair_chart(chart, width="stretch")
    download(frame, key)


def grid(frame: pd.DataFrame, hide_index: bool = True, column_config: dict | None = None, **options) -> None:
    """A table as every one on the dashboard: full width, "—" where a figure is missing, whole
    numbers with thousands separators."""
    counts = {name: st.column_config.NumberColumn(format="localized")
              for name, column in frame.items() if column.dtype.kind in "iu"}
    st.dataframe(frame, hide_index=hide_index, width="stretch", placeholder="—",
                 column_config={**counts, **(column_config or {})}, **options)


def table(title: str, frame: pd.DataFrame, key: str, raw: pd.DataFrame | None = None) -> None:
    """A titled table, and the download of ``raw`` (the query's columns) or of what is shown."""
    st.subheader(title)
    grid(frame)
    download(frame if raw is None else raw, key)
