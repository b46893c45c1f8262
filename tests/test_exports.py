"""The export corpus, ``tests/data/exports/``: files as trading platforms and colleagues' spreadsheets
really give them (title and unit lines, units in headers, total rows right and wrong, other column
orders and spellings, national field and value codes, .xlsx, a platform's mapping file). Each
file has a TOML note saying what it is and what the user must see; each is loaded through the CLI
into a new warehouse. A landed file's rows are compared with the note to the fen (``Decimal``),
line numbers included; a rejected one must name the rule, the column as the file spells it and
the line, on screen and in ``<file>.errors.csv``, and leave no warehouse behind.
"""

import csv
import shutil
import tomllib
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import query

from ggzy.cli import main
from ggzy.common.findings import report_path
from ggzy.common.warehouse import database_path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(__file__).parent / "data" / "exports"
CASES = sorted(p for p in CORPUS.glob("*.toml") if not p.name.endswith(".mapping.toml"))


def _report(path: Path) -> list[dict[str, str]]:
    with report_path(path).open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def _as_note(value: object) -> object:
    """A warehouse value as the note writes it: amounts and dates as text, NULL as ""."""
    if value is None:
        return ""
    return value if isinstance(value, bool | int) else str(value)


def test_the_corpus_has_every_kind_of_real_export():
    assert len(CASES) >= 15
    files = [tomllib.loads(c.read_text(encoding="utf-8"))["file"] for c in CASES]
    assert all((CORPUS / f).is_file() for f in files)
    assert sum(f.endswith(".xlsx") for f in files) >= 3


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_each_export_lands_exactly_or_is_rejected_in_the_users_words(case, tmp_path, capsys):
    note = tomllib.loads(case.read_text(encoding="utf-8"))
    path = tmp_path / note["file"]
    shutil.copyfile(CORPUS / note["file"], path)
    home = tmp_path / "warehouse"
    options = [*(["--mapping", str(ROOT / note["mapping"]) if note["mapping"].startswith("mappings/")
                  else str(CORPUS / note["mapping"])] if "mapping" in note else []),
               *(["--sheet", note["sheet"]] if "sheet" in note else [])]

    code = main(["--home", str(home), "load", str(path), *options])

    captured = capsys.readouterr()
    out = captured.out + captured.err
    assert code == note["exit_code"], out
    if code == 2:  # a usage error: said once, nothing read
        assert note["message"] in out and note["also"] in out, out
        assert not database_path(home).exists()
        return
    if code == 1:
        assert not database_path(home).exists(), "a rejected file must leave no warehouse behind"
        errors = [r for r in _report(path) if r["severity"] == "error"]
        assert {r["rule"] for r in errors} == {note["rule"]}, errors
        assert sorted(int(r["line"]) for r in errors if r["line"]) == note["lines"]
        if "column" in note:
            assert {r["column"] for r in errors} == {note["column"]}
            assert f"列 column {note['column']}" in out
        for line in note["lines"]:
            assert f"第 {line} 行 line {line}" in out
        if "message" in note:
            assert any(note["message"] in r["message_zh"] + r["message_en"] for r in errors), errors
        return
    assert "已入库 landed" in out
    kind = out.split(f"✔ {path.name} ", 1)[1].split(" ", 1)[0]
    landed = query(home, f"select {', '.join(note['columns'])} from raw.{kind} order by line_number")
    assert [[_as_note(v) for v in row] for row in landed] == note["rows"]
    findings = _report(path) if report_path(path).exists() else []
    for severity, key in (("info", "infos"), ("warning", "warnings")):
        if key in note:
            assert sorted([int(r["line"]), r["rule"]] for r in findings if r["severity"] == severity) \
                == sorted(note[key])


def test_a_mapping_drafted_from_a_file_places_its_columns_and_loads_it(tmp_path, capsys):
    """``ggzy mapping draft`` on a platform's file: the guesses, checked and kept, and the one
    column it could not place, named by the user, load the file."""
    source = tmp_path / "platform_y_2024-03.csv"
    source.write_text("交易编号,标段号码,行政区划,交易类别,交易方式,最高价,成交价款,交易状态,结果日期,"
                      "是否电子化交易,附件\n"
                      "Y-1,1,330106,工程建设,公开招标,1000.00,950.00,成交,2024-03-05,是,a.pdf\n",
                      encoding="utf-8")
    assert main(["mapping", "draft", str(source)]) == 0
    draft = capsys.readouterr().out
    assert '# "交易类别" = "trade_category"   # 已识别 recognised' in draft
    assert '"最高价" = "budget_amount"   # 猜测 guess' in draft
    assert '"成交价款" = "deal_amount"   # 猜测 guess' in draft
    assert '# "附件" = ""   # 未能对应 not placed' in draft
    assert '# "结果日期" = ""   # 未能对应 not placed' in draft
    assert "# 缺少必填列 required and not found: deal_date (成交日期)" in draft
    assert tomllib.loads(draft)["columns"]["交易编号"] == "tender_project_code"
    mapping = tmp_path / "platform_y.toml"  # the user names the one column ggzy could not guess
    mapping.write_text(draft.replace('# "结果日期" = ""', '"结果日期" = "deal_date"'), encoding="utf-8")
    home = tmp_path / "warehouse"

    assert main(["--home", str(home), "load", str(source), "--mapping", str(mapping)]) == 0

    assert query(home, "select tender_project_code, bid_section_code, region_code, budget_amount, "
                       "deal_amount from raw.deals") == [("Y-1", "1", "330106", Decimal("1000.00"),
                                                          Decimal("950.00"))]


def test_a_mapping_names_the_regions_a_platform_writes_in_words(tmp_path):
    """``[values.region_code]``: a county as the platform writes it, read as its code; one the
    mapping does not name is still an error."""
    source = tmp_path / "deals_2024-03.csv"
    source.write_text("标段编号,项目编号,行政区域代码,交易类别,交易方式,预算金额,成交金额,成交状态,成交日期,"
                      "是否电子化交易\n1,P-1,兰州城关,工程建设,公开招标,1000.00,950.00,成交,2024-03-05,是\n",
                      encoding="utf-8")
    mapping = tmp_path / "regions.toml"
    mapping.write_text('[values.region_code]\n"兰州城关" = "620102"\n', encoding="utf-8")
    home = tmp_path / "warehouse"
    assert main(["--home", str(home), "load", str(source), "--mapping", str(mapping)]) == 0
    assert query(home, "select region_code, deal_amount from raw.deals") == [("620102", Decimal("950.00"))]
    unmapped = tmp_path / "deals_2024-04.csv"
    said = source.read_text(encoding="utf-8")
    unmapped.write_text(said.replace("兰州城关", "七里河").replace("2024-03", "2024-04"), encoding="utf-8")
    assert main(["--home", str(home), "load", str(unmapped), "--mapping", str(mapping)]) == 1


@pytest.mark.parametrize("text, said", [
    ('[columns]\n"a" = "budget"\n', "'budget' is not one of"),
    ('[values.pay_form]\n"01" = "cashh"\n', "'cashh' (for '01') is not a code of seeds/pay_forms.csv"),
    ('[values.deal_amount]\n"01" = "x"\n', "[values.deal_amount]: 'deal_amount' is not one of"),
    ('[values.region_code]\n"城关" = "999999"\n', "'999999' (for '城关') is not a code of seeds/regions.csv"),
    ('[units]\ndeal_amount = "亿元"\n', "unit '亿元' is not one of"),
    ('[colums]\n', "not colums"),
    ('[columns\n', "not valid TOML"),
], ids=["column", "code", "not-a-code-column", "region", "unit", "section", "syntax"])
def test_a_wrong_mapping_is_a_usage_error_before_anything_is_read(text, said, tmp_path, capsys):
    mapping = tmp_path / "bad.toml"
    mapping.write_text(text, encoding="utf-8")
    home = tmp_path / "warehouse"
    code = main(["--home", str(home), "load", str(CORPUS / "land_listing_2024-03.csv"), "--mapping",
                 str(mapping)])
    err = capsys.readouterr().err
    assert code == 2 and said in err and str(mapping) in err, err
    assert not database_path(home).exists()


def _workbook(path: Path, title: str, header: list[str], rows: list[list]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append([title])
    book.active.append(header)
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def test_two_months_of_real_exports_and_a_corrected_resubmission_give_the_files_figures(tmp_path, capsys):
    """A statistician's two months: March as the trading centre published it (CSV, title and unit
    lines, a 合计 row), April as a spreadsheet with units in its headers, then March corrected and
    sent again as a spreadsheet. The marts say what the current files say, to the fen."""
    import duckdb

    from ggzy.common.warehouse import snapshot_path

    home = tmp_path / "warehouse"
    march = tmp_path / "land_results_2024-03.csv"
    shutil.copyfile(CORPUS / march.name, march)
    header = ["地块编号", "项目编号", "行政区域代码", "交易类别", "出让方式", "起始价（万元）",
              "成交价（万元）", "交易状态", "成交日期", "是否电子化交易"]
    april = _workbook(tmp_path / "land_results_2024-04.xlsx", "2024年4月出让结果", header, [
        ["DK-03", "TD2024-003", 330213, "土地", "挂牌", 2600, 2600.01, "成交", date(2024, 4, 2), "是"],
        ["DK-04", "TD2024-004", 330213, "土地", "拍卖", 480.5, None, "流标", date(2024, 4, 9), "是"]])
    corrected = _workbook(tmp_path / "land_results_2024-03_更正.xlsx", "2024年3月出让结果（更正）", header, [
        ["DK-01", "TD2024-001", 330213, "土地", "挂牌", 1200.5, 1500.75, "成交", date(2024, 3, 5), "是"],
        ["DK-02", "TD2024-002", 330213, "土地", "拍卖", 800, 950, "成交", date(2024, 3, 12), "是"]])

    assert main(["--home", str(home), "load", str(march), str(april)]) == 0
    assert main(["--home", str(home), "load", str(corrected)]) == 0
    out = capsys.readouterr().out
    # DK-02's deal amount corrected (912.3456 → 950 万元); DK-01 sent again as it was
    assert "2 行 rows: 1 行有改动 changed, 1 行未变 unchanged, 0 行新增 added" in out
    assert main(["--home", str(home), "build"]) == 0

    with duckdb.connect(str(snapshot_path(home)), read_only=True) as con:
        kpis = con.execute("""select month::varchar, n_concluded, n_failed, budget_amount, deal_amount,
                premium_base_amount, premium_amount from marts.mart_kpi_monthly
            where region_level = 'all' order by month""").fetchall()
    wan = Decimal(10_000)
    assert kpis == [
        # March as corrected: 1,200.50 + 800 万元 starting prices; 1,500.75 + 950 万元 deals
        ("2024-03-01", 2, 0, (Decimal("1200.50") + 800) * wan, (Decimal("1500.75") + 950) * wan,
         (Decimal("1200.50") + 800) * wan, (Decimal("1500.75") - Decimal("1200.50") + 950 - 800) * wan),
        # April: one concluded at 2,600.01 over 2,600 万元; the failed lot has no deal
        ("2024-04-01", 1, 1, 2600 * wan, Decimal("2600.01") * wan, 2600 * wan, Decimal("0.01") * wan)]
    assert kpis[0][4] == Decimal("24507500.00") and kpis[1][6] == Decimal("100.00")
