"""The dashboards in a real browser: Voila (configured like `ntklab app`, preheated kernels
included) on a free loopback port, headless Debian Chromium driven by Playwright."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from ntklab.app.serving.plotly_bundle import BUNDLE_TRACES, PLOTLY_JS_VERSION
from ntklab.app.testing import (
    move_slider,
    page_report,
    plot_signature,
    wait_for_plots,
)

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "assets" / "screenshots"
THUMBNAILS = ROOT / "notebooks" / "dashboards" / "img"
THUMBNAIL_WIDTH = 1100  # px: index.ipynb shows them 560 wide (test_serving checks the files)

# name -> (URL preset checked on the page, slider to move, plot whose length shows the preset)
DASHBOARDS = {
    "spectrum": ("n=300&vecs=1,2,3,8", 0, 300),
    "frequency": ("target=step&n=128&t=3", 1, 128),
    # training views: tiny sizes; the slider moved keeps the width bucket (no compile)
    "lazy": ("m=64&n=8&steps=300", 1, 8),
    "initialization": ("s=3&m=24&steps=200", 0, 10),
    "ensemble": ("m=64&members=8&steps=200", 2, 8),
    # the neurons plot has m points; moving γ keeps the width bucket
    "regimes": ("m=64", 0, 64),
    # 100 steps give 21 records; moving n keeps the width (no compile)
    "digits": ("m=64&steps=100", 1, 21),
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
    # no front-end extension failed to load, no request failed in the console
    assert not page.console_errors, page_report(page)
    # the page drew with ntklab's plotly.js bundle, which has exactly the traces we list
    assert page.evaluate("() => window.Plotly.version") == PLOTLY_JS_VERSION
    assert set(page.evaluate("() => Object.keys(window.Plotly.PlotSchema.get().traces)")) \
        == BUNDLE_TRACES
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)
    # (index.ipynb's thumbnails are taken at the defaults: test_thumbnail_at_defaults)


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
    assert not page.console_errors, page_report(page)


# --- controls that keep what was typed or preset (ntklab.app.controls) ----------------------


def _control(page, kind: str, label: str):
    """The ipywidgets control of class ``widget-<kind>`` whose label reads ``label``."""
    return page.locator(f".widget-{kind}",
                        has=page.locator("label", has_text=re.compile(f"^{re.escape(label)}$")))


def _link(page) -> str:
    """The page's "link to the setup shown": the values the kernel computed the plots with."""
    link = page.locator(".ntklab-link")
    return link.inner_text() if link.count() else ""


def _wait_link(page, pattern: str, timeout: float = 60.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = _link(page)
        if re.search(pattern, text):
            return text
        time.sleep(0.1)
    raise AssertionError(f"the link never matched {pattern!r}; last: {_link(page)!r}")


def test_seed_box_reads_1e3_as_1000(page, base_url):
    """ipywidgets' integer box dropped the "e" of a typed 1e3: the kernel got seed 13."""
    page.goto(f"{base_url}/voila/render/spectrum.ipynb?n=100&kind=random", timeout=90_000)
    wait_for_plots(page, 3, timeout_ms=90_000)
    _wait_ready(page)
    box = _control(page, "text", "seed").locator("input")
    box.fill("")
    box.press_sequentially("1e3")
    box.press("Enter")
    assert "seed=1000" in _wait_link(page, r"seed=\d+")  # what the plots were computed with
    page.wait_for_function("e => e.value === '1000'", arg=box.element_handle(), timeout=10_000)
    # text that is no integer is refused in the status line; the plots stay as they were
    box.fill("1.5")
    box.press("Enter")
    error = page.locator(".ntklab-status.ntklab-error")
    error.wait_for(timeout=30_000)
    assert "seed must be an integer in [0, 99999]" in error.inner_text()
    assert "seed=1000" in _link(page)
    assert page.locator(".voila-error").count() == 0 and not page.page_errors


@pytest.mark.parametrize("name, query, label, value, link", [
    ("frequency", "t=30&n=64", "time t", 30.0, "t=30&"),
    ("initialization", "s=0.3&m=24&steps=200", "init scale s", 0.3, "s=0.3&"),
    ("initialization", "s=0.3&m=24&steps=200", "width m", 24, "m=24&"),
])
def test_log_slider_presets_land_exactly(page, base_url, name, query, label, value, link):
    """A log slider put a URL preset on its grid and sent that back: ?t=30 computed t = 31.6,
    ?s=0.3 s = 0.316, ?m=24 m = 23."""
    page.goto(f"{base_url}/voila/render/{name}.ipynb?{query}", timeout=90_000)
    wait_for_plots(page, 3, timeout_ms=90_000)
    _wait_ready(page)
    slider = _control(page, "slider", label)
    readout = slider.locator(".widget-readout")
    assert float(readout.inner_text()) == value, readout.inner_text()
    assert link in _link(page) + "&", _link(page)  # the kernel computed with the preset
    # a key press moves the handle one grid step on, and the kernel follows the readout
    slider.locator(".noUi-handle").press("ArrowRight")
    page.wait_for_function("([e, v]) => parseFloat(e.textContent) > v",
                           arg=[readout.element_handle(), value], timeout=30_000)
    moved = float(readout.inner_text())
    assert value < moved < value * 1.3, moved  # (widths: a quarter octave, stretched)
    key, deadline, drawn = link.split("=")[0], time.monotonic() + 120, value
    while drawn == value and time.monotonic() < deadline:
        found = re.search(rf"[?&]{key}=([0-9.e+-]+)", _link(page))
        drawn = float(found[1]) if found else value
        time.sleep(0.1)
    assert drawn == pytest.approx(moved, rel=5e-3), (drawn, moved)
    assert page.locator(".voila-error").count() == 0 and not page.page_errors


def test_spectrum_vecs_label_and_crossings_legend(page, base_url):
    """The "show v_i" tags have a visible label; the crossings plot names its circles and draws
    the rule i − 1 on top of the counts, each in the legend."""
    page.goto(f"{base_url}/voila/render/spectrum.ipynb?n=100", timeout=90_000)
    wait_for_plots(page, 3, timeout_ms=90_000)
    _wait_ready(page)
    tags = page.locator(".jupyter-widget-tagsinput").first
    label = page.get_by_text("show v_i, i =", exact=True)
    assert label.is_visible()
    lbox, tbox = label.bounding_box(), tags.bounding_box()
    # beside the tags: same line, to their left
    assert lbox["x"] + lbox["width"] <= tbox["x"] + 1
    assert abs((lbox["y"] + lbox["height"] / 2) - (tbox["y"] + tbox["height"] / 2)) < 12
    crossings = page.locator(".js-plotly-plot").nth(2)
    traces = crossings.evaluate("e => e._fullData.map(t => [t.name, t.mode, (t.line || {}).dash,"
                                " t.zorder])")
    assert [t[0] for t in traces] == ["i − 1", "crossings", "v_i shown"], traces
    assert traces[0][1:3] == ["lines", "dash"], traces
    assert traces[1][3] < traces[0][3] < traces[2][3], traces  # the rule over the counts
    # and so it is: plotly draws each zorder in its own layer, the higher ones later
    layers = crossings.evaluate("e => [...e.querySelectorAll('[class^=scatterlayer] .trace')]"
                                ".map(t => t.__data__[0].trace.name)")
    assert layers.index("i − 1") > layers.index("crossings"), layers
    legend = crossings.locator(".legendtext").evaluate_all("els => els.map(e => e.textContent)")
    assert {"crossings", "i − 1", "v_i shown"} <= set(legend), legend
    assert not page.page_errors, page.page_errors


# --- index.ipynb's thumbnails --------------------------------------------------------------


@pytest.mark.skipif(os.environ.get("NTKLAB_THUMBNAILS") != "1",
                    reason="regenerates notebooks/dashboards/img/*.png: NTKLAB_THUMBNAILS=1")
@pytest.mark.parametrize("name", DASHBOARDS)
def test_thumbnail_at_defaults(browser, base_url, name):
    """index.ipynb's picture of a dashboard: the whole page at its defaults (no query), once
    the default computation finished, THUMBNAIL_WIDTH wide, compressed with optipng when it
    is installed. Run with NTKLAB_THUMBNAILS=1 after a dashboard's look or defaults change;
    test_serving.py checks the files' sizes."""
    context = browser.new_context(viewport={"width": THUMBNAIL_WIDTH, "height": 800},
                                  device_scale_factor=1)
    try:
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(f"{base_url}/voila/render/{name}.ipynb", timeout=90_000)
        wait_for_plots(page, PLOTS.get(name, 3), timeout_ms=300_000)
        _wait_ready(page, timeout=900.0)
        assert page.locator(".voila-error").count() == 0 and not errors, errors
        assert page.locator(".ntklab-status.ntklab-error").count() == 0
        assert _link(page) == ""  # the defaults: no setting differs from them
        # Voila's page scrolls inside a box, not the document (full_page takes the first
        # screen only): make the window as tall as the box's content
        height = page.evaluate("() => document.getElementById('rendered_cells').scrollHeight")
        page.set_viewport_size({"width": THUMBNAIL_WIDTH, "height": min(int(height), 4000)})
        page.mouse.move(0, 0)  # no hover label in the picture
        time.sleep(1.0)
        _wait_ready(page)
        path = THUMBNAILS / f"{name}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=path, full_page=True, animations="disabled")
    finally:
        context.close()
    if shutil.which("optipng"):
        subprocess.run(["optipng", "-quiet", "-o2", "-strip", "all", str(path)], check=True,
                       timeout=300)
