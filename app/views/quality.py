"""数据质量 Data quality: loads by month and kind (gaps show), single bids by region, the builds,
validation warnings — in the users' words."""

import pandas as pd
import streamlit as st

from ggzy.common.contract import KINDS, column_words
from ggzy.ingest.validate import rule_words, subject_words
from ggzy.serve import dashboard_queries as queries

import show
from data import fetch
from labels import english, t

SUBJECTS = subject_words()  # a kind of file, or a mart, in words

selection = st.session_state["selection"]
loads = fetch(queries.loads)
current = loads[~loads.retracted]
by_month = current.pivot_table(index="period", columns="kind", values="n_rows", aggfunc="sum")
every_month = pd.date_range(by_month.index.min(), by_month.index.max(), freq="MS") if len(by_month) else []
by_month = by_month.reindex(index=every_month, columns=list(KINDS))  # gaps stay blank
by_month.index = [f"{m:%Y-%m}" for m in by_month.index]
st.subheader(t("loads_by_month"))
show.grid(by_month.rename(columns=lambda kind: SUBJECTS[kind][english()]), hide_index=False)

single = fetch(queries.sub_regions, selection).query("metric == 'n_single_bid' and value > 0")
st.subheader(t("single_bids"))
st.markdown("\n".join(f"- {row.name_zh} — {t('single_bid_words').format(n=int(row.value))}"
                       for row in single.sort_values("value", ascending=False).itertuples())
            or t("none"))

shown = loads.assign(kind=[SUBJECTS[k][english()] for k in loads.kind],
                     period=loads.period.dt.strftime("%Y-%m"),
                     loaded_at=loads.loaded_at.dt.strftime("%Y-%m-%d %H:%M"),
                     retracted=[t("yes") if r else "" for r in loads.retracted])
show.table(t("loads"), shown.rename(columns=t), "loads", raw=loads)
builds = fetch(queries.builds)
show.table(t("builds"), builds.assign(started_at=builds.started_at.dt.strftime("%Y-%m-%d %H:%M"),
                                      finished_at=builds.finished_at.dt.strftime("%Y-%m-%d %H:%M"),
                                      status=[t(f"build_{s}") for s in builds.status],
                                      full_refresh=[t("yes") if f else "" for f in builds.full_refresh])
           .rename(columns=t), "builds", raw=builds)
warnings = fetch(queries.validation_warnings)
if warnings.empty:
    st.subheader(t("warnings"))
    st.write(t("none"))
else:
    words = rule_words()
    named = warnings.assign(stage=[t(f"stage_{s}") for s in warnings.stage],
                            subject=[SUBJECTS[s][english()] for s in warnings.subject],
                            rule=[words.get(r, (r, r))[english()] for r in warnings.rule],
                            column_name=[column_words(s, c)[english()] for s, c
                                         in zip(warnings.subject, warnings.column_name, strict=True)])
    show.table(t("warnings"), named.rename(columns=t), "warnings", raw=warnings)
