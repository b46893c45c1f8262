"""Every word the dashboard shows, in Chinese (default) and English: one dictionary."""

import streamlit as st

LANGUAGES = ("中文", "English")
LABELS: dict[str, tuple[str, str]] = {
    "title": ("公共资源交易数据", "Public-resource trading metrics"),
    "language": ("语言 Language", "语言 Language"),
    "filters": ("筛选", "Filters"),
    "months": ("月份范围", "Month range"),
    "province": ("省", "Province"),
    "prefecture": ("市（地级）", "Prefecture"),
    "county": ("区县", "County"),
    "all_regions": ("全部", "All"),
    "categories": ("交易类别（空为全部）", "Trade categories (none = all)"),
    "overview": ("总览", "Overview"),
    "trading": ("交易量", "Trading volume"),
    "savings": ("节约率与溢价率", "Savings and premium"),
    "e_bidding": ("电子化", "E-bidding"),
    "deposits": ("保证金", "Deposits"),
    "guarantees": ("保函替代", "Guarantee substitution"),
    "quality": ("数据质量", "Data quality"),
    "sql": ("查询", "SQL"),
    "no_snapshot": ("还没有可以展示的数据。先入库并构建：",
                    "There is nothing to show yet. Load and build first:"),
    "no_data": ("所选范围内没有数据。", "No data in the selected range."),
    "download": ("下载数据 CSV", "Download data (CSV)"),
    "report": ("下载月报", "Monthly report"),
    "report_help": ("所选地区在所选范围最后一个月的统计月报（全部交易类别），与 ggzy report 写出的相同",
                    "The monthly statistical report of the selected region for the last month of the "
                    "range (all categories): the same as ggzy report writes"),
    "mom": ("环比", "MoM"),
    "yoy": ("同比", "YoY"),
    "as_of": ("数据月份", "Month"),
    "trend": ("趋势", "Trend"),
    "trend_months": ("趋势月数", "Months in the trend"),
    "n_concluded": ("成交宗数", "Concluded sections"),
    "n_sections": ("标段数", "Sections"),
    "n_priced": ("有效标段", "Priced sections"),
    "n_failed": ("流标", "Failed"),
    "n_terminated": ("终止", "Terminated"),
    "deal_amount": ("成交金额（万元）", "Deal amount (10k yuan)"),
    "savings_amount": ("节约资金（万元）", "Savings (10k yuan)"),
    "savings_rate": ("节约率", "Savings rate"),
    "premium_amount": ("溢价（万元）", "Premium (10k yuan)"),
    "premium_rate": ("溢价率", "Premium rate"),
    "e_bidding_rate": ("电子化率", "E-bidding rate"),
    "e_bidding_rate_amount": ("电子化率（金额）", "E-bidding rate by amount"),
    "n_electronic": ("电子化标段", "Electronic sections"),
    "n_remote_evaluation": ("远程异地评标", "Remote evaluations"),
    "deal_amount_remote_evaluation": ("远程异地评标成交额（万元）", "Remotely evaluated deals (10k yuan)"),
    "on_time_rate": ("按时退还率", "On-time refund rate"),
    "n_due": ("应退笔数", "Deposits due"),
    "n_due_on_time": ("按时退还", "Refunded on time"),
    "n_due_late": ("逾期退还或未退", "Late or not refunded"),
    "amount_outstanding": ("未退保证金（万元）", "Outstanding deposits (10k yuan)"),
    "amount_sediment": ("沉淀保证金（万元）", "Sediment deposits (10k yuan)"),
    "n_sediment": ("沉淀笔数", "Sediment deposits"),
    "substitution_rate": ("保函替代率", "Guarantee substitution rate"),
    "amount_guarantee": ("释放企业资金（万元）", "Cash freed for bidders (10k yuan)"),
    "guarantee_fee": ("保函费用（万元）", "Guarantee fees (10k yuan)"),
    "by_category": ("按交易类别", "By trade category"),
    "regions_ranked": ("地区排名", "Regions ranked"),
    "tender_modes": ("交易方式", "Tender modes"),
    "category": ("交易类别", "Trade category"),
    "region": ("地区", "Region"),
    "days_to_refund": ("退还时长分布（天）", "Days to refund"),
    "outstanding_by_age": ("未退保证金账龄", "Outstanding deposits by age"),
    "sediment_list": ("沉淀保证金清单", "Sediment deposits to clear"),
    "sediment_list_cut": ("下表列出逾期最久的 {n} 笔；"
                          "完整清单可用 ggzy sql 查询 marts.fct_securities（is_sediment）",
                          "The {n} overdue longest are listed; the whole list is in marts.fct_securities "
                          "(is_sediment), one ggzy sql away"),
    "security": ("保证金编号", "Security"),
    "age_bucket": ("账龄", "Age"),
    "share_by_form": ("各递交方式占比", "Share by pay form"),
    "loads": ("入库记录", "Loads"),
    "loads_by_month": ("各月入库行数（空格为缺报）", "Rows loaded by month (blank = missing)"),
    "builds": ("构建记录", "Builds"),
    "warnings": ("数据质量警告", "Data-quality warnings"),
    "none": ("无", "None"),
    "query": ("SQL 查询（只读）", "SQL query (read-only)"),
    "run": ("运行", "Run"),
    "row_cap": ("只显示前 {n:,} 行", "Showing the first {n:,} rows"),
    "query_failed": ("查询失败", "The query failed"),
}


def t(key: str) -> str:
    """The label in the language chosen in the sidebar (Chinese by default)."""
    english = st.session_state.get("language") == LANGUAGES[1]
    return LABELS[key][1 if english else 0]


def name(row, zh: str = "name_zh", en: str = "name_en") -> str:
    """A code's name from a row with name_zh / name_en, in the chosen language."""
    return row[en] if st.session_state.get("language") == LANGUAGES[1] else row[zh]
