"""The command line: exit codes, messages, --help (ggzy/cli.py)."""

import subprocess
import sys
import time
from contextlib import contextmanager

import duckdb
import pytest
from conftest import csv_text, rows_of

from ggzy.cli import main
from ggzy.common.dbt_macros import PROJECT_DIR
from ggzy.common.warehouse import DEFAULT_MEMORY, connect, database_path


def test_load_status_and_unload_through_the_cli(write, home, capsys):
    deals = write("deals_2024-03.csv", csv_text(rows_of("deals", {})))
    assert main(["--home", str(home), "load", str(deals)]) == 0
    assert "landed as load #1, 1 行 rows" in capsys.readouterr().out
    assert main(["--home", str(home), "status"]) == 0
    out = capsys.readouterr().out
    assert "2024-03" in out and "缺报月份 missing months (securities): 2024-03" in out
    assert "待构建 waiting for a build (1 次入库 loads; ggzy build): #1 deals_2024-03.csv" in out
    assert main(["--home", str(home), "unload", "1"]) == 0
    assert "retracted" in capsys.readouterr().out
    assert main(["--home", str(home), "loads", "--kind", "deals"]) == 0
    [_, row] = capsys.readouterr().out.splitlines()
    assert row.split()[:8] == ["1", "deals_2024-03.csv", "deals", "2024-03", "normal", "1", "0", "0"]
    assert row.endswith("已撤回 retracted, 待构建 waiting for a build")


def test_rejected_file_exits_1_with_line_column_value_rule(write, home, capsys):
    bad = write("deals_2024-03.csv", csv_text(rows_of("deals", {}, {"region_code": "999999"})))
    assert main(["--home", str(home), "load", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "第 3 行 line 3, 列 column region_code, 值 value '999999'" in out
    assert "[region_exists]" in out and "deals_2024-03.csv.errors.csv" in out
    assert not database_path(home).exists()


def test_a_rejected_files_errors_are_shown_before_its_warnings(write, home, capsys):
    rows = rows_of("deals", *[{"bidder_count": "1"}] * 25, {"region_code": "999999"})
    assert main(["--home", str(home), "load", str(write("deals_2024-03.csv", csv_text(rows)))]) == 1
    shown = [line for line in capsys.readouterr().out.splitlines() if line.startswith("    ")]
    assert shown[0].startswith("    错误 error: 第 27 行 line 27") and "[region_exists]" in shown[0]
    assert shown[-2] == "    … 另有 6 条 more"


@pytest.mark.parametrize("argv", [["load", "/no/such.csv"], ["load", "x.csv", "--period", "2024-13"],
                                  ["unload", "42"], ["sample", "--months", "0"],
                                  ["report", "--month", "2024-03"],  # nothing published yet
                                  ["status", "--memory", "lots"]])
def test_usage_errors_exit_2_with_a_message(argv, home, capsys):
    main(["--home", str(home), "init"])
    assert main(["--home", str(home), *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith("ggzy: ") and "Traceback" not in err


@pytest.mark.parametrize(("argv", "said"), [(["sql", " "], "the query is empty"),
                                             (["sql", "select 1", "--max-rows", "-5"], "at least 1, got -5")])
def test_sql_arguments_are_checked_before_the_snapshot_is_opened(argv, said, home, capsys):
    assert main(["--home", str(home), *argv]) == 2
    assert said in capsys.readouterr().err


def test_home_may_follow_the_command(write, home, capsys):
    deals = write("deals_2024-03.csv", csv_text(rows_of("deals", {})))
    assert main(["load", str(deals), "--home", str(home)]) == 0
    assert database_path(home).exists()


def test_memory_bounds_every_duckdb_of_a_command_and_dbt(write, home):
    deals = write("deals_2024-03.csv", csv_text(rows_of("deals", {})))
    assert main(["--memory", "300MB", "--home", str(home), "load", str(deals)]) == 0
    with connect() as con:  # as every connection the command opens
        assert con.execute("select current_setting('memory_limit')").fetchone() == ("286.1 MiB",)
    profile = (PROJECT_DIR / "profiles.yml").read_text(encoding="utf-8")  # dbt's, when run by hand
    assert f"memory_limit: \"{{{{ env_var('GGZY_MEMORY', '{DEFAULT_MEMORY}') }}}}\"" in profile


def test_unknown_command_exits_2():
    result = subprocess.run([sys.executable, "-m", "ggzy", "frobnicate"], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 2 and "invalid choice" in result.stderr


@contextmanager
def another_process(imports: str, held: str, seconds: float = 60):
    """A Python process that holds ``held`` (a context manager expression) for ``seconds``, or
    until killed."""
    code = f"import time\n{imports}\nwith {held}:\n    print('held', flush=True)\n    time.sleep({seconds})"
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        yield
    finally:
        holder.kill()
        holder.wait()


def test_locked_warehouse_exits_3(write, home, capsys):
    main(["--home", str(home), "init"])
    with another_process("import duckdb", f"duckdb.connect({str(database_path(home))!r})"):
        deals = write("deals_2024-03.csv", csv_text(rows_of("deals", {})))
        assert main(["--home", str(home), "load", str(deals)]) == 3
        err = capsys.readouterr().err
        assert "正在被写入（另一个程序 another program）" in err and "--wait SECONDS" in err


def test_a_reader_of_the_build_database_does_not_make_a_load_fail(write, home):
    main(["--home", str(home), "init"])
    deals = write("deals_2024-03.csv", csv_text(rows_of("deals", {})))
    reader = f"duckdb.connect({str(database_path(home))!r}, read_only=True)"  # as ggzy status does
    with another_process("import duckdb", reader, seconds=1.5):
        assert main(["--home", str(home), "load", str(deals)]) == 0


def writer(home, command: str = "ggzy load") -> tuple[str, str]:
    """What another_process runs to be a ggzy writer: the writer lock, held as ``command``."""
    return ("import pathlib\nfrom ggzy.common.lock import writer_lock",
            f"writer_lock(pathlib.Path({str(home)!r}), {command!r})")


def test_a_second_writer_is_refused_even_before_the_warehouse_exists(write, home, capsys):
    """A load, build or unload holds the writer lock: another one exits 3, says who is writing,
    changes nothing, and both are in ggzy.log."""
    deals = write("deals_2024-03.csv", csv_text(rows_of("deals", {})))
    with another_process(*writer(home)):
        assert main(["--home", str(home), "load", str(deals)]) == 3
        err = capsys.readouterr().err
        assert "the warehouse" in err and "is being written (ggzy load, pid " in err
        assert not database_path(home).exists()
    assert main(["--home", str(home), "load", str(deals)]) == 0
    with another_process(*writer(home)):
        assert main(["--home", str(home), "build"]) == 3
        err = capsys.readouterr().err
        assert "is being written (ggzy load, pid " in err and "Traceback" not in err
    events = [line.split(" ", 4)[4] for line in (home / "ggzy.log").read_text(encoding="utf-8").splitlines()]
    assert [e.split(",")[0].split(" s:")[0] for e in events] == [  # the holders were killed: no end
        "ggzy load: started", "ggzy load: refused", "ggzy load: started", "ggzy load: finished",
        "ggzy load: started", "ggzy build: refused"]
    assert events[-1].startswith("ggzy build: refused, waited 0 s: ggzy load, pid ")


def test_with_wait_a_writer_waits_for_the_other_and_then_lands(write, home, capsys):
    deals = write("deals_2024-03.csv", csv_text(rows_of("deals", {})))
    with another_process(*writer(home, "ggzy build"), seconds=2):
        assert main(["--home", str(home), "load", str(deals), "--wait", "60"]) == 0
    captured = capsys.readouterr()
    assert "等待 waiting up to 60 s: ggzy build, pid " in captured.err
    assert "landed as load #1" in captured.out
    log = (home / "ggzy.log").read_text(encoding="utf-8")
    assert "ggzy load: waiting up to 60 s: ggzy build, pid" in log and "ggzy load: finished" in log


def test_a_load_during_a_real_build_is_refused_or_waits_and_both_are_logged(write, home, capsys):
    march = write("deals_2024-03.csv", csv_text(rows_of("deals", {})))
    april = write("deals_2024-04.csv", csv_text(rows_of("deals", {"deal_date": "2024-04-05",
                                                                  "contract_sign_date": ""})))
    assert main(["--home", str(home), "load", str(march)]) == 0
    build = subprocess.Popen([sys.executable, "-m", "ggzy", "--home", str(home), "build"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    log = home / "ggzy.log"
    while "ggzy build: started" not in log.read_text(encoding="utf-8"):
        assert build.poll() is None, build.communicate()
        time.sleep(0.05)
    capsys.readouterr()
    assert main(["--home", str(home), "load", str(april)]) == 3
    err = capsys.readouterr().err
    assert f"is being written (ggzy build, pid {build.pid}, since " in err and "Traceback" not in err
    assert main(["--home", str(home), "load", str(april), "--wait", "300"]) == 0
    assert build.wait(timeout=300) == 0
    assert "landed as load #2" in capsys.readouterr().out
    events = [line.split(" ", 4)[4].split(":")[0:2] for line in log.read_text(encoding="utf-8").splitlines()]
    assert [f"{who}:{what.split(',')[0]}" for who, what in events][2:] == [
        "ggzy build: started", "ggzy load: refused", "ggzy load: waiting up to 300 s",
        "ggzy build: finished", "ggzy load: started", "ggzy load: finished"]


def test_status_and_loads_while_a_load_writes_say_who_and_wait_with_wait(write, home, capsys):
    deals = write("deals_2024-03.csv", csv_text(rows_of("deals", {})))
    assert main(["--home", str(home), "load", str(deals)]) == 0
    capsys.readouterr()
    database = f"duckdb.connect({str(database_path(home))!r})"
    loading = ("import duckdb, pathlib\nfrom ggzy.common.lock import writer_lock",
               f"writer_lock(pathlib.Path({str(home)!r}), 'ggzy load'), {database}")
    with another_process(*loading):
        for command in ("status", "loads"):
            assert main(["--home", str(home), command]) == 3
            err = capsys.readouterr().err
            assert "is being written (ggzy load, pid " in err and "Traceback" not in err, command
    with another_process(*loading, seconds=2):
        assert main(["--home", str(home), "status", "--wait", "60"]) == 0
    assert "2024-03" in capsys.readouterr().out


def test_two_loads_at_once_with_wait_both_land(write, home):
    files = [write(f"deals_2024-0{m}.csv", csv_text(rows_of("deals", {"deal_date": f"2024-0{m}-05",
                                                                      "contract_sign_date": ""})))
             for m in (1, 2)]
    runs = [subprocess.Popen([sys.executable, "-m", "ggzy", "--home", str(home), "--wait", "120", "load",
                              str(f)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for f in files]
    assert [run.wait(timeout=300) for run in runs] == [0, 0]
    with duckdb.connect(str(database_path(home)), read_only=True) as con:
        logged = sorted(name for (name,) in con.execute("select file_name from meta.load_log").fetchall())
    assert logged == ["deals_2024-01.csv", "deals_2024-02.csv"]


def test_two_loads_at_once_into_a_new_warehouse_never_lose_a_landed_file(write, home):
    files = [write(f"deals_2024-0{m}.csv", csv_text(rows_of("deals", {"deal_date": f"2024-0{m}-05",
                                                                      "contract_sign_date": ""})))
             for m in (1, 2)]
    runs = [subprocess.Popen([sys.executable, "-m", "ggzy", "--home", str(home), "load", str(f)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for f in files]
    results = [(run.wait(timeout=120), run.stdout.read()) for run in runs]
    assert all(code in (0, 3) for code, _ in results) and any(code == 0 for code, _ in results)
    landed = {f.name for f, (code, out) in zip(files, results, strict=True)
              if code == 0 and "landed as load #" in out}
    with duckdb.connect(str(database_path(home)), read_only=True) as con:
        logged = {name for (name,) in con.execute("select file_name from meta.load_log").fetchall()}
    assert logged == landed


def test_every_command_has_help_and_python_m_works():
    for command in ("init", "load", "mapping", "loads", "unload", "build", "sql", "report", "status", "serve",
                    "sample", "demo"):
        result = subprocess.run([sys.executable, "-m", "ggzy", command, "--help"],
                                capture_output=True, text=True, check=False)
        assert result.returncode == 0 and "usage: ggzy" in result.stdout, command


def test_init_is_idempotent(home):
    assert main(["--home", str(home), "init"]) == 0
    assert main(["--home", str(home), "init"]) == 0
    with duckdb.connect(str(database_path(home)), read_only=True) as con:
        tables = {t for (t,) in con.execute("select table_schema || '.' || table_name "
                                            "from information_schema.tables").fetchall()}
    assert {"raw.deals", "raw.securities", "raw.refunds", "meta.load_log",
            "meta.validation_results"} <= tables
