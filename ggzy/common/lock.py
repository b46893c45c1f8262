"""One writer at a time. ``ggzy load``, ``build``, ``unload`` and ``init`` hold an advisory lock on
``<home>/.writer.lock`` from before they open (or create) the build database until they are done,
so two of them never interleave — not even on a warehouse that does not exist yet, nor between a
build's planning and its dbt run. The holder writes who it is into the lock file, so the one that
finds it taken can say what it is waiting for; with ``--wait SECONDS`` it waits that long, else it
is refused (exit 3). Every start, end and refusal is a line of ``<home>/ggzy.log``."""

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import IO

from ggzy.common.errors import EnvironmentProblem

POLL_SECONDS = 0.2


def _lock_file(home_dir: Path) -> Path:
    return home_dir / ".writer.lock"


def log(home_dir: Path, command: str, event: str) -> None:
    """A line of ``<home>/ggzy.log``: when, which process, which command, what happened."""
    home_dir.mkdir(parents=True, exist_ok=True)
    with (home_dir / "ggzy.log").open("a", encoding="utf-8") as f:
        f.write(f"{datetime.now():%Y-%m-%d %H:%M:%S} pid {os.getpid()} {command}: {event}\n")


def holder(home_dir: Path) -> str | None:
    """Who else holds the writer lock ("ggzy load, pid 4242, since 2026-11-22 10:02:03"), or None
    (nobody, or this very process)."""
    path = _lock_file(home_dir)
    if not path.exists():
        return None
    with path.open("r", encoding="utf-8") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            who = f.read().strip() or "another ggzy process"
            return None if f"pid {os.getpid()}," in who else who
        fcntl.flock(f, fcntl.LOCK_UN)
    return None


def busy_message(home_dir: Path, who: str | None) -> str:
    who = who or "另一个程序 another program"
    return (f"数据仓库 {home_dir} 正在被写入（{who}），未做任何改动；"
            "请等它完成后重试，或加 --wait 秒数 等待 / "
            f"the warehouse {home_dir} is being written ({who}); nothing was changed: try again when it "
            "has finished, or add --wait SECONDS to wait for it")


def attempts(wait: float) -> Iterator[bool]:
    """The tries at something another process holds, ``POLL_SECONDS`` apart for ``wait`` seconds:
    each item says whether it is the last (time is up: a failure then is final)."""
    deadline = time.monotonic() + wait
    while True:
        yield time.monotonic() >= deadline
        time.sleep(POLL_SECONDS)


def _take(lock: IO[str], home_dir: Path, command: str, wait: float, say) -> None:
    for n, last in enumerate(attempts(wait)):
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            who = holder(home_dir)
            if last:
                log(home_dir, command, f"refused, waited {wait:g} s: {who} was writing")
                raise EnvironmentProblem(busy_message(home_dir, who)) from None
            if n == 0:
                say(f"等待 waiting up to {wait:g} s: {who} 正在写入数据仓库 is writing the warehouse …")
                log(home_dir, command, f"waiting up to {wait:g} s: {who} is writing")


@contextmanager
def writer_lock(home_dir: Path, command: str, wait: float = 0,
                say=lambda _: None) -> Iterator[None]:
    """Hold the writer lock for ``command`` (e.g. "ggzy load"), waiting up to ``wait`` seconds."""
    home_dir.mkdir(parents=True, exist_ok=True)
    with _lock_file(home_dir).open("a+", encoding="utf-8") as lock:
        _take(lock, home_dir, command, wait, say)
        lock.seek(0)
        lock.truncate()
        lock.write(f"{command}, pid {os.getpid()}, since {datetime.now():%Y-%m-%d %H:%M:%S}")
        lock.flush()
        log(home_dir, command, "started")
        try:
            yield
        except BaseException as e:
            log(home_dir, command, f"ended: {type(e).__name__}")
            raise
        else:
            log(home_dir, command, "finished")
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
