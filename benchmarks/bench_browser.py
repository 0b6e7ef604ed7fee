"""Browser benchmark of the dashboards: control change → updated plot, and page open → plot.

    .venv/bin/python benchmarks/bench_browser.py [--moves 7] [--skip-open]

Serves the dashboards with Voila (as ``ntklab app`` does) on a free loopback port, drives
headless Chromium with Playwright, and times, per scenario, from the key press on a slider
handle until the browser's plot data (``.js-plotly-plot`` ``.data``) differs. Each scenario
reports the median over several moves beside its limit (issue 4) and a same-run reference:
the bare core call (``ntklab.experiments``) for the same settings, measured in this process,
so a slow machine shows as a slow reference too.

Writes JSON to stdout and to ``benchmarks/results/browser.json``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

from ntklab.app.testing import (
    browser_missing,
    launch_chromium,
    serve_voila,
    wait_for_plots,
)

RESULTS = Path(__file__).resolve().parent / "results" / "browser.json"

# name: (notebook, query, slider index, key, limit in seconds, reference settings)
SCENARIOS = {
    "spectrum_n500_move_n": ("spectrum", "n=500", 0, "ArrowRight", 0.150,
                             dict(kind="spectrum", n=500, step_n=10)),
    "spectrum_n500_move_s": ("spectrum", "n=500", 2, "ArrowRight", 0.150,
                             dict(kind="spectrum_s", n=500)),
    "spectrum_n3000_move_s": ("spectrum", "n=3000", 2, "ArrowRight", 0.400,
                              dict(kind="spectrum_s", n=3000)),
    "spectrum_n3000_move_depth": ("spectrum", "n=3000", 1, "ArrowRight", 0.400,
                                  dict(kind="spectrum_depth", n=3000)),
    "frequency_n200_move_t": ("frequency", "n=200", 1, "ArrowRight", 0.150,
                              dict(kind="frequency_t", n=200)),
}

_CHANGED_JS = """sig => JSON.stringify([...document.querySelectorAll('.js-plotly-plot')]
    .map(e => JSON.stringify((e.data || []).map(t => [t.x ? t.x.length : 0,
        t.y && t.y.length ? Number(t.y[Math.floor(t.y.length / 3)]) : null, t.visible]))
        + JSON.stringify(e.layout && e.layout.shapes ? e.layout.shapes.map(s => s.x0) : [])
        + (e.layout && e.layout.title ? e.layout.title.text : ''))) !== sig"""
_SIG_JS = "() => " + _CHANGED_JS.split("=>", 1)[1].rsplit("!==", 1)[0]


def _reference(settings: dict, moves: int) -> dict:
    """Median time of the bare core call behind one move, uncached, in this process."""
    from ntklab import experiments as ex

    times = []
    for i in range(moves):
        ex._spectrum.cache_clear()
        ex._frequency.cache_clear()
        kind, n = settings["kind"], settings["n"]
        if kind == "frequency_t":
            view = ex.frequency_view("three_sines", n)
            start = time.perf_counter()
            ex.frequency_at(view, 1.0 + 0.1 * i)
        else:
            start = time.perf_counter()
            if kind == "spectrum":
                ex.spectrum_view(n + settings["step_n"] * (i + 1))
            elif kind == "spectrum_s":  # depth 1: the s = 1 decomposition is cached
                ex.spectrum_view(n, init_scale=1.0)
                start = time.perf_counter()
                ex.spectrum_view(n, init_scale=1.0 + 0.1 * (i + 1))
            else:
                ex.spectrum_view(n, depth=2 + i % 4)
        times.append(time.perf_counter() - start)
    what = {"spectrum": "spectrum_view(n + 10) with kernel and eigenpairs",
            "spectrum_s": "spectrum_view with a new s at depth 1 (cached eigenpairs × s²)",
            "spectrum_depth": "spectrum_view with a new depth (kernel + top-40 eigenpairs)",
            "frequency_t": "frequency_at(view, t) (closed form, eigenbasis reused)"}[kind]
    return {"what": what, "median_s": statistics.median(times)}


def _open(page, url, timeout_ms=120_000) -> float:
    start = time.perf_counter()
    page.goto(url, timeout=timeout_ms)
    wait_for_plots(page, 3, timeout_ms=timeout_ms)
    return time.perf_counter() - start


def _moves(page, slider: int, key: str, moves: int) -> list[float]:
    handle = page.locator(".noUi-handle").nth(slider)
    out = []
    for _ in range(moves):
        page.wait_for_timeout(250)  # let the previous update settle
        sig = page.evaluate(_SIG_JS)
        handle.focus()
        start = time.perf_counter()
        handle.press(key)
        page.wait_for_function(_CHANGED_JS, arg=sig, polling="raf", timeout=60_000)
        out.append(time.perf_counter() - start)
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=7, help="moves per scenario (default 7)")
    parser.add_argument("--skip-open", action="store_true", help="skip the page-open timings")
    args = parser.parse_args(argv)
    reason = browser_missing()
    if reason:
        print(json.dumps({"skipped": reason}))
        return 0
    from playwright.sync_api import sync_playwright

    report = {"moves": args.moves, "scenarios": {}, "page_open": {}}
    with sync_playwright() as pw:
        browser = launch_chromium(pw)
        try:
            if not args.skip_open:
                with serve_voila(preheat=False) as url:  # cold: a kernel per page
                    page = browser.new_page(viewport={"width": 1280, "height": 900})
                    report["page_open"]["cold_s"] = _open(page, f"{url}/voila/render/"
                                                          "spectrum.ipynb")
                    report["page_open"]["cold_limit_s"] = 10.0
                    page.close()
            with serve_voila(preheat=True) as url:
                time.sleep(20)  # let the pool of preheated kernels fill
                if not args.skip_open:
                    page = browser.new_page(viewport={"width": 1280, "height": 900})
                    report["page_open"]["preheated_s"] = _open(
                        page, f"{url}/voila/render/frequency.ipynb")
                    report["page_open"]["preheated_limit_s"] = 3.0
                    page.close()
                for name, (nb, query, slider, key, limit, ref) in SCENARIOS.items():
                    page = browser.new_page(viewport={"width": 1280, "height": 900})
                    _open(page, f"{url}/voila/render/{nb}.ipynb?{query}")
                    page.wait_for_timeout(1000)
                    count = min(args.moves, 4) if "depth" in name else args.moves  # L ≤ 5
                    print(f"{name}: {count} moves", file=sys.stderr, flush=True)
                    try:
                        samples = _moves(page, slider, key, count)
                    except Exception as exc:  # report the failure, keep the other scenarios
                        report["scenarios"][name] = {"error": f"{type(exc).__name__}: {exc}"[:300]}
                        page.close()
                        continue
                    page.close()
                    reference = _reference(ref, min(args.moves, 4))
                    median = statistics.median(samples)
                    report["scenarios"][name] = {
                        "median_s": round(median, 4), "limit_s": limit,
                        "within_limit": median <= limit,
                        "samples_s": [round(s, 4) for s in samples],
                        "core_reference": {"what": reference["what"],
                                           "median_s": round(reference["median_s"], 4)},
                        "browser_overhead_s": round(median - reference["median_s"], 4),
                    }
        finally:
            browser.close()
    text = json.dumps(report, indent=2)
    print(text)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
