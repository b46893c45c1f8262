"""Every word the dashboard shows, in Chinese (default) and English: one dictionary."""

import streamlit as st

from ggzy.report.format import in_currency

from data import currency

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
    "all_categories": ("全部", "All"),
    "scope": ("地区：{region} · 交易类别：{categories} · 期间：{months} · 数据截至 {date} · "
              "构建 #{build}（{built}）",
              "Region: {region} · Categories: {categories} · Period: {months} · Data as of {date} · "
              "build #{build} ({built})"),
    "categories": ("交易类别（空为全部）", "Trade categories (none = all)"),
    "overview": ("总览", "Overview"),
    "trading": ("交易量", "Trading volume"),
    "savings": ("节约率与溢价率", "Savings and premium"),
    "e_bidding": ("电子化", "E-bidding"),
    "deposits": ("保证金", "Deposits"),
    "guarantees": ("保函替代", "Guarantee substitution"),
    "quality": ("数据质量", "Data quality"),
    "sql": ("查询", "SQL"),
    "risk": ("风险预警", "Risk flags"),
    "risk_leads": ("以下为风险提示（疑似），供核查参考，并非违规结论。各指标的规则与依据见 "
                   "docs/risk-flags.md。", "These are leads (suspected), for a closer look — not findings "
                   "of wrongdoing. Each indicator's rule and source: docs/risk-flags.md."),
    "risk_by_month": ("各指标提示数（按月）", "Flags by indicator and month"),
    "risk_indicator": ("指标", "Indicator"),
    "risk_list": ("风险提示清单", "Flags"),
    "risk_entity": ("对象", "Section, deposit, bidder, tenderer or agency"),
    "risk_days": ("{} 天", "{} days"),
    "risk_drill": ("查看一项提示", "One flag, closer"),
    "risk_changes": ("{month} 提示数与环比、同比", "Flags in {month}, month on month and year on year"),
    "risk_month_before": ("上月", "Month before"),
    "risk_year_before": ("上年同月", "A year before"),
    "risk_no_deposits": ("该项提示不涉及保证金明细（见上表的数值与阈值）。",
                         "No deposits stand behind this flag: its figure and threshold are above."),
    "risk_value": ("数值", "Figure"),
    "risk_threshold": ("阈值", "Threshold"),
    "risk_source": ("阈值依据", "Threshold from"),
    "risk_source_statute": ("法规", "statute"),
    "risk_source_fixed": ("设定值", "setting"),
    "risk_source_fence": ("数据分位", "the data's fence"),
    "risk_evidence": ("提示依据（保证金明细）", "Evidence: the deposits behind the flags"),
    "risk_coverage": ("指标可计算情况", "Which indicators this warehouse can calculate"),
    "risk_calculated": ("已计算", "Calculated"),
    "risk_flagged": ("提示", "Flagged"),
    "risk_insufficient": ("数据不足", "Insufficient data"),
    "risk_undefined": ("不适用", "Not applicable"),
    "risk_missing": ("缺少的列", "Column that would enable it"),
    "issuer": ("出函机构", "Issuer"),
    "payer_account": ("缴款账号（隐去）", "Payer account (masked)"),
    "payer_name": ("缴款人", "Payer"),
    "budget_yuan": ("预算金额（元）", "Budget (yuan)"),
    "no_snapshot": ("还没有可以展示的数据。先入库并构建：",
                    "There is nothing to show yet. Load and build first:"),
    "no_data": ("所选范围内没有数据。", "No data in the selected range."),
    "download": ("下载数据 CSV", "Download data (CSV)"),
    "report": ("下载月报", "Monthly report"),
    "report_help": ("所选地区在所选范围最后一个月的统计月报（全部交易类别），与 ggzy report 写出的相同",
                    "The monthly statistical report of the selected region for the last month of the "
                    "range (all categories): the same as ggzy report writes"),
    "month": ("月份", "Month"),
    "month_of_year": ("月", "Month of the year"),
    "year": ("年", "Year"),
    "series": ("指标", "Series"),
    "name": ("名称", "Name"),
    "field": ("项目", "Field"),
    "value": ("内容", "Value"),
    "unit_count": ("个", "count"),
    "unit_days": ("天", "days"),
    "mom": ("环比", "MoM"),
    "anomaly_help": ("⚠ {changes}变动超出阈值（比率变动超过 {points} 个百分点，其他超过 {percent}%，"
                     "基期成交标段不少于 {sections} 个），值得核实",
                     "⚠ the {changes} change is beyond its threshold (a rate moving more than {points} "
                     "percentage points, any other figure more than {percent}%, on a base of at least "
                     "{sections} concluded sections): worth a look"),
    "last_year_value": ("上年同期", "A year earlier"),
    "yoy_line": ("同比 {change}（上年同期 {base}）", "YoY {change} (a year earlier {base})"),
    "anomaly": ("异常变动", "Unusual change"),
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
    "savings_base_amount": ("采购预算（万元）", "Procurement budget (10k yuan)"),
    "premium_base_amount": ("出让起始价（万元）", "Starting price (10k yuan)"),
    "total": ("合计", "Total"),
    "category_changes": ("分类别成交金额（{month}）", "Deal amount by category ({month})"),
    "wan_suffix": ("（万元）", " (10k yuan)"),
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
    "over_range": ("所选期间合计", "The selected months together"),
    "not_sent": ("未报送", "not sent"),
    "thin_months": ("基数不足 {n} 笔的月份不画比率", "Months resting on fewer than {n} cases are not drawn"),
    "sql_scope": ("查询结果只由 SQL 语句决定，不受左侧筛选（地区、类别、月份）影响",
                  "The result is what the SQL says: the filters on the left (region, categories, months) "
                  "do not apply"),
    "ytd": ("本年累计", "Year to date"),
    "ytd_yoy": ("累计同比", "YTD YoY"),
    "sediment_cleared": ("清理沉淀保证金", "Sediment deposits cleared"),
    "regions_ranked": ("地区排名", "Regions ranked"),
    "regions_table": ("下级地区（本月）", "Regions below (this month)"),
    "regions_table_help": ("点选一行即进入该地区（与左侧筛选相同）；"
                           "排名变化为较上月上升（↑）或下降（↓）的名次，– 为不变",
                           "Choose a row to go into that region (as the sidebar does); the rank change is "
                           "places gained (↑) or lost (↓) since last month, – for none"),
    "no_sub_regions": ("所选地区没有下级地区。", "The region has no regions below it."),
    "rank": ("排名", "Rank"),
    "share": ("占比", "Share"),
    "rank_change": ("排名变化", "Rank change"),
    "tender_modes": ("交易方式", "Tender modes"),
    "category": ("交易类别", "Trade category"),
    "region": ("地区", "Region"),
    "days_to_refund": ("退还时长分布（天）", "Days to refund"),
    "outstanding_by_age": ("未退保证金账龄", "Outstanding deposits by age"),
    "sediment_list": ("沉淀保证金清单", "Sediment deposits to clear"),
    "sediment_month_end": ("沉淀保证金（{month} 月末）", "Sediment deposits (end of {month})"),
    "n_sediment_month_end": ("沉淀笔数（{month} 月末）", "Sediment deposits, count (end of {month})"),
    "as_at_help": ("本页的余额、账龄与清单均截至 {date}（所选最后一月的月末；构建在该月内则为构建日）",
                   "The stocks, ages and list on this page are as at {date} (the end of the last month "
                   "selected; the build date if the build fell within it)"),
    "sediment_list_cut": ("共 {total:,} 笔，下表列出逾期最久的 {n:,} 笔；下载为全部",
                          "{total:,} in all: the {n:,} overdue longest are listed, the downloads hold all"),
    "sediment_by_county": ("沉淀保证金最多的区县", "Counties holding most sediment"),
    "sediment_by_bidder": ("沉淀保证金最多的投标人", "Bidders with most sediment"),
    "min_days_overdue": ("逾期至少（天）", "Overdue at least (days)"),
    "min_outstanding_wan": ("未退至少（万元）", "Outstanding at least (10k yuan)"),
    "download_xlsx": ("下载 xlsx", "Download xlsx"),
    "security_code": ("保证金编号", "Security"),
    "project": ("招标项目编号", "Project"),
    "bid_section": ("标段（包）编号", "Section"),
    "bidder": ("投标人", "Bidder"),
    "outstanding_wan": ("未退金额（万元）", "Outstanding (10k yuan)"),
    "due_date": ("应退日期", "Due"),
    "days_overdue": ("逾期天数", "Days overdue"),
    "bidder_name": ("投标人名称", "Bidder name"),
    "security_detail": ("保证金详情（当前状态，截至构建日；上方清单截至所选月末）",
                        "The security now (as at the build date; the list above is as at the month end)"),
    "security_kind": ("担保类型", "Kind"),
    "pay_form": ("递交方式", "Pay form"),
    "amount_yuan": ("金额（元）", "Amount (yuan)"),
    "received_date": ("递交日期", "Received"),
    "deal_date": ("成交日期", "Deal date"),
    "contract_sign_date": ("合同签订日期", "Contract signed"),
    "refunded_yuan": ("已退还（元）", "Refunded (yuan)"),
    "forfeited_yuan": ("不予退还（元）", "Forfeited (yuan)"),
    "converted_yuan": ("转为价款（元）", "Converted into the price (yuan)"),
    "settled_date": ("结清日期", "Settled"),
    "outstanding_yuan": ("未退金额（元）", "Outstanding (yuan)"),
    "state_as_at": ("状态截至", "State as at"),
    "sediment": ("沉淀保证金", "Sediment"),
    "deal_status": ("交易状态", "Deal status"),
    "tender_mode": ("交易方式", "Tender mode"),
    "winner": ("中标人", "Winner"),
    "deal_amount_yuan": ("成交金额（元）", "Deal amount (yuan)"),
    "platform": ("交易系统", "Trading platform"),
    "age_bucket": ("账龄", "Age"),
    "share_by_form": ("各递交方式占比", "Share by pay form"),
    "loads": ("入库记录", "Loads"),
    "loads_by_month": ("各月入库行数（空格为缺报）", "Rows loaded by month (blank = missing)"),
    "builds": ("构建记录", "Builds"),
    "warnings": ("数据质量警告", "Data-quality warnings"),
    "build_published": ("已发布", "published"),
    "build_failed": ("失败", "failed"),
    "stage_load": ("入库", "load"),
    "stage_build": ("构建", "build"),
    "single_bids": ("单一投标（本月，按地区）", "Single bids (this month, by region)"),
    "single_bid_words": ("单一投标 {n:,} 个标段", "{n:,} sections with a single bid"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "load_id": ("入库编号", "Load"),
    "file_name": ("文件", "File"),
    "kind": ("类型", "Kind"),
    "period": ("报送期", "Period"),
    "n_rows": ("行数", "Rows"),
    "n_replaced": ("替换行数", "Rows replaced"),
    "n_warnings": ("警告行数", "Rows warned"),
    "loaded_at": ("入库时间", "Loaded at"),
    "retracted": ("已撤回", "Retracted"),
    "build_id": ("构建编号", "Build"),
    "started_at": ("开始", "Started"),
    "finished_at": ("完成", "Finished"),
    "status": ("状态", "Status"),
    "dbt_summary": ("dbt 结果", "dbt result"),
    "n_check_warnings": ("检查警告", "Check warnings"),
    "message": ("说明", "Message"),
    "loads_through": ("包含入库至", "Loads through"),
    "full_refresh": ("全量重建", "Full rebuild"),
    "stage": ("环节", "Stage"),
    "subject": ("对象", "Subject"),
    "rule": ("规则", "Rule"),
    "column_name": ("列", "Column"),
    "none": ("无", "none"),
    "query": ("SQL 查询（只读）", "SQL query (read-only)"),
    "run": ("运行", "Run"),
    "row_cap": ("只显示前 {n:,} 行", "Showing the first {n:,} rows"),
    "query_failed": ("查询失败", "The query failed"),
}


def english() -> bool:
    """Whether English is chosen in the sidebar (Chinese is the default)."""
    return st.session_state.get("language") == LANGUAGES[1]


def language() -> str:
    """The chosen language as ggzy's report and narrative name it: zh or en."""
    return "en" if english() else "zh"


def in_warehouse_currency(text: str) -> str:
    """Words written for yuan (万元, 10k yuan, CNY 1.2 million) in the warehouse's currency."""
    return in_currency(text, currency())


def t(key: str) -> str:
    """The label in the language chosen in the sidebar (Chinese by default), its amounts named in
    the warehouse's currency (万元 / 10k yuan, or 万UAH / 10k UAH)."""
    return in_warehouse_currency(LABELS[key][1 if english() else 0])


def name(row, zh: str = "name_zh", en: str = "name_en") -> str:
    """A code's name from a row with name_zh / name_en, in the chosen language."""
    return row[en] if english() else row[zh]


def with_unit(text: str, unit: str) -> str:
    """A heading with its unit: 成交金额（亿元）, or Deal amount (CNY billion) in English."""
    return f"{text} ({unit})" if english() else f"{text}（{unit}）"
