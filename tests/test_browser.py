"""The real dashboard in a real browser: `ggzy serve` rendered by headless Chromium (Debian's
package, installed by `make test`; never a downloaded browser), one screenshot per page kept in
test-artifacts/screenshots/. The server listens on loopback only. A load and build in other
processes while the dashboard and ``ggzy sql`` keep answering succeed, and a refresh shows the
new month."""

import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import land
from playwright.sync_api import sync_playwright

from ggzy import sample
from ggzy.build import build

SCREENSHOTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "screenshots"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
FIELD_NAME = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")  # security_id, mining_rights: never on a Chinese page
PAGE_TEXT = {  # url path → text the page itself draws ("" is the default page, the overview)
    "": "沉淀保证金（月末）", "trading": "地区排名", "savings": "按交易类别",
    "e_bidding": "远程异地评标", "deposits": "沉淀保证金清单", "guarantees": "各递交方式占比",
    "quality": "入库记录", "sql": "SQL 查询（只读）",
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_healthy(base: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert server.poll() is None, "ggzy serve exited"
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
                if response.read() == b"ok":
                    return
        except OSError:
            time.sleep(0.5)
    raise AssertionError("the dashboard did not come up within 60 s")


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory):
    """Three sample months built and served; the fourth month's files kept for later."""
    folder = tmp_path_factory.mktemp("browser")
    home = folder / "warehouse"
    files = sample.generate(folder / "sample", months=4, scale=0.1)
    land([f for f in files if "2024-04" not in f.name], home)
    assert build(home).published
    port = _free_port()
    command = [sys.executable, "-m", "ggzy", "--home", str(home), "serve", "--port", str(port)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_healthy(base, server)
        yield base, home, [f for f in files if "2024-04" in f.name]
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture(scope="module")
def browser():
    chromium = shutil.which("chromium")
    assert chromium, "Debian's chromium is missing: `make test` installs it (apt-get install chromium)"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


def _render(page, url: str, text: str) -> str:
    page.goto(url)
    page.get_by_text(text).first.wait_for(timeout=60_000)
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=60_000)
    page.wait_for_function("!document.querySelector('[data-testid=\"stSkeleton\"]')", timeout=60_000)
    return page.content()


@pytest.mark.parametrize("path", PAGE_TEXT)
def test_each_page_renders_its_own_text(dashboard, browser, path):
    base, _, _ = dashboard
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        html = _render(page, f"{base}/{path}", PAGE_TEXT[path])
        if path == "":
            assert len(page.query_selector_all('[data-testid="stMetric"]')) == 9
        assert PAGE_TEXT[path] in html and "Traceback" not in html
        shown = page.inner_text('[data-testid="stMain"]')
        assert not re.search(r"\b(NaN|None|nan)\b", shown), path
        if path != "sql":  # the SQL page shows SQL
            assert not FIELD_NAME.findall(shown), (path, FIELD_NAME.findall(shown))
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / f"{path or 'overview'}.png", full_page=True)
    finally:
        page.close()


@pytest.mark.parametrize(("language", "width"), [("English", 1400), ("中文", 800)])
def test_english_and_a_narrow_window(dashboard, browser, language, width):
    """English one click away; at 800 px the cards sit two abreast with nothing cut off."""
    base, _, _ = dashboard
    page = browser.new_page(viewport={"width": width, "height": 1000})
    try:
        _render(page, base, "数据月份")
        if language == "English":
            page.get_by_text("English").first.click()
            page.get_by_text("Month: 2024-03").first.wait_for(timeout=60_000)
            shown = page.inner_text('[data-testid="stMain"]')
            assert "Overview · Public-resource trading metrics" in shown and "成交宗数" not in shown
        values = page.query_selector_all('[data-testid="stMetricValue"]')
        assert len(values) == 9
        assert all(v.evaluate("e => e.scrollWidth <= e.clientWidth") for v in values)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / f"overview-{'en' if language == 'English' else 'narrow'}.png",
                        full_page=True)
    finally:
        page.close()


def test_the_server_answers_on_loopback_only(dashboard):
    base, _, _ = dashboard
    port = int(base.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=5):
        pass
    with pytest.raises(ConnectionRefusedError):  # 127.0.0.2 is this machine too, on another address
        socket.create_connection(("127.0.0.2", port), timeout=5).close()


def _ggzy(home: Path, *argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ggzy", "--home", str(home), *argv],
                          capture_output=True, text=True)


def test_dashboard_and_sql_keep_answering_through_a_load_and_build_then_show_the_new_month(
        dashboard, browser):
    """The load and build run in other processes while the page is reloaded and ``ggzy sql``
    asked, over and over: every answer comes, the build succeeds, the new month appears."""
    base, home, april = dashboard
    writer_codes: list[int] = []
    answers: list[subprocess.CompletedProcess] = []

    def load_and_build() -> None:
        writer_codes.append(_ggzy(home, "load", *map(str, april)).returncode)
        writer_codes.append(_ggzy(home, "build").returncode)

    def ask() -> None:
        while writer.is_alive():
            answers.append(_ggzy(home, "sql", "select strftime(max(deal_date), '%Y-%m') as m "
                                 "from marts.fct_deals", "--format", "csv"))

    page = browser.new_page()
    try:
        writer = threading.Thread(target=load_and_build)
        reader = threading.Thread(target=ask)
        writer.start()
        reader.start()
        renders = 0
        while writer.is_alive():
            assert "数据月份: 2024-0" in _render(page, base, "数据月份")
            renders += 1
        writer.join()
        reader.join()
        assert writer_codes == [0, 0]
        assert renders >= 1 and len(answers) >= 2
        assert all(a.returncode == 0 for a in answers), [a.stderr for a in answers if a.returncode]
        months = [a.stdout.splitlines()[1] for a in answers]
        assert set(months) <= {"2024-03", "2024-04"} and months == sorted(months)
        page.reload()
        page.get_by_text("数据月份: 2024-04").first.wait_for(timeout=60_000)
    finally:
        page.close()
