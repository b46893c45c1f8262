"""The service unit and the proxy snippet of docs/operations.md, "Running it for the centre" agree with each
other and with the command line (deploy/ggzy-dashboard.service)."""

import configparser
import re
import shlex
from pathlib import Path

from ggzy.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent


def _unit() -> configparser.SectionProxy:
    unit = configparser.ConfigParser(interpolation=None, strict=True)
    unit.optionxform = str  # systemd's keys are case-sensitive
    unit.read(ROOT / "deploy" / "ggzy-dashboard.service", encoding="utf-8")
    return unit["Service"]


def test_the_unit_runs_a_serve_command_ggzy_accepts():
    service = _unit()
    program, *argv = shlex.split(service["ExecStart"])
    assert program.endswith("/.venv/bin/ggzy")
    args = build_parser().parse_args(argv)
    assert (args.command, args.address, args.port) == ("serve", "127.0.0.1", 8501)
    assert args.base_url_path == "/ggzy"
    assert service["Environment"].startswith("GGZY_HOME=/") and service["Restart"] == "on-failure"


def test_the_documented_proxy_passes_on_the_units_path_and_port():
    args = build_parser().parse_args(shlex.split(_unit()["ExecStart"])[1:])
    readme = (ROOT / "docs/operations.md").read_text(encoding="utf-8")
    (nginx,) = re.findall(r"```nginx\n(.*?)```", readme, re.S)
    location, target = re.search(r"location (\S+) \{\s*proxy_pass (\S+);", nginx).groups()
    assert location == f"{args.base_url_path}/"
    assert target == f"http://{args.address}:{args.port}{args.base_url_path}/"
    assert "proxy_set_header Upgrade $http_upgrade;" in nginx and 'Connection "upgrade"' in nginx
