"""Captions in a real browser: the checked claims a caption shows quote the numbers the
plots draw, and after a refused setting the page stays consistent (the plots greyed and
named, the link on the setup shown, the error and the figures re-labelled in Chinese)."""

from __future__ import annotations

import re
import time

import pytest

from ntklab.app.testing import move_slider, wait_for_plots

pytestmark = pytest.mark.browser


def _wait_status(page, text, timeout=90.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = page.locator(".ntklab-status")
        if status.count() and text in status.inner_text():
            return status.inner_text()
        time.sleep(0.1)
    raise AssertionError(f"the status never said {text!r}")


def test_the_fit_claim_quotes_the_loss_the_plot_draws(page, base_url):
    page.goto(f"{base_url}/voila/render/initialization.ipynb?m=64&steps=300", timeout=90_000)
    wait_for_plots(page, 4, timeout_ms=90_000)
    _wait_status(page, "Ready")
    claim = page.locator(".ntklab-claim[data-claim='initialization.fits']")
    assert claim.count() == 1
    quoted = float(re.search(r"loss ([0-9.e+-]+)", claim.inner_text()).group(1))
    # the loss plot's thick trace is the net shown (ASI): its last point is the final loss
    drawn = page.evaluate("""() => { const p = [...document.querySelectorAll('.js-plotly-plot')];
        const loss = p[3].data.filter(t => t.line && t.line.width >= 3)[0];
        return loss.y[loss.y.length - 1]; }""")
    assert quoted == pytest.approx(drawn, rel=0.05)
    holds = claim.get_attribute("data-holds") == "1"
    assert holds == (drawn <= 0.01)
    assert not page.page_errors, page.page_errors


def test_a_refused_setting_leaves_a_consistent_page(page, base_url):
    page.goto(f"{base_url}/voila/render/initialization.ipynb?depth=2&m=256&steps=300",
              timeout=90_000)
    wait_for_plots(page, 4, timeout_ms=90_000)
    _wait_status(page, "Ready")
    assert page.locator(".ntklab-stale-note").count() == 0
    move_slider(page, 3, presses=3)  # GD steps 300 → 600: over the work budget
    _wait_status(page, "Could not update")
    page.wait_for_selector(".ntklab-stale-note", timeout=30_000)
    assert "GD steps = 300" in page.locator(".ntklab-stale-note").inner_text()
    link = page.locator(".ntklab-link").inner_text()
    assert "steps=300" in link and "steps=600" not in link
    page.get_by_role("button", name="中文").click()
    status = _wait_status(page, "无法更新")
    assert "would take" not in status and "秒" in status
    page.wait_for_function("() => document.querySelector('.ntklab-stale-note')"
                           ".innerText.includes('梯度下降步数 = 300')", timeout=30_000)
    page.wait_for_function("() => [...document.querySelectorAll('.gtitle')]"
                           ".some(t => t.textContent.includes('网络'))", timeout=30_000)
    assert not page.page_errors, page.page_errors
