"""Map explorer benchmarks: payload at the default view, warm rerun server time, and (with
--browser) first map visible in headless Chromium.

    .venv/bin/python bench/bench_map.py [--runs 5] [--browser]

Targets (issue 5): payload ≤ 1.5 MB; warm rerun ≤ 300 ms of server time; first map visible
≤ 3 s after the page loads. Each figure is printed with a ratio against a baseline measured
in the same process (naive GeoJSON of the same layers; the cold first run).
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def payload(layer_ids) -> None:
    from layers import default_catalogue
    from marine.neutrality import disclaimer
    from marine.webmap import MapOptions, build_map, display_frame, map_html

    catalogue = default_catalogue()
    ids = [i for i in layer_ids if i in catalogue.specs]
    html = map_html(build_map(catalogue, ids, MapOptions(disclaimer=disclaimer("en"))))
    naive = sum(len(catalogue.load(i).to_json()) for i in ids)
    print(f"default view layers: {', '.join(ids)}")
    print(f"map payload (whole map HTML): {len(html) / 1e6:.3f} MB "
          f"(target ≤ 1.5 MB; naive GeoJSON of the same layers {naive / 1e6:.2f} MB, "
          f"ratio {len(html) / naive:.2f})")
    for i in ids:
        frame = display_frame(catalogue.spec(i), catalogue.load(i))
        print(f"  {i:<22} {len(catalogue.load(i)):>6} features → {len(frame):>4} shown, "
              f"{len(frame.to_json()) / 1e3:8.1f} kB")


def reruns(runs: int, real_component: bool) -> None:
    """Server time of the explorer page; with the real st_folium (renders and sends the map)
    or with the test adapter (page logic alone)."""
    from streamlit.testing.v1 import AppTest

    from marine.ui.mapview import streamlit_folium_adapter, use_adapter
    from tests.doubles import RecordingAdapter

    script = "from marine.ui import explorer\nexplorer.render()\n"
    adapter = streamlit_folium_adapter if real_component else RecordingAdapter()
    with use_adapter(adapter):
        at = AppTest.from_string(script, default_timeout=300)
        start = time.perf_counter()
        at.run()
        cold = time.perf_counter() - start
        warm = []
        for _ in range(runs):
            start = time.perf_counter()
            at.run()
            warm.append(time.perf_counter() - start)
    median = statistics.median(warm)
    what = "with st_folium" if real_component else "page logic, map not rendered"
    print(f"explorer ({what}) cold run: {cold * 1000:.0f} ms; warm rerun median of {runs}: "
          f"{median * 1000:.0f} ms (target ≤ 300 ms; ratio warm/cold {median / cold:.3f})")


def first_map_visible(runs: int) -> None:
    from playwright.sync_api import sync_playwright

    from marine.commands.serve import streamlit_command

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(streamlit_command(port=port, extra=["--server.fileWatcherType",
                                                                 "none"]),
                            cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            try:
                urllib.request.urlopen(f"{url}/_stcore/health", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                        args=["--no-sandbox", "--disable-gpu"])
            times = []
            for n in range(runs + 1):  # the first visit warms the server's caches
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                start = time.perf_counter()
                page.goto(url, wait_until="load")
                loaded = time.perf_counter()
                frame = page.frame_locator('iframe[title="streamlit_folium\\.st_folium"]')
                frame.locator("path.leaflet-interactive").first.wait_for(timeout=300_000)
                if n:
                    times.append((time.perf_counter() - loaded, loaded - start))
                page.close()
            browser.close()
    finally:
        os.killpg(proc.pid, 15)
    after_load = statistics.median(t for t, _ in times)
    load = statistics.median(t for _, t in times)
    print(f"first map visible after page load: median {after_load:.2f} s of {runs} "
          f"(target ≤ 3 s; page load itself {load:.2f} s, ratio {after_load / load:.1f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--browser", action="store_true", help="also time headless Chromium")
    args = parser.parse_args()
    from marine.ui.explorer import DEFAULT_LAYERS

    payload(DEFAULT_LAYERS)
    reruns(args.runs, real_component=False)
    reruns(args.runs, real_component=True)
    if args.browser:
        first_map_visible(args.runs)


if __name__ == "__main__":
    main()
