"""``ggzy serve``: the Streamlit dashboard, run as this very process (exec) so that SIGTERM from a
service manager or Ctrl-C stops the server and nothing is left holding the port. A port already
taken is said in words, naming the process that holds it when this machine tells."""

import errno
import os
import socket
import sys
from pathlib import Path

from ggzy.common.errors import EnvironmentProblem
from ggzy.common.paths import ROOT

APP = ROOT / "app" / "streamlit_app.py"


def _listening_inodes(port: int) -> set[str]:
    """The socket inodes listening on ``port`` (Linux's /proc/net/tcp*; empty elsewhere)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "0A":  # 0A: LISTEN
                inodes.add(fields[9])
    return inodes


def port_holder(port: int) -> str | None:
    """``pid <n>: <command line>`` of the process listening on ``port``, if this user may see it."""
    sockets = {f"socket:[{inode}]" for inode in _listening_inodes(port)}
    for pid in filter(str.isdigit, os.listdir("/proc") if sockets else []):
        try:
            if any(os.readlink(f"/proc/{pid}/fd/{fd}") in sockets for fd in os.listdir(f"/proc/{pid}/fd")):
                command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
                return f"pid {pid}: {command}"
        except OSError:  # another user's process, or it just ended
            continue
    return None


def check_port_free(address: str, port: int) -> None:
    """Raise ``EnvironmentProblem`` (exit 3) if ``address:port`` cannot be listened on because
    something else listens there."""
    family, kind, proto, _, where = socket.getaddrinfo(address, port, type=socket.SOCK_STREAM)[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server binds it
        try:
            probe.bind(where)
        except OSError as e:
            if e.errno != errno.EADDRINUSE:
                raise
            holder = port_holder(port)
            held = f"（{holder}）" if holder else ""
            raise EnvironmentProblem(
                f"端口 {port} 已被占用{held} / port {port} on {address} is already in use"
                f"{f' ({holder})' if holder else ''}: 请用 --port 换一个端口，或先停止占用它的进程 / "
                "choose another --port, or stop the process holding it") from None


def url_path(base_url_path: str) -> str:
    """``/ggzy/`` for ``ggzy``, ``/ggzy`` or ``/ggzy/``; ``/`` for none."""
    path = base_url_path.strip("/")
    return f"/{path}/" if path else "/"


def serve(home_dir: Path, address: str, port: int, base_url_path: str = "") -> None:
    """Become the Streamlit server of the dashboard on ``home_dir``'s snapshot (does not return)."""
    check_port_free(address, port)
    print(f"仪表盘 dashboard: http://{address}:{port}{url_path(base_url_path)}  (Ctrl-C 停止 stops it)",
          file=sys.stderr, flush=True)
    sys.stdout.flush()
    env = {**os.environ, "GGZY_HOME": str(home_dir.resolve())}
    os.execve(sys.executable, [
        sys.executable, "-m", "ggzy.serve.streamlit_preloaded", "run", str(APP), "--server.address", address,
        "--server.port", str(port), "--server.baseUrlPath", base_url_path.strip("/"),
        "--server.headless", "true", "--browser.gatherUsageStats", "false",
        "--client.toolbarMode", "viewer"], env)  # no Deploy button or developer menu
