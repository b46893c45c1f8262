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
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest
from conftest import land
from playwright.sync_api import sync_playwright

from ggzy import sample
from ggzy.transform.build import build

SCREENSHOTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "screenshots"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
FIELD_NAME = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")  # security_id, mining_rights: never on a Chinese page
PAGE_TEXT = {  # url path → text the page itself draws ("" is the default page, the overview)
    "": "沉淀保证金（月末）", "trading": "地区排名", "savings": "按交易类别",
    "e_bidding": "远程异地评标", "deposits": "沉淀保证金清单", "guarantees": "各递交方式占比",
    "risk": "指标可计算情况", "quality": "入库记录", "sql": "SQL 查询（只读）",
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


LAST, NEXT = "2026-01", "2026-02"  # 25 months held, as `make demo` makes them; the 26th comes later


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory):
    """Twenty-five sample months built and served (two years: sediment and 同比 show); the
    twenty-sixth month's files kept for later."""
    folder = tmp_path_factory.mktemp("browser")
    home = folder / "warehouse"
    files = sample.generate(folder / "sample", months=26, scale=0.04)
    land([f for f in files if NEXT not in f.name], home)
    assert build(home).published
    with _served(home) as base:
        yield base, home, [f for f in files if NEXT in f.name]


@contextmanager
def _served(home: Path, base_url_path: str = "") -> Iterator[str]:
    """``ggzy serve`` of ``home`` on a free loopback port, healthy at the URL yielded; then stopped
    with SIGTERM, as a service manager stops it, after which nothing may listen on the port."""
    port = _free_port()
    command = [sys.executable, "-m", "ggzy", "--home", str(home), "serve", "--port", str(port),
               "--base-url-path", base_url_path]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}{base_url_path}"
    try:
        _wait_until_healthy(base, server)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)
    _assert_nothing_listens(port)


def _assert_nothing_listens(port: int) -> None:
    """Stopped, ``ggzy serve`` leaves no server behind on its port (it became the server)."""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
        except ConnectionRefusedError:
            return
        time.sleep(0.2)
    raise AssertionError(f"something still listens on port {port} after ggzy serve was stopped")


@pytest.fixture(scope="module")
def browser():
    chromium = shutil.which("chromium")
    assert chromium, "Debian's chromium is missing: `make test` installs it (apt-get install chromium)"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


def _settled(page) -> None:
    """The run finished: no status widget, no skeleton, no element left over from the run before
    (Streamlit keeps those, marked stale, until the new run replaces them)."""
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=60_000)
    page.wait_for_function("!document.querySelector('[data-testid=\"stSkeleton\"], [data-stale=\"true\"]')",
                           timeout=60_000)


def _render(page, url: str, text: str) -> str:
    page.goto(url)
    page.get_by_text(text).first.wait_for(timeout=60_000)
    _settled(page)
    return page.content()


def _to_page(page, title: str, text: str) -> None:
    """Through the sidebar, as a manager goes (a new URL would be a new session, in Chinese)."""
    page.get_by_role("link", name=title).first.click()
    page.get_by_text(text).first.wait_for(timeout=60_000)
    page.wait_for_timeout(300)
    _settled(page)


def _shown(page) -> str:
    """What the page says: its text, and the tables' cells (drawn on a canvas, also kept in an
    accessible table), and the charts' axes and marks as Vega describes them (aria-label)."""
    return "\n".join([page.inner_text('[data-testid="stMain"]'), *page.eval_on_selector_all(
        '[data-testid="stMain"] table[role="grid"], [data-testid="stMain"] svg [aria-label]',
        "nodes => nodes.map(n => n.textContent + ' ' + (n.getAttribute('aria-label') || ''))")])


def _charts(page) -> list[dict]:
    """Each chart: its axes' descriptions, its marks' roles and descriptions, its lines' colours."""
    return page.eval_on_selector_all('[data-testid="stMain"] .vega-embed svg', """svgs => svgs.map(svg => ({
        axes: [...svg.querySelectorAll('[aria-roledescription="axis"]')].map(
            a => a.getAttribute('aria-label')),
        marks: [...svg.querySelectorAll('[aria-roledescription]')].map(
            m => [m.getAttribute('aria-roledescription'), m.getAttribute('aria-label') || '']),
        strokes: [...svg.querySelectorAll('[aria-roledescription="line mark"]')].map(
            m => m.getAttribute('stroke'))}))""")


def _discrete_axis(chart: dict) -> list[str]:
    """The values of a chart's discrete axis in the order drawn, as far as Vega lists them."""
    for axis in chart["axes"]:
        found = re.search(r"for a discrete scale with \d+ values?: (.*)$", axis)
        if found:
            return [v for v in re.split(r", (?:ending with )?", found.group(1)) if v]
    return []


def _bars_in_order(chart: dict, buckets: list[str]) -> None:
    """Bars by a label: the deposit buckets in their own order, anything else largest first."""
    labels = _discrete_axis(chart)
    if any(label in buckets for label in labels):
        assert labels == [b for b in buckets if b in labels], labels
        return
    value = {}
    for role, text in chart["marks"]:
        fields = dict(f.split(": ", 1) for f in text.split("; ") if ": " in f)
        if role == "bar" and "label" in fields:
            value[fields["label"]] = float(next(iter(fields.values())))
    shown = [value[label] for label in labels if label in value]
    assert shown == sorted(shown, reverse=True), labels


def _check_charts(page, buckets: list[str], path: str) -> int:
    """Months, points and bar order on every chart of the page; how many bar charts by a label."""
    n_bars = 0
    for chart in _charts(page):
        for axis in chart["axes"]:  # months as YYYY-MM, never "2025, March"
            if axis.startswith(("X-axis titled '月份'", "X-axis titled 'Month'")):
                assert all(re.fullmatch(r"\d{4}-\d{2}", m) for m in _discrete_axis({"axes": [axis]})), axis
        roles = {role for role, _ in chart["marks"]}
        if "line mark" in roles:
            assert "point" in roles, path  # a point per month: a one-month range still shows
        if any(a.startswith("Y-axis") and "discrete" in a for a in chart["axes"]) and "bar" in roles:
            _bars_in_order(chart, buckets)
            n_bars += 1
    return n_bars


def _no_field_names_or_nan(shown: str, path: str) -> None:
    assert not re.search(r"\b(NaN|None|nan|NaT)\b", shown), path
    if path != "sql":  # the SQL page shows SQL
        assert not FIELD_NAME.findall(shown), (path, FIELD_NAME.findall(shown))


def _screenshot(page, name: str) -> None:
    """The whole page: the main block scrolls inside the window, so the window is made as tall."""
    height = page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": page.viewport_size["width"], "height": min(max(height, 1000), 12000)})
    _settled(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


@pytest.fixture(scope="module")
def buckets(dashboard) -> list[str]:
    """The deposit buckets' names in their order (seeds/deposit_buckets.csv), zh and en."""
    with duckdb.connect(str(dashboard[1] / "snapshot.duckdb"), read_only=True) as con:
        rows = con.execute("select name_zh, name_en from marts.dim_deposit_bucket "
                           "order by bucket_set, sort_order").fetchall()
    return [zh for zh, _ in rows] + [en for _, en in rows]


# bars by a label: regions and tender modes; e-bidding by category; days to refund, ages, sediment by
# county and by bidder
BAR_CHARTS = {"trading": 2, "e_bidding": 1, "deposits": 4}
SCOPE = {"中文": "地区：全部 · 交易类别：全部 · 期间：2025-02 — 2026-01 · 数据截至 2026-01-31 · 构建 #",
         "English": "Region: All · Categories: All · Period: 2025-02 — 2026-01 · Data as of 2026-01-31 · "
                    "build #"}


@pytest.mark.parametrize("path", PAGE_TEXT)
def test_each_page_states_its_scope_in_chinese_with_charts_that_read(dashboard, browser, buckets, path):
    base, _, _ = dashboard
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        html = _render(page, f"{base}/{path}", PAGE_TEXT[path])
        if path == "":
            assert len(page.query_selector_all('[data-testid="stMetric"]')) == 9
        assert PAGE_TEXT[path] in html and "Traceback" not in html
        shown = _shown(page)
        assert (SCOPE["中文"] if path != "sql" else "不受左侧筛选") in shown, path
        _no_field_names_or_nan(shown, path)
        assert _check_charts(page, buckets, path) == BAR_CHARTS.get(path, 0), path
        _screenshot(page, path or "overview")
    finally:
        page.close()


ENGLISH_TITLES = {"": "Overview", "trading": "Trading volume", "savings": "Savings and premium",
                  "e_bidding": "E-bidding", "deposits": "Deposits", "guarantees": "Guarantee substitution",
                  "risk": "Risk flags", "quality": "Data quality", "sql": "SQL"}


def test_every_page_in_english(dashboard, browser, buckets):
    """English one click away, and it stays while the manager moves through the pages: no Chinese
    word of the interface (region names stay Chinese), no full-width brackets; the overview's
    series keep their colours whatever the language."""
    base, _, _ = dashboard
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        _render(page, base, "数据月份")
        chinese_strokes = [c["strokes"] for c in _charts(page)]
        page.get_by_text("English").first.click()
        page.get_by_text(f"Month: {LAST}").first.wait_for(timeout=60_000)
        _settled(page)
        assert [c["strokes"] for c in _charts(page)] == chinese_strokes and any(chinese_strokes)
        for path, title in ENGLISH_TITLES.items():
            if path:
                _to_page(page, title, f"{title} · Public-resource trading metrics")
            page.wait_for_function(  # a table's accessible copy is redrawn a moment after its canvas
                "![...document.querySelectorAll('[data-testid=\"stMain\"] table[role=\"grid\"]')]"
                ".some(t => /[（排名月份]/.test(t.textContent))", timeout=10_000)
            shown = _shown(page)
            assert (SCOPE["English"] if path != "sql" else "the filters on the left") in shown, path
            assert "全部" not in shown and "（" not in shown, path
            assert not re.search("(成交|保证金|节约|电子化|交易|月报|数据)", shown), path
            _no_field_names_or_nan(shown, path)
            _check_charts(page, buckets, path)
            _screenshot(page, f"{path or 'overview'}-en")
            page.set_viewport_size({"width": 1400, "height": 1000})
    finally:
        page.close()


def test_a_narrow_window_shows_the_cards_two_abreast_nothing_cut_off(dashboard, browser):
    base, _, _ = dashboard
    page = browser.new_page(viewport={"width": 800, "height": 1000})
    try:
        _render(page, base, "数据月份")
        values = page.query_selector_all('[data-testid="stMetricValue"]')
        assert len(values) == 9
        assert all(v.evaluate("e => e.scrollWidth <= e.clientWidth") for v in values)
        lefts = sorted({round(v.bounding_box()["x"]) for v in values})
        assert len(lefts) == 2, lefts
        _screenshot(page, "overview-narrow")
    finally:
        page.close()


def test_cards_colour_changes_by_what_is_good_and_agree_with_the_deposits_page(dashboard, browser):
    """A rise is green, a fall red, except where lower is better (outstanding and sediment
    deposits: dim_metric.is_lower_better), where it is the other way round; the overview's month-end
    sediment is the deposits page's."""
    base, home, _ = dashboard
    with duckdb.connect(str(home / "snapshot.duckdb"), read_only=True) as con:
        lower_better = {zh for (zh,) in con.execute(
            "select label_zh from marts.dim_metric where is_lower_better").fetchall()}
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        _render(page, base, "数据月份")
        cards = page.eval_on_selector_all('[data-testid="stMetric"]', """cards => cards.map(c => {
            const delta = c.querySelector('[data-testid="stMetricDelta"]');
            return [c.querySelector('[data-testid="stMetricLabel"]').innerText,
                    c.querySelector('[data-testid="stMetricValue"]').innerText,
                    delta ? delta.innerText : '', delta ? getComputedStyle(delta).color : ''];
        })""")
        checked = 0
        for label, _, delta, colour in cards:
            if not delta.strip():
                continue
            red, green = (int(x) for x in re.findall(r"\d+", colour)[:2])
            good = delta.strip().startswith("+") != any(label.split("（")[0].endswith(m.split("（")[0])
                                                       for m in lower_better)
            assert (green > red) == good, (label, delta, colour)
            checked += 1
        assert checked >= 5
        sediment = next(value for label, value, _, _ in cards if label.endswith("沉淀保证金（月末）"))
        _to_page(page, "保证金", "沉淀保证金清单")
        month_end = page.get_by_text(f"沉淀保证金（{LAST} 月末）").first
        card = month_end.locator("xpath=ancestor::*[@data-testid='stMetric']")
        assert card.locator('[data-testid="stMetricValue"]').inner_text() == sediment
    finally:
        page.close()


def test_choosing_a_region_in_the_table_goes_into_it(dashboard, browser):
    """The regions table's first row (the largest deal amount) chosen: the page is that
    province's, as if chosen in the sidebar."""
    base, _, _ = dashboard
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        _render(page, base, "下级地区（本月）")
        grid = page.locator('[data-testid="stDataFrame"]').first
        grid.scroll_into_view_if_needed()
        first = grid.locator('table[role="grid"] tbody tr').first.locator("td").nth(1).text_content()
        box = grid.bounding_box()
        page.mouse.click(box["x"] + 15, box["y"] + 35 + 17)  # the first row's check box
        page.get_by_text(f"地区：{first} · ").first.wait_for(timeout=60_000)
        _settled(page)
        assert "市（地级）" in page.inner_text('[data-testid="stSidebar"]')  # its prefectures offered
    finally:
        page.close()


def test_the_server_answers_on_loopback_only(dashboard):
    base, _, _ = dashboard
    port = int(base.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=5):
        pass
    with pytest.raises(ConnectionRefusedError):  # 127.0.0.2 is this machine too, on another address
        socket.create_connection(("127.0.0.2", port), timeout=5).close()


def test_a_second_serve_on_the_same_port_says_who_holds_it(dashboard):
    base, home, _ = dashboard
    port = base.rsplit(":", 1)[1]
    taken = _ggzy(home, "serve", "--port", port)
    assert taken.returncode == 3, taken.stderr
    assert f"端口 {port} 已被占用" in taken.stderr
    assert f"port {port} on 127.0.0.1 is already in use" in taken.stderr
    assert "pid " in taken.stderr and "streamlit_app.py" in taken.stderr and "Traceback" not in taken.stderr


def test_behind_a_proxy_on_a_sub_path_links_and_downloads_work(dashboard, browser):
    """``--base-url-path /ggzy``, as nginx's ``location /ggzy/`` passes it on: the pages, the
    sidebar's links and the report download all live under /ggzy."""
    _, home, _ = dashboard
    with _served(home, "/ggzy") as base:
        page = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
        try:
            with pytest.raises(urllib.error.HTTPError):  # nothing at the root: all is under /ggzy
                urllib.request.urlopen(f"{base.removesuffix('/ggzy')}/_stcore/health", timeout=5)
            _render(page, f"{base}/", PAGE_TEXT[""])
            _to_page(page, "交易量", PAGE_TEXT["trading"])
            assert page.url == f"{base}/trading"
            with page.expect_download(timeout=60_000) as download:
                page.get_by_role("button", name="XLSX").click()
            assert download.value.suggested_filename == f"统计月报_all_{LAST}.xlsx"
            assert Path(download.value.path()).read_bytes()[:2] == b"PK"  # a zip: the workbook
        finally:
            page.close()


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
            assert "数据月份: 2026-0" in _render(page, base, "数据月份")
            renders += 1
        writer.join()
        reader.join()
        assert writer_codes == [0, 0]
        assert renders >= 1 and len(answers) >= 2
        assert all(a.returncode == 0 for a in answers), [a.stderr for a in answers if a.returncode]
        months = [a.stdout.splitlines()[1] for a in answers]
        assert set(months) <= {LAST, NEXT} and months == sorted(months)
        page.reload()
        page.get_by_text(f"数据月份: {NEXT}").first.wait_for(timeout=60_000)
    finally:
        page.close()


def test_the_demo_reports_first_pages_drawn(dashboard, tmp_path):
    """The 25-month report of the last month as PDF, zh and en: its first two pages drawn into
    test-artifacts/report/ (poppler's pdftoppm, installed by `make test`) for a person to read."""
    _, home, _ = dashboard
    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm, "poppler-utils is missing: `make test` installs it (apt-get install poppler-utils)"
    folder = SCREENSHOTS.parent / "report"
    folder.mkdir(parents=True, exist_ok=True)
    for lang in ("zh", "en"):
        pdf = tmp_path / f"report-{lang}.pdf"
        assert _ggzy(home, "report", "--month", LAST, "--lang", lang, "--out", str(pdf)).returncode == 0
        for stale in folder.glob(f"monthly-report-{lang}-*.png"):
            stale.unlink()
        subprocess.run([pdftoppm, "-png", "-r", "90", "-f", "1", "-l", "2", str(pdf),
                        str(folder / f"monthly-report-{lang}")], check=True)
        assert len(list(folder.glob(f"monthly-report-{lang}-*.png"))) == 2


def test_a_publishers_ocds_file_on_the_dashboard_in_its_currency(tmp_path, browser):
    """The README's path for a publisher's OCDS file, through the CLI: init in its currency, load,
    build, serve. The fictional example (GBP, one deal of 11,000,000.00 in May 2010): its month is
    offered, its amounts read in GBP in Chinese and English, never 元 or yuan."""
    home = tmp_path / "gb"
    record = Path(__file__).parent / "data/ocds/fictional-example" / "record-ocds-213czf-000-00001.json"
    for command in (["init", "--currency", "GBP"], ["load", str(record)], ["build"]):
        done = subprocess.run([sys.executable, "-m", "ggzy", "--home", str(home), *command],
                              capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        with _served(home) as base:
            _render(page, base, "数据月份: 2010-05")
            shown = _shown(page)
            assert "1,100.00万GBP" in shown and "元" not in shown, shown
            _screenshot(page, "ocds-overview")
            page.get_by_text("English").first.click()
            page.get_by_text("GBP 11.00 million").first.wait_for(timeout=60_000)
            _settled(page)
            assert "yuan" not in _shown(page)
            _screenshot(page, "ocds-overview-en")
            _to_page(page, "Trading volume", "Trading volume · Public-resource trading metrics")
            page.wait_for_function(  # a table's accessible copy is redrawn a moment after its canvas
                "[...document.querySelectorAll('[data-testid=\"stMain\"] table[role=\"grid\"]')]"
                ".some(t => t.textContent.includes('10k GBP'))", timeout=10_000)
            shown = _shown(page)
            assert "Deal amount (10k GBP)" in shown and "yuan" not in shown, shown
            assert "The region has no regions below it." in shown
            _screenshot(page, "ocds-trading-en")
    finally:
        page.close()
