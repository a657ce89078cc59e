"""First-page render time of the explorer in a real browser, once the server is healthy.

Usage::

    python benchmarks/app_first_page.py [--repeats 5]

Starts ``lawfind app`` on a free local port (run store in a temporary folder), waits for
``/_stcore/health``, then opens the app in Debian's Chromium (Playwright) ``--repeats``
times, each in a new browser context (a new Streamlit session).  The render time runs
from ``page.goto`` to the moment the whole Data page is drawn: the default built-in
dataset loaded and validated ("Ready: …") and the last heading shown.  The first visit
is *cold* (empty Streamlit caches), the later ones *warm*.  Target: cold < 3 s.
Needs ``pip install playwright`` and ``apt-get install chromium``; never ``playwright install``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from lawfind.explore import AppServer

BROWSER_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run"]


def render_seconds(browser, url: str) -> float:
    """Seconds from navigation to the fully drawn Data page, in a fresh session."""
    context = browser.new_context(viewport={"width": 1400, "height": 2400})
    page = context.new_page()
    try:
        started = time.perf_counter()
        page.goto(url)
        page.get_by_text("Ready: ").wait_for(timeout=120_000)
        page.get_by_role("heading", name="Summary statistics and missing values").wait_for(timeout=120_000)
        return time.perf_counter() - started
    finally:
        context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--data-dir", default=os.environ.get("LAWFIND_DATA_DIR") or "../shared/data",
                        help="dataset mirror (LAWFIND_DATA_DIR)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    if chromium is None:
        raise SystemExit("chromium is not installed (apt-get install chromium)")
    with tempfile.TemporaryDirectory() as folder:
        env = {"LAWFIND_DATA_DIR": str(Path(args.data_dir).resolve())}
        with AppServer(Path(folder) / "runs", env=env) as server, sync_playwright() as playwright:
            print(f"server healthy after {server.seconds_to_healthy:.2f} s (imports and warm-up before it listens)")
            browser = playwright.chromium.launch(executable_path=chromium, args=BROWSER_ARGS)
            try:
                times = [render_seconds(browser, server.url) for _ in range(args.repeats)]
            finally:
                browser.close()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    warm = times[1:] or times
    print(f"first page render, cold (first session): {times[0]:.2f} s")
    print(f"first page render, warm (median of {len(warm)}): {statistics.median(warm):.2f} s "
          f"(min {min(warm):.2f}, max {max(warm):.2f})")
    print(f"load average during the run: {load:.1f} on {os.cpu_count()} cores; target: cold < 3 s -> "
          f"{'met' if times[0] < 3 else 'NOT met'}")


if __name__ == "__main__":
    main()
