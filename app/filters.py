"""The sidebar filters every page shares: month range, region (province → prefecture → county),
trade categories. The choice is kept in ``st.session_state["selection"]``."""

import streamlit as st

from ggzy.report.format import region_path
from ggzy.serve import dashboard_queries as queries

from data import fetch, published_build
from labels import name, t

RECENT_MONTHS = 12


def _region_choice(regions, below: queries.Below, parent: str | None) -> str | None:
    """The sidebar's choice among the regions one level below ``parent`` (None: all of them)."""
    options = regions[regions.region_level == below.level]
    if below.parent_column:
        options = options[options[below.parent_column] == parent]
    names = dict(zip(options.region_code, options.name_zh, strict=True))
    # nothing chosen shows the placeholder (全部 / All, redrawn in the language of each run); the
    # clear button goes back to it
    return st.sidebar.selectbox(t(below.level), list(names), index=None, key=below.level,
                                placeholder=t("all_regions"), format_func=names.get)


def sidebar(months: list) -> queries.Selection:
    st.sidebar.header(t("filters"))
    default = (months[max(0, len(months) - RECENT_MONTHS)], months[-1])
    # keyed by the months on offer: when a build adds a month, the range moves to it
    start, end = st.sidebar.select_slider(t("months"), options=months, value=default,
                                          key=f"months-{months[0]:%Y%m}-{months[-1]:%Y%m}",
                                          format_func=lambda m: f"{m:%Y-%m}")
    regions = fetch(queries.regions)
    level, code = "all", None  # province → prefecture → county, each offered once the one above is chosen
    while (below := queries.BELOW[level]).level is not None:
        chosen = _region_choice(regions, below, code)
        if chosen is None:
            break
        level, code = below.level, chosen
    categories = fetch(queries.categories)
    labels = {row.code: name(row._asdict()) for row in categories.itertuples()}
    chosen = st.sidebar.multiselect(t("categories"), list(labels), format_func=labels.get, key="categories",
                                    placeholder=t("all_categories"))
    selection = queries.Selection(start, end, level, code, tuple(chosen))
    st.session_state["selection"] = selection
    st.session_state["region_path"] = _region_path(selection, regions)
    st.session_state["scope"] = _scope(selection, labels)
    return selection


def _region_path(selection: queries.Selection, regions) -> str:
    """浙江省 / 杭州市 / 西湖区, or 全部."""
    names = dict(zip(regions.region_code, regions.name_zh, strict=True))
    found = regions[regions.region_code == selection.region_code]
    path = ([names.get(found.province_code.iloc[0]), names.get(found.prefecture_code.iloc[0]),
             names[selection.region_code]] if len(found) else [t("all_regions")])
    return " / ".join(region_path(path))


def _scope(selection: queries.Selection, category_names: dict[str, str]) -> str:
    """What every page's figures are of: region path, categories, months, the date the last
    month's stocks are as at, and the build (地区：浙江省 / 杭州市 · 类别：全部 · 期间：2024-01 —
    2024-03 · 数据截至 2024-03-31 · 构建 #2（2026-11-25））."""
    categories = "、".join(category_names[c] for c in selection.categories) or t("all_categories")
    months = f"{selection.start:%Y-%m}"
    if selection.end != selection.start:
        months += f" — {selection.end:%Y-%m}"
    build = published_build()
    return t("scope").format(region=st.session_state["region_path"], categories=categories, months=months,
                             date=f"{fetch(queries.as_at, selection):%Y-%m-%d}", build=build.build_id,
                             built=f"{build.finished_at:%Y-%m-%d}")
