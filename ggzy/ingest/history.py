"""``ggzy loads``: the load history, read from the build database (the snapshot's copy of
``meta.load_log`` is as of the last published build): what each load brought, how much of it is
still current, and which loads the next build will take."""

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb

from ggzy.common.contract import BY_NAME, FILE_KINDS
from ggzy.common.errors import UsageError
from ggzy.common.warehouse import attach, connect, database_path
from ggzy.ingest.current import current_sql


@dataclass
class Load:
    load_id: int
    file_name: str
    kind: str
    period: date
    mode: str  # normal / replace / append
    n_rows: int
    n_current: int  # rows still current
    n_replaced: int  # rows that replaced earlier versions when it landed
    n_withdrawn: int  # current rows of the period it withdrew (--replace)
    retracted: bool
    loaded_at: datetime
    waiting: bool  # landed or retracted since the last published build
    sheet: str | None  # --sheet, if given
    mapping_file: str | None  # --mapping, if given

    @property
    def status(self) -> str:
        state = "已撤回 retracted" if self.retracted else "已入库 landed"
        return state + (", 待构建 waiting for a build" if self.waiting else "")


def waiting_sql(catalog: str) -> str:
    """A condition on ``l`` (a ``meta.load_log`` row): the next build has yet to take it."""
    last = (f"(select {{}} from {catalog}.meta.build_log where status = 'published' "
            "and loads_through is not null order by build_id desc limit 1)")
    return (f"(l.load_id > coalesce({last.format('loads_through')}, 0) or "
            f"l.retracted_at >= {last.format('started_at')})")


def current_rows_by_load(con: duckdb.DuckDBPyConnection, catalog: str, kinds=FILE_KINDS) -> dict[int, int]:
    """How many rows of each load are current."""
    counts: dict[int, int] = {}
    for kind in kinds:
        counts.update(con.execute(f"select load_id, count(*) from ({current_sql(BY_NAME[kind], catalog)}) "
                                  "group by load_id").fetchall())
    return counts


def read_loads(home_dir: Path, kind: str | None = None, period: date | None = None,
               wait: float = 0) -> list[Load]:
    path = database_path(home_dir)
    if not path.exists():
        raise UsageError(f"数据仓库不存在 no warehouse at {path}: 先运行 run ggzy load")
    with connect() as con:
        attach(con, path, read_only=True, wait=wait)
        current = current_rows_by_load(con, "wh", [kind] if kind else FILE_KINDS)
        rows = con.execute(f"""
            select l.load_id, l.file_name, l.kind, l.period, l.mode, l.n_rows, l.n_replaced,
                l.n_withdrawn, l.retracted, l.loaded_at, coalesce({waiting_sql('wh')}, false), l.sheet,
                l.mapping_file
            from wh.meta.load_log as l
            where (? is null or l.kind = ?) and (?::date is null or l.period = ?)
            order by l.load_id""", [kind, kind, period, period]).fetchall()
    return [Load(load_id, name, k, p, mode, n, current.get(load_id, 0), replaced, withdrawn,
                 retracted, at, waiting, sheet, mapping_file)
            for load_id, name, k, p, mode, n, replaced, withdrawn, retracted, at, waiting, sheet, mapping_file
            in rows]


def _how_read(load: Load) -> str:
    """The sheet and mapping a load was read with, where not the defaults."""
    said = [f"工作表 sheet {load.sheet}" if load.sheet else "",
            f"映射 mapping {load.mapping_file}" if load.mapping_file else ""]
    return "".join(f"  {s}" for s in said if s)


def format_loads(loads: list[Load]) -> str:
    if not loads:
        return "没有入库记录 / no loads"
    header = (f"{'id':>5}  {'文件 file':<34} {'kind':<10} {'period':<7} {'mode':<7} {'rows':>9} "
              f"{'current':>9} {'replaced':>9} {'withdrew':>9}  {'loaded at':<16}  status")
    lines = [header]
    for x in loads:
        lines.append(f"{x.load_id:>5}  {x.file_name:<34} {x.kind:<10} {x.period:%Y-%m} {x.mode:<7} "
                     f"{x.n_rows:>9,} {x.n_current:>9,} {x.n_replaced:>9,} {x.n_withdrawn:>9,}  "
                     f"{x.loaded_at:%Y-%m-%d %H:%M}  {x.status}{_how_read(x)}")
    return "\n".join(lines)
