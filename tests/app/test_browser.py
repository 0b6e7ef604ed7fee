"""The dashboards in a real browser: Voila (configured like `ntklab app`, preheated kernels
included) on a free loopback port, headless Debian Chromium driven by Playwright."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from ntklab.app.serving.plotly_bundle import BUNDLE_TRACES, PLOTLY_JS_VERSION
from ntklab.app.testing import (
    move_slider,
    plot_signature,
    wait_for_plots,
)

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "assets" / "screenshots"
THUMBNAILS = ROOT / "notebooks" / "dashboards" / "img"

# name -> (URL preset checked on the page, slider to move, plot whose length shows the preset)
DASHBOARDS = {
    "spectrum": ("n=300&vecs=1,2,3,8", 0, 300),
    "frequency": ("target=step&n=128&t=3", 1, 128),
    # training views: tiny sizes; the slider moved keeps the width bucket (no compile)
    "lazy": ("m=64&n=8&steps=300", 1, 8),
    "initialization": ("s=3&m=24&steps=200", 0, 10),
    "ensemble": ("m=64&members=8&steps=200", 2, 8),
}
PLOTS = {"frequency": 4}  # plots drawn with data from the start (default 3, the first three)


# base_url (one Voila server), browser and page: tests/conftest.py


def _wait_changed(page, before, timeout=45.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        now = plot_signature(page)
        if now != before:
            return now
        time.sleep(0.05)
    raise AssertionError("the plots did not change after the control moved")


def _wait_ready(page, timeout=90.0):
    """Until the status says Ready and the plots stayed the same for 0.6 s (training
    views draw frames before their final one)."""
    deadline = time.monotonic() + timeout
    last, since = None, time.monotonic()
    while time.monotonic() < deadline:
        now = plot_signature(page)
        if now != last:
            last, since = now, time.monotonic()
        status = page.locator(".ntklab-status")
        ready = status.count() > 0 and "Ready" in status.inner_text()
        if ready and time.monotonic() - since >= 0.6:
            return
        time.sleep(0.1)
    raise AssertionError("the dashboard did not finish")


@pytest.mark.parametrize("name", DASHBOARDS)
def test_dashboard_renders_and_reacts(page, base_url, name):
    query, slider, n = DASHBOARDS[name]
    page.goto(f"{base_url}/voila/render/{name}.ipynb?{query}", timeout=90_000)
    wait_for_plots(page, PLOTS.get(name, 3), timeout_ms=90_000)
    _wait_ready(page)
    # the URL preset reached the kernel: some trace has exactly n points
    lengths = page.evaluate("() => [...document.querySelectorAll('.js-plotly-plot')]"
                            ".flatMap(e => e.data.map(t => t.x ? t.x.length : 0))")
    assert n in lengths, lengths
    before = plot_signature(page)
    move_slider(page, slider)
    _wait_changed(page, before)
    _wait_ready(page)  # let the last frame settle before the picture
    assert page.locator(".voila-error").count() == 0
    assert "Ready" in page.locator(".ntklab-status").inner_text()
    assert not page.page_errors, page.page_errors
    # the page drew with ntklab's plotly.js bundle, which has exactly the traces we list
    assert page.evaluate("() => window.Plotly.version") == PLOTLY_JS_VERSION
    assert set(page.evaluate("() => Object.keys(window.Plotly.PlotSchema.get().traces)")) \
        == BUNDLE_TRACES
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    THUMBNAILS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)
    page.screenshot(path=THUMBNAILS / f"{name}.png")  # the first screen, for index.ipynb


def test_frequency_trains_a_finite_net_on_demand(page, base_url):
    """The button trains a real net: its solid Δ_k(t) curves and its f_NN appear. Its
    screenshot replaces the frequency view's (the more telling picture)."""
    page.goto(f"{base_url}/voila/render/frequency.ipynb?n=64&m=64&t=2", timeout=90_000)
    wait_for_plots(page, PLOTS["frequency"], timeout_ms=90_000)
    _wait_ready(page)
    net_points = ("() => { const p = [...document.querySelectorAll('.js-plotly-plot')];"
                  " return [1, 3, 5].map(i => (p[1].data[i].x || []).length); }")
    assert page.evaluate(net_points) == [0, 0, 0]
    page.get_by_role("button", name="Train a net").click()
    page.wait_for_function(f"() => ({net_points})().every(n => n > 1)", timeout=120_000)
    _wait_ready(page)
    names = page.evaluate("() => document.querySelector('.js-plotly-plot').data"
                          ".map(t => t.name)")
    assert any("m = 64" in (n or "") for n in names), names
    assert page.locator(".voila-error").count() == 0
    assert not page.page_errors, page.page_errors
    page.screenshot(path=SCREENSHOTS / "frequency.png", full_page=True)


def test_bad_url_values_show_a_note(page, base_url):
    page.goto(f"{base_url}/voila/render/spectrum.ipynb?n=abc&depth=99&lang=zh", timeout=90_000)
    wait_for_plots(page, 3, timeout_ms=90_000)
    notes = page.locator(".ntklab-notes").inner_text()
    assert "n='abc'" in notes and "depth='99'" in notes and "默认值" in notes
    assert page.locator(".voila-error").count() == 0 and not page.page_errors


def test_index_links_every_dashboard(page, base_url):
    page.goto(f"{base_url}/voila/render/index.ipynb", timeout=90_000)
    page.wait_for_selector("img", timeout=60_000)
    hrefs = page.eval_on_selector_all("a", "els => els.map(e => e.getAttribute('href'))")
    for name in DASHBOARDS:
        assert any(h and h.startswith(f"{name}.ipynb") for h in hrefs), hrefs
    page.wait_for_function("() => [...document.images].every(i => i.complete)")
    widths = page.eval_on_selector_all("img", "els => els.map(e => e.naturalWidth)")
    assert widths and all(w > 0 for w in widths), widths
    assert not page.page_errors, page.page_errors
