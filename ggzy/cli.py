"""The ``ggzy`` command line: a thin shell over the package's functions (docs/operations.md)."""

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import duckdb

from ggzy import sample
from ggzy.common import warehouse
from ggzy.common.contract import FILE_KINDS
from ggzy.common.errors import EnvironmentProblem, GgzyError, UsageError
from ggzy.ingest import history, load, status
from ggzy.serve import adhoc_sql, ocds_export, serve

SHOWN_FINDINGS = 20
SEVERITY_WORDS = {"error": "错误 error", "warning": "警告 warning", "info": "说明 info"}
SEVERITIES = tuple(SEVERITY_WORDS)


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _print_outcome(outcome: load.LoadOutcome) -> None:
    mark = {"landed": "✔", "unchanged": "=", "checked": "✔", "rejected": "✘", "refused": "✘"}[outcome.status]
    kind = f" {outcome.kind}" if outcome.kind else ""
    period = f" [{outcome.period:%Y-%m}]" if outcome.period else ""
    print(f"{mark} {outcome.path.name}{kind}{period}: {outcome.message}")
    errors_first = sorted(outcome.findings, key=lambda f: (SEVERITIES.index(f.severity), f.line or 0))
    for finding in errors_first[:SHOWN_FINDINGS]:
        print(f"    {SEVERITY_WORDS[finding.severity]}: {finding.describe()}")
    if len(outcome.findings) > SHOWN_FINDINGS:
        print(f"    … 另有 {len(outcome.findings) - SHOWN_FINDINGS:,} 条 more")
    if outcome.report:
        print(f"    完整清单 full list: {outcome.report}")


def cmd_init(args: argparse.Namespace) -> int:
    print(f"数据仓库已就绪 warehouse ready: {warehouse.init(args.home, args.wait, args.currency)}")
    return 0


def cmd_load(args: argparse.Namespace) -> int:
    """Exit 0 when every file landed (or was identical), 1 when one was rejected, 2 when one was
    refused (a resubmission that needs --replace or --append)."""
    period = load.parse_period(args.period) if args.period else None
    outcomes = load.load_files(args.files, args.home, args.kind, period, args.mode, args.dry_run, _say,
                               args.wait, args.mapping, args.sheet)
    for outcome in outcomes:
        _print_outcome(outcome)
    if note := load.landed_without_deals(outcomes):
        print(note)
    statuses = {o.status for o in outcomes}
    return 2 if "refused" in statuses else 1 if "rejected" in statuses else 0


def cmd_mapping_draft(args: argparse.Namespace) -> int:
    from ggzy.ingest.mapping_draft import draft

    print(draft(args.file, args.kind, args.sheet), end="")
    return 0


def cmd_loads(args: argparse.Namespace) -> int:
    period = load.parse_period(args.period) if args.period else None
    print(history.format_loads(history.read_loads(args.home, args.kind, period, args.wait)))
    return 0


def cmd_unload(args: argparse.Namespace) -> int:
    print(load.unload(args.load_id, args.home, args.wait))
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    print(status.format_status(status.read_status(args.home, args.wait)))
    return 0


class NodeBar:
    """dbt's progress over its models and tests, on stderr: a bar redrawn in place on a terminal,
    else a line at each quarter."""

    WIDTH = 30

    def __init__(self) -> None:
        self.shown, self.open_line = -1, False

    def __call__(self, done: int, total: int) -> None:
        filled = self.WIDTH * done // total
        line = (f"    模型与测试 models and tests [{'#' * filled}{'.' * (self.WIDTH - filled)}] "
                f"{done}/{total}")
        if sys.stderr.isatty():
            print(f"\r{line}", end="", file=sys.stderr, flush=True)
            self.open_line = True
        elif (quarter := 4 * done // total) > self.shown:
            self.shown = quarter
            _say(line)

    def close(self) -> None:
        """End the bar's line (a failed build stops it short)."""
        if self.open_line:
            print(file=sys.stderr, flush=True)


def cmd_build(args: argparse.Namespace) -> int:
    from ggzy.transform.build import build  # imports dbt and GX: only when building

    bar = NodeBar()
    try:
        outcome = build(args.home, _say, full_refresh=args.full_refresh, wait=args.wait, on_node=bar,
                        verbose=args.verbose)
    finally:
        bar.close()
    for warning in outcome.warnings:
        print(f"    警告 warning: {warning}")
    if not outcome.published:
        print(f"✘ 构建失败 build #{outcome.build_id} failed ({outcome.dbt_summary}); "
              "快照未变 the published snapshot is unchanged:")
        for problem in outcome.problems:
            print(f"    {problem}")
        return 1
    print(f"✔ 构建 build #{outcome.build_id} ({outcome.dbt_summary}) 已发布 published: {outcome.snapshot}")
    return 0


def cmd_sql(args: argparse.Namespace) -> int:
    result = adhoc_sql.run_query(args.home, args.query, args.max_rows)
    print(adhoc_sql.format_result(result, args.format), end="" if args.format == "csv" else "\n")
    if result.truncated:
        _say(f"只显示前 {args.max_rows:,} 行 showing the first {args.max_rows:,} rows only (--max-rows)")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    """The monthly report of the published snapshot, written to --out (or a name of its own)."""
    from ggzy.report import report  # imports the xlsx and PDF writers: only when reporting

    month = load.parse_period(args.month, "--month")
    fmt = args.format or (args.out.suffix.lstrip(".").lower() if args.out else "xlsx")
    if fmt not in report.FORMATS:
        raise UsageError(f"报告格式只能是 xlsx 或 pdf / the report is xlsx or pdf, not {fmt!r} (--format)")
    out = args.out or Path(report.file_name(month, args.region, args.lang, fmt))
    with adhoc_sql.open_snapshot(args.home) as con:
        written = report.FORMATS[fmt](report.monthly_report(con, month, args.region, args.lang))
    out.write_bytes(written)
    print(f"已写出 wrote {out} ({len(written):,} bytes)")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """The published snapshot's deals as OCDS compiled releases (JSON Lines)."""
    start, end = (load.parse_period(text, option) if text else None
                  for text, option in ((args.start, "--from"), (args.end, "--to")))
    with adhoc_sql.open_snapshot(args.home) as con:
        done = ocds_export.export_ocds(con, args.out, args.prefix, start, end, args.region)
    print(f"已写出 wrote {done.path}: {done.n_releases:,} 个 OCDS 发布 compiled releases, "
          f"{done.n_lots:,} 个标段 lots")
    return 0


def cmd_sample(args: argparse.Namespace) -> int:
    if args.months < 1 or args.scale <= 0:
        raise UsageError("--months 须 ≥ 1，--scale 须 > 0 / --months must be ≥ 1 and --scale > 0")
    start = load.parse_period(args.start)
    files = sample.generate(args.out, args.months, args.scale, args.seed, start, progress=_say)
    print(f"已生成 wrote {len(files)} files to {args.out}")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    serve.serve(args.home, args.address, args.port, args.base_url_path)
    return 0  # not reached: this process became the server


def cmd_demo(args: argparse.Namespace) -> int:
    sample.generate(args.out, args.months, args.scale, 1, progress=_say)
    code = cmd_load(argparse.Namespace(files=sorted(args.out.glob("*.csv")), home=args.home,
                                       kind=None, period=None, mode="normal", dry_run=False,
                                       wait=args.wait, mapping=None, sheet=None))
    code = code or cmd_build(args)
    cmd_status(args)
    if code or args.no_serve:
        return code
    return cmd_serve(args)


def add_serve_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--port", type=int, default=8501)
    parser.add_argument("--address", default="127.0.0.1",
                        help="address to bind (default 127.0.0.1: this machine only)")
    parser.add_argument("--base-url-path", default="", metavar="PATH",
                        help="serve under this path, e.g. /ggzy behind a reverse proxy (default: /)")


def seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"应为不小于 0 的秒数 expected seconds ≥ 0, got {text!r}")
    return value


def add_global_options(parser: argparse.ArgumentParser, defaults: bool) -> None:
    """--home, --wait and --memory, before the command (with their defaults) or after it."""
    parser.add_argument("--home", type=Path, default=None if defaults else argparse.SUPPRESS,
                        help="warehouse folder (default: $GGZY_HOME or ./warehouse)")
    parser.add_argument("--wait", type=seconds, default=0 if defaults else argparse.SUPPRESS,
                        metavar="SECONDS",
                        help="while another ggzy process writes the warehouse, wait this long for it "
                             "(default 0: say who is writing and exit 3)")
    parser.add_argument("--memory", default=None if defaults else argparse.SUPPRESS, metavar="SIZE",
                        help="the memory DuckDB and dbt may hold, e.g. 4GB or 40%%; beyond it they spill "
                             "to disk (default: $GGZY_MEMORY, else "
                             f"{warehouse.DEFAULT_MEMORY.replace('%', '%%')} of this machine's)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ggzy", description="公共资源交易数据仓库 public-resource trading metrics warehouse")
    add_global_options(parser, defaults=True)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, func, help: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help, description=help)
        sub.set_defaults(func=func)
        add_global_options(sub, defaults=False)
        return sub

    p = command("init", cmd_init, "create the warehouse and its schemas (idempotent)")
    p.add_argument("--currency", metavar="ISO4217", type=str.upper,
                   help="the currency of every amount in the warehouse, set once (default CNY; "
                        "e.g. UAH for ProZorro's OCDS)")
    p = command("load", cmd_load,
                "validate each file and land it whole, or reject it whole with an error report")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.add_argument("--kind", choices=FILE_KINDS,
                   help="kind of every file (default: recognised from the header)")
    p.add_argument("--period", metavar="YYYY-MM",
                   help="reporting month (default: from the file name, else the month of most rows)")
    resubmit = p.add_mutually_exclusive_group()
    resubmit.add_argument("--replace", dest="mode", action="store_const", const="replace",
                          help="the file is the whole of its kind and period: rows of the period's "
                               "earlier loads that it lacks stop being current")
    resubmit.add_argument("--append", dest="mode", action="store_const", const="append",
                          help="add the file beside the period's other loads (e.g. a second platform)")
    p.set_defaults(mode="normal")
    p.add_argument("--dry-run", action="store_true",
                   help="check the files together, as the real load would, and land nothing")
    p.add_argument("--mapping", type=Path, metavar="FILE.toml",
                   help="a platform's mapping of headers, code values and units (ggzy mapping draft)")
    p.add_argument("--sheet", metavar="NAME", help="the sheet of a spreadsheet file (default: the first)")
    p = command("mapping", cmd_mapping_draft, "draft a mapping file from a file's header: "
                "ggzy mapping draft FILE > platform.toml")
    p.add_argument("action", choices=["draft"])
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("--kind", choices=FILE_KINDS,
                   help="kind of the file (default: recognised from the header)")
    p.add_argument("--sheet", metavar="NAME", help="the sheet of a spreadsheet file (default: the first)")
    p = command("loads", cmd_loads, "the load history: id, file, kind, period, rows, current rows, status")
    p.add_argument("--kind", choices=FILE_KINDS)
    p.add_argument("--period", metavar="YYYY-MM")
    p = command("unload", cmd_unload, "retract a load (kept in history, excluded from current data)")
    p.add_argument("load_id", type=int, metavar="LOAD_ID",
                   help="the id that ggzy load printed (load #N); ggzy loads lists them all")
    p = command("build", cmd_build,
                "dbt build (models + tests), mart quality suites, then publish the read-only snapshot")
    p.add_argument("--full-refresh", action="store_true",
                   help="rebuild from every load, not only those since the last build "
                        "(after changing seeds/ or dbt vars)")
    p.add_argument("--verbose", action="store_true",
                   help="print dbt's log as it goes (it is always in <home>/dbt/logs/dbt.log)")
    p = command("sql", cmd_sql, "read-only query on the published snapshot")
    p.add_argument("query", metavar="QUERY")
    p.add_argument("--format", choices=adhoc_sql.FORMATS, default="table")
    p.add_argument("--max-rows", type=int, default=adhoc_sql.ROW_CAP, help="row cap (default %(default)s)")
    p = command("report", cmd_report, "the monthly statistical report (统计月报) of the published snapshot: "
                "xlsx or PDF, tables with 环比/同比/本年累计 and the narrative paragraph")
    p.add_argument("--month", required=True, metavar="YYYY-MM")
    p.add_argument("--region", metavar="CODE",
                   help="a province, prefecture or county code (default: all regions)")
    p.add_argument("--lang", choices=("zh", "en"), default="zh")
    p.add_argument("--format", choices=("xlsx", "pdf"),
                   help="default: from --out's suffix, else xlsx")
    p.add_argument("--out", type=Path, metavar="FILE",
                   help="default: 统计月报_<region>_<YYYY-MM>.<format> in the current folder")
    p = command("export", cmd_export, "the published deals as open contracting data: OCDS 1.1 compiled "
                "releases, one JSON line per contracting process")
    p.add_argument("format", choices=("ocds",))
    p.add_argument("--out", type=Path, required=True, metavar="FILE.jsonl")
    p.add_argument("--from", dest="start", metavar="YYYY-MM", help="first month (default: every month)")
    p.add_argument("--to", dest="end", metavar="YYYY-MM", help="last month (default: every month)")
    p.add_argument("--region", metavar="CODE", help="a province, prefecture or county code (default: all)")
    p.add_argument("--prefix", default=ocds_export.EXAMPLE_PREFIX, metavar="ocds-xxxxxx",
                   help="the ocid prefix the OCDS registry gave the centre (default: %(default)s, "
                        "a placeholder)")
    command("status", cmd_status, "loads by kind and month, missing months, open data-quality warnings")
    p = command("sample", cmd_sample, "write deterministic, realistic sample CSVs")
    p.add_argument("--months", type=int, default=3)
    p.add_argument("--scale", type=float, default=1.0, help="1 = a city, 5,000 deals a month")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--start", default="2024-01", metavar="YYYY-MM", help="first month (default %(default)s)")
    p.add_argument("--out", type=Path, default=Path("sample"))
    p = command("serve", cmd_serve, "the dashboard on the published snapshot (http://127.0.0.1:8501)")
    add_serve_options(p)
    p = command("demo", cmd_demo, "sample → load → build → serve on the embedded default")
    # two years and a month: sediment (a year overdue) and 同比 show on every page and in the report
    p.add_argument("--months", type=int, default=25)
    p.add_argument("--scale", type=float, default=0.2, help="1 = a city, 5,000 deals a month")
    p.add_argument("--out", type=Path, default=Path("sample"))
    p.add_argument("--no-serve", action="store_true", help="stop after the build")
    p.set_defaults(full_refresh=False, verbose=False)
    add_serve_options(p)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    args.home = warehouse.home(args.home)
    if args.memory:  # read where DuckDB is opened, and by dbt's profile
        os.environ["GGZY_MEMORY"] = args.memory
    try:
        warehouse.memory_limit()  # a malformed size is refused before any work
        return args.func(args)
    except GgzyError as e:
        _say(f"ggzy: {e}")
        return e.exit_code
    except duckdb.OutOfMemoryException:  # beyond --memory where DuckDB cannot spill
        _say(f"ggzy: 内存不足 out of memory within --memory {warehouse.memory_limit()}: 已入库的数据与已发布"
             "的快照未变，请加大 --memory 或关闭其他程序后重试 / the loaded data and the published snapshot "
             "are unchanged: give it more (--memory) or free some, then run it again")
        return EnvironmentProblem.exit_code
    except OSError as e:  # disk full, permissions: the environment, not the data
        _say(f"ggzy: 环境问题 environment problem: {e}")
        return EnvironmentProblem.exit_code
    except KeyboardInterrupt:
        _say("ggzy: 已中断 interrupted")
        return 130


def silence_teardown() -> None:
    """Keep the interpreter's teardown off the screen. With GX and duckdb_engine both imported,
    DuckDB's bindings print dozens of "nanobind: leaked …" lines at exit (harmless, upstream)."""
    sys.stdout.flush()
    sys.stderr.flush()
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stderr.fileno())


def run() -> None:
    """The console entry point: ``main``; by its end ggzy has said all it has to say."""
    code = main()
    silence_teardown()
    sys.exit(code)


if __name__ == "__main__":
    run()
