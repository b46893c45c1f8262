"""What a query may do (ggzy/serve/adhoc_sql.py: ``ggzy sql`` and the dashboard's SQL page): read the
snapshot and nothing else. Writing, files, other databases, extensions and settings are refused
with a clear answer; queries stop at a time limit and a row cap. Exports cannot carry formulas."""

import csv
import io

import pytest
from conftest import land

from ggzy import sample
from ggzy.cli import main
from ggzy.common.errors import UsageError
from ggzy.serve.adhoc_sql import run_query
from ggzy.serve.export import csv_text
from ggzy.transform.build import build

READ_ONLY = "快照是只读的"
NO_FILES = "不能读写文件、连接其他数据库或加载扩展"
NO_SETTINGS = "不能更改设置"


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    folder = tmp_path_factory.mktemp("security")
    land(sample.generate(folder / "sample", months=1, scale=0.05), folder / "warehouse")
    assert build(folder / "warehouse").published
    return folder / "warehouse"


@pytest.mark.parametrize(("query", "answer"), [
    ("create table marts.x (a int)", READ_ONLY),
    ("insert into marts.dim_region select * from marts.dim_region", READ_ONLY),
    ("delete from meta.build_log", READ_ONLY),
    ("select * from read_csv('/etc/passwd')", NO_FILES),
    ("select * from read_text('/etc/passwd')", NO_FILES),
    ("select * from glob('/*')", NO_FILES),
    ("copy (select 1) to '/tmp/ggzy-escape.csv'", NO_FILES),
    ("export database '/tmp/ggzy-escape'", NO_FILES),
    ("attach '/tmp/ggzy-other.duckdb' as other", NO_FILES),
    ("install httpfs", NO_FILES),
    ("load httpfs", NO_FILES),
    ("set enable_external_access = true", NO_SETTINGS),
    ("set memory_limit = '100GB'", NO_SETTINGS),
    ("selec 1", "查询失败 the query failed"),
])
def test_what_a_query_may_not_do_is_refused_plainly(home, query, answer):
    with pytest.raises(UsageError) as refused:
        run_query(home, query)
    assert answer in str(refused.value)


def test_the_cli_refuses_with_exit_2_and_one_message(home, capsys):
    assert main(["--home", str(home), "sql", "select * from read_csv('/etc/passwd')"]) == 2
    err = capsys.readouterr().err
    assert "拒绝 refused" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_a_query_stops_at_the_time_limit(home):
    with pytest.raises(UsageError, match="longer than 0.5 s"):
        run_query(home, "select count(*) from range(10000000000) a, range(1000) b", time_limit=0.5)


def test_one_statement_per_call(home):
    with pytest.raises(UsageError, match="one statement per call"):
        run_query(home, "select 1; select 2")
    assert run_query(home, "select 1 as x;").rows == [(1,)]


def test_rows_stop_at_the_cap(home, capsys):
    result = run_query(home, "select * from range(1000000)", row_cap=3)
    assert len(result.rows) == 3 and result.truncated
    assert main(["--home", str(home), "sql", "from range(20)", "--max-rows", "5", "--format", "csv"]) == 0
    captured = capsys.readouterr()
    assert captured.out.splitlines() == ["\ufeffrange", "0", "1", "2", "3", "4"]
    assert "--max-rows" in captured.err


def test_exported_text_cells_cannot_be_formulas():
    cells = ['=HYPERLINK("http://evil.example","点我")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\r=1", "安全"]
    rows = list(csv.reader(io.StringIO(csv_text(["name", "amount"], [(c, -5) for c in cells]), newline="")))
    assert [name for name, _ in rows[1:]] == ["'" + c for c in cells[:-1]] + ["安全"]
    assert {amount for _, amount in rows[1:]} == {"-5"}  # numbers stay numbers
