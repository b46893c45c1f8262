"""How long a manager waits on the dashboard: first open, a page switch, a filter change.

    .venv/bin/python bench/dashboard_pages.py --home WAREHOUSE [--repeats 5]

Serves the built warehouse with `ggzy serve` on a free loopback port and drives Debian's chromium
(playwright, as tests/test_browser.py does). Each timing runs from the action to the moment the
page has finished running (Streamlit's status widget gone, no skeleton left): the first open of
the overview in a new browser (no cache: it fetches Streamlit's scripts as a first visit does), a
switch to every other page through the sidebar, a province chosen in the filter, and every page
opened by its address in a new tab of that browser (a bookmark, the scripts cached).
Prints min / median / max per action, the p95 of page switches, and
each page's switches in order (the first of a query is not cached yet, the later ones are).
"""

import argparse
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PAGES = ["交易量", "节约率与溢价率", "电子化", "保证金", "保函替代", "数据质量", "总览"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def settled(page) -> None:
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=120_000)
    page.wait_for_function("!document.querySelector('[data-testid=\"stSkeleton\"]')", timeout=120_000)


def timed(action, page) -> float:
    start = time.perf_counter()
    action()
    page.wait_for_timeout(50)  # the run starts after the click reaches the server
    settled(page)
    return time.perf_counter() - start


def opened(page, address: str) -> float:
    """Seconds from going to ``address`` until the page has drawn its sidebar (月份范围, on every
    page) and finished running."""
    start = time.perf_counter()
    page.goto(address)
    page.get_by_text("月份范围").first.wait_for(timeout=120_000)
    settled(page)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--home", type=Path, required=True)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, "-m", "ggzy", "--home", str(args.home), "serve", "--port",
                               str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    times: dict[str, list[float]] = {action: [] for action in ("first open", "page switch", "filter change",
                                                               "direct open")}
    by_page: dict[str, list[float]] = {}  # the switches to each page: the first, then cached
    direct: dict[str, list[float]] = {}  # each page opened by its address
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{base}/_stcore/health", timeout=2).read()
                break
            except OSError:
                time.sleep(0.5)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=FLAGS)
            for _ in range(args.repeats):
                context = browser.new_context(viewport={"width": 1400, "height": 1000})  # no cache yet
                page = context.new_page()
                times["first open"].append(opened(page, base))
                for name in PAGES:
                    link = page.get_by_role("link", name=name, exact=True)
                    times["page switch"].append(timed(link.click, page))
                    by_page.setdefault(name, []).append(times["page switch"][-1])
                province = page.get_by_role("combobox").first  # 省
                province.click()
                times["filter change"].append(timed(page.get_by_role("option").nth(1).click, page))
                addresses = {name: page.get_by_role("link", name=name, exact=True).get_attribute("href")
                             for name in PAGES}
                page.close()
                for name, address in addresses.items():  # a bookmark, in a browser that has been here
                    page = context.new_page()
                    times["direct open"].append(opened(page, address))
                    direct.setdefault(name, []).append(times["direct open"][-1])
                    page.close()
                context.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    for action, seconds in times.items():
        print(f"{action:14} n={len(seconds):3}  min {min(seconds):.2f} s  "
              f"median {statistics.median(seconds):.2f} s  max {max(seconds):.2f} s")
    switches = sorted(times["page switch"])
    print(f"page switch p95: {switches[int(0.95 * (len(switches) - 1))]:.2f} s")
    print("first open (each repeat; the first is the first visitor of a server just started):",
          " / ".join(f"{s:.2f}" for s in times["first open"]))
    for what, pages in (("switch to each page", by_page), ("each page opened by its address", direct)):
        print(f"{what} (each repeat):",
              ", ".join(f"{name} {' / '.join(f'{s:.2f}' for s in seconds)}"
                        for name, seconds in pages.items()))


if __name__ == "__main__":
    main()
