"""The data contract: the kinds of monthly file and their columns (docs/data-contract.md).

Code lists are not here: they live in the dbt seeds under ``seeds/`` (see ``codes.py``).
"""

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

ColumnType = Literal["text", "code", "region", "amount", "date", "boolean", "integer", "account"]
# "account": a bank account number, kept only as a keyed hash and a masked form (ggzy/common/accounts.py)
KINDS = ("deals", "securities", "refunds")  # the kinds every month reports (未报送 when one is missing)
FILE_KINDS = (*KINDS, "bids")  # every kind of file, in the order files are loaded in; bids are optional
BLANKS = " \t\u3000"  # a cell of only these (spaces, tabs, full-width spaces) is empty
NOT_DATA_COLUMNS = ("序号", "备注", "说明")  # a spreadsheet's own columns: ignored without a warning
CHINESE = re.compile("[\u4e00-\u9fff]")
BRACKETS = str.maketrans("【】[]〔〕［］", "()()()()")


@dataclass(frozen=True)
class Column:
    name: str  # canonical snake_case name, used everywhere inside the warehouse
    type: ColumnType
    required: bool
    spellings: tuple[str, ...]  # Chinese labels as trading platforms and spreadsheets write them
    code_list: str | None = None  # the seed holding the codes, for type "code"
    default: str | None = None  # canonical value used when the cell is empty


@dataclass(frozen=True)
class Kind:
    name: str
    key: tuple[str, ...]  # business key: unique in a file
    date_column: str  # the date that places a row in a month
    amount_column: str  # the amount a month of this kind is totalled by
    columns: tuple[Column, ...]
    attempts: bool = False  # deals: a section re-tendered after it failed is a new attempt

    @property
    def version_key(self) -> tuple[str, ...]:
        """What a new version replaces: the business key, and for deals the attempt
        (``attempt_month``, assigned by the loader: ggzy/ingest/current.py)."""
        return (*self.key, "attempt_month") if self.attempts else self.key

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def _col(name: str, type: ColumnType, required: bool, *spellings: str, **kw: str) -> Column:
    return Column(name, type, required, spellings, **kw)


PRICE_UNIT = _col("price_unit", "code", False, "金额单位", "价格单位", "币种单位",
                  code_list="price_units", default="yuan")

DEALS = Kind(
    name="deals",
    key=("tender_project_code", "bid_section_code"),
    date_column="deal_date",
    amount_column="deal_amount",
    attempts=True,
    columns=(
        _col("tender_project_code", "text", True, "招标项目编号", "项目编号", "招标项目编码", "项目编码",
             "交易项目编号"),
        _col("bid_section_code", "text", True, "标段（包）编号", "标段编号", "包号", "标段号",
             "标段（包）编码", "标的编号", "地块编号"),
        _col("unified_deal_code", "text", False, "统一交易标识码"),
        _col("region_code", "region", True, "行政区域代码", "所在行政区域代码", "行政区划代码", "区划代码"),
        _col("trade_category", "code", True, "交易类别", "项目类型", "交易类型", "业务类型",
             code_list="trade_categories"),
        _col("tender_mode", "code", True, "交易方式", "招标方式", "采购方式", "出让方式",
             code_list="tender_modes"),
        _col("budget_amount", "amount", False, "预算金额", "采购预算", "项目预算", "控制价", "招标控制价",
             "最高投标限价", "最高限价", "起始价", "起始价格", "挂牌起始价", "起拍价", "合同估算价"),
        # 合同金额 (the contract's amount) is not the deal amount: it stays an unknown column
        _col("deal_amount", "amount", False, "成交金额", "中标金额", "中标价", "成交价", "成交价格",
             "中标（成交）金额", "中标(成交)价", "成交总价"),
        _col("savings_amount", "amount", False, "节约金额", "节约资金"),
        PRICE_UNIT,
        _col("deal_status", "code", True, "交易状态", "成交状态", "交易结果", code_list="deal_statuses"),
        _col("deal_date", "date", True, "成交日期", "中标通知书发出日期", "交易日期", "成交时间",
             "中标日期", "成交确认日期"),
        _col("contract_sign_date", "date", False, "合同签订日期", "合同签署时间", "合同签订时间"),
        _col("winner_code", "text", False, "中标人代码", "中标投标人代码", "中标人统一社会信用代码",
             "竞得人代码"),
        _col("bidder_count", "integer", False, "投标人数", "投标单位数量", "投标人数量", "竞买人数"),
        _col("is_electronic", "boolean", True, "是否电子化交易", "是否全流程电子化"),
        _col("is_remote_evaluation", "boolean", False, "是否远程异地评标", default="false"),
        _col("platform_code", "text", False, "交易系统标识码", "交易平台"),
        # optional, for the risk flags (docs/risk-flags.md): who tendered, through which agency, when
        _col("tenderer_code", "text", False, "招标人代码", "招标人统一社会信用代码", "采购人代码",
             "采购人统一社会信用代码", "出让人代码"),
        _col("agency_code", "text", False, "招标代理机构代码", "代理机构代码", "采购代理机构代码"),
        _col("publish_date", "date", False, "招标公告发布日期", "公告发布日期", "公告发布时间",
             "招标公告发布时间", "采购公告发布日期"),
        _col("bid_open_date", "date", False, "开标日期", "开标时间", "响应文件截止时间"),
    ),
)

SECURITIES = Kind(
    name="securities",
    key=("security_id",),
    date_column="received_date",
    amount_column="amount",
    columns=(
        _col("security_id", "text", True, "保证金编号", "保函编号", "担保编号", "保证金流水号"),
        _col("tender_project_code", "text", True, "招标项目编号", "项目编号"),
        _col("bid_section_code", "text", True, "标段（包）编号", "标段编号"),
        _col("bidder_code", "text", True, "投标人代码", "投标人统一社会信用代码"),
        _col("bidder_name", "text", False, "投标人名称", "投标单位名称"),  # optional: shown where known
        # optional: where the deposit counts while its section has no deal in the warehouse
        _col("region_code", "region", False, "行政区域代码", "所在行政区域代码", "行政区划代码"),
        _col("trade_category", "code", False, "交易类别", "项目类型", code_list="trade_categories"),
        _col("security_kind", "code", True, "担保类型", "保证金类型", "保函类型", code_list="security_kinds"),
        _col("pay_form", "code", True, "递交方式", "保证金递交方式", "缴纳方式", "保证金缴纳方式",
             "担保形式", code_list="pay_forms"),
        _col("amount", "amount", True, "金额", "保证金缴纳金额", "担保金额", "保证金金额", "保函金额"),
        PRICE_UNIT,
        _col("received_date", "date", True, "递交时间", "保证金递交时间", "出函时间", "缴纳时间",
             "保证金缴纳时间"),
        _col("issuer", "text", False, "出函机构", "承保人"),
        _col("guarantee_fee", "amount", False, "担保费用", "保费"),
        # optional, for the risk flags: who paid a cash deposit, from which account
        _col("payer_account", "account", False, "缴款账号", "缴款人账号", "付款账号", "付款人账号"),
        _col("payer_name", "text", False, "缴款人名称", "缴款单位名称", "付款人名称", "付款单位名称"),
    ),
)

REFUNDS = Kind(
    name="refunds",
    key=("refund_id",),
    date_column="settle_date",
    amount_column="refund_amount",
    columns=(
        _col("refund_id", "text", True, "退还编号", "流水号", "退还流水号"),
        _col("security_id", "text", True, "保证金编号", "保证金流水号"),
        _col("refund_type", "code", False, "处理方式", "退还类型", code_list="refund_types",
             default="refund"),
        _col("settle_date", "date", True, "退还日期", "退付日期", "处理日期", "退还时间"),
        _col("refund_amount", "amount", True, "退还金额", "退付金额"),
        _col("interest_amount", "amount", False, "利息", "退还利息"),
        PRICE_UNIT,
        _col("refund_route", "code", False, "退还路径", "退还方式", code_list="refund_routes"),
    ),
)

# optional, for the risk flags (docs/risk-flags.md): every bid of a section, as opened and evaluated
BIDS = Kind(
    name="bids",
    key=("tender_project_code", "bid_section_code", "bidder_code"),
    date_column="bid_time",
    amount_column="bid_price",
    columns=(
        _col("tender_project_code", "text", True, "招标项目编号", "项目编号"),
        _col("bid_section_code", "text", True, "标段（包）编号", "标段编号", "包号"),
        _col("bidder_code", "text", True, "投标人代码", "投标人统一社会信用代码", "供应商代码"),
        _col("bidder_name", "text", False, "投标人名称", "投标单位名称", "供应商名称"),
        _col("bid_price", "amount", False, "投标报价", "投标价格", "投标金额", "报价", "响应报价"),
        PRICE_UNIT,
        _col("bid_status", "code", True, "投标状态", "投标文件状态", "评审结果", "评审状态",
             code_list="bid_statuses"),
        _col("bid_time", "date", True, "投标时间", "投标文件递交时间", "递交投标文件时间", "解密时间"),
    ),
)

BY_NAME = {k.name: k for k in (DEALS, SECURITIES, REFUNDS, BIDS)}


def column_words(kind: str, column: str | None) -> tuple[str, str]:
    """A file's column as its users call it: its first Chinese spelling, and its name in English
    words (``deal_amount`` → 成交金额, deal amount); any other name stays as it is."""
    found = next((c for c in BY_NAME[kind].columns if c.name == column), None) if kind in BY_NAME else None
    if found is None:
        return column or "", column or ""
    return found.spellings[0], found.name.replace("_", " ")


def header_key(text: str) -> str:
    """How a header cell is compared: full-width and half-width alike (NFKC), every bracket as
    ``()``, no spaces, any case: ``标段【包】 编号`` and ``标段(包)编号`` are one key."""
    text = unicodedata.normalize("NFKC", text.replace("\ufeff", "")).translate(BRACKETS)
    return "".join(text.split()).lower()


def spellings_of(kind: Kind) -> dict[str, str]:
    """Every spelling of a column header this module knows (as ``header_key``) → canonical name;
    the national data-spec's field codes and a platform's own are mappings (ggzy/ingest/mapping.py)."""
    return {
        header_key(spelling): column.name
        for column in kind.columns
        for spelling in (column.name, *column.spellings)
    }
