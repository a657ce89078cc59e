"""The explorer in a real browser: Playwright drives Debian's Chromium against ``lawfind app``.

Loads a Bartel perovskite dataset, runs a short sparse search, selects a law on the
Pareto front by clicking it, downloads its LaTeX and saves a screenshot of each step.
Skips only when Chromium or playwright is not installed (or the dataset mirror is absent).
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (pip install playwright) is not installed")
pytest.importorskip("streamlit", reason="streamlit is not installed")
CHROMIUM = shutil.which("chromium")
MIRROR = Path(os.environ.get("LAWFIND_DATA_DIR") or "/work/shared/data")
pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)"),
    pytest.mark.skipif(not (MIRROR / "bartel2019_perovskite_tau").is_dir(),
                       reason=f"no dataset mirror with the Bartel tables at {MIRROR}"),
    pytest.mark.timeout(600),
]
BROWSER_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run"]
DATASET = "bartel_double_perovskites_predicted"
WAIT = 90_000  # ms; the machine is shared


@pytest.fixture
def server(tmp_path):
    from lawfind.explore import AppServer

    app = AppServer(tmp_path / "runs", env={"LAWFIND_DATA_DIR": str(MIRROR)}, log=tmp_path / "server.log")
    app.start()
    try:
        yield app
    finally:
        app.stop()
        assert not app.running, "the server must not outlive the test"


@pytest.fixture
def page(tmp_path):
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        try:
            # a tall viewport: Streamlit scrolls inside its own container, full_page shots miss content
            context = browser.new_context(viewport={"width": 1400, "height": 2400}, accept_downloads=True)
            yield context.new_page()
        finally:
            browser.close()


def nav(page, name: str) -> None:
    page.get_by_role("link", name=name, exact=True).click()
    page.get_by_role("heading", name=name, exact=True).wait_for(timeout=WAIT)


def test_dataset_search_select_law_download_latex(server, page, tmp_path):
    page.set_default_timeout(WAIT)
    page.goto(server.url)

    # Data: choose the Bartel double-perovskite table (tau = f(radii, oxidation state))
    page.get_by_role("heading", name="Data", exact=True).wait_for()
    page.get_by_role("combobox", name="Dataset").click()
    page.get_by_role("option", name=re.compile(f"^{DATASET} ")).click()
    page.get_by_text("Ready: 2021 rows, target 'tau' (regression), 4 features.").wait_for()
    page.get_by_role("heading", name="Summary statistics and missing values").wait_for()
    page.screenshot(path=tmp_path / "1-data.png")

    # Search: sparse engine, 2 s, at most 2 terms
    nav(page, "Search")
    page.get_by_role("combobox", name="Engine").click()
    page.get_by_role("option", name=re.compile("^sparse")).click()
    terms = page.get_by_role("spinbutton", name="Largest number of terms")
    terms.fill("2")
    terms.press("Enter")
    budget = page.get_by_role("spinbutton", name="Budget (seconds of search)")
    budget.fill("2")
    budget.press("Enter")
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')")
    completed = page.get_by_text(re.compile(r"Search completed in [\d.]+ s, saved to "))
    page.get_by_role("button", name="Run search").click()
    try:  # a click that lands while Streamlit is still rerunning after the last input is dropped: click once more
        completed.wait_for(timeout=45_000)
    except sync_api.TimeoutError:
        page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')")
        if not completed.is_visible():
            page.get_by_role("button", name="Run search").click()
        completed.wait_for()
    page.screenshot(path=tmp_path / "2-search.png")
    runs = [p for p in (tmp_path / "runs").iterdir() if (p / "run.json").is_file()]
    assert len(runs) == 1 and runs[0].name.startswith(f"{DATASET}-tau-")
    config = json.loads((runs[0] / "run.json").read_text(encoding="utf-8"))["config"]
    assert config["time_limit"] == 2 and config["engine"] == {**config["engine"], "name": "sparse", "max_terms": 2}

    # Laws: hovering a point shows its equation, clicking it selects it
    nav(page, "Laws")
    chart = page.locator("[data-testid='stVegaLiteChart']").first
    first = chart.locator("path[aria-label*='law: 0;']")
    first.wait_for()
    first.hover()
    tooltip = page.locator("#vg-tooltip-element")
    tooltip.wait_for(state="visible")
    assert "equation" in tooltip.inner_text()
    first.click()
    law = page.get_by_role("combobox", name="Law")
    page.wait_for_function("() => { const e = document.querySelector('input[aria-label=\"Law\"]');"
                           " return e && e.value.startsWith('#0 '); }")
    assert law.input_value().startswith("#0 ")
    page.screenshot(path=tmp_path / "3-laws.png")

    # Export: download the selected law as LaTeX
    nav(page, "Export & runs")
    page.get_by_text("Law #0").wait_for()
    with page.expect_download() as download:
        page.get_by_role("button", name="LaTeX equation").click()
    target = tmp_path / download.value.suggested_filename
    download.value.save_as(target)
    page.screenshot(path=tmp_path / "4-export.png")
    text = target.read_text(encoding="utf-8")
    assert target.name == "law0.tex"
    assert "\\begin{equation}" in text and "\\tau =" in text and "\\end{equation}" in text

    for shot in ("1-data", "2-search", "3-laws", "4-export"):
        assert (tmp_path / f"{shot}.png").stat().st_size > 10_000
