"""Browser benchmark of the dashboards: control change → updated plot, and page open → plot.

    .venv/bin/python benchmarks/bench_browser.py [--moves 7] [--skip-open] [--only-training]
                                                 [--only NAMES] [--only-open]

Serves the dashboards with Voila (as ``ntklab app`` does) on a free loopback port, drives
headless Chromium with Playwright, and times, per scenario, from the key press on a slider
handle until the browser's plot data (``.js-plotly-plot`` ``.data``) differs, on the page's
own clock (keydown to the first animation frame with new data; the Python-side time, which
adds Playwright's round trips, is reported beside it). Page opens are timed to the first
plot drawn, also on the page's clock. Each scenario
reports the median over several moves beside its limit (issue 4) and a same-run reference:
the bare core call (``ntklab.experiments``) for the same settings, measured in this process,
so a slow machine shows as a slow reference too.

Writes JSON to stdout and to ``benchmarks/results/browser.json``.
"""

from __future__ import annotations

import argparse
import http.server
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
    wait_until_quiet,
)

if __package__ in (None, ""):  # run by path (python benchmarks/bench_x.py): find `benchmarks`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks._util import write_report

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

# Training views (issue 4: first progress frame ≤ 0.5 s, default settings finish ≤ 5 s):
# name: (notebook, query, slider index, reference settings). The slider keeps the width
# bucket, so the move needs no compile, as in a session after the first plot.
TRAINING = {
    "lazy_default_move_s": ("lazy", "seed=1", 1, dict(kind="lazy")),
    "initialization_default_move_s": ("initialization", "s=3", 0, dict(kind="init", s=3.0)),
    "ensemble_default_move_s": ("ensemble", "seed=1", 2, dict(kind="ensemble", members=16)),
}
TRAINING_LIMITS = {"first_frame_s": 0.5, "finish_s": 5.0}

_STATE_JS = """() => [JSON.stringify([...document.querySelectorAll('.js-plotly-plot')]
    .map(e => JSON.stringify((e.data || []).map(t => [t.x ? t.x.length : 0,
        t.y && t.y.length ? Number(t.y[Math.floor(t.y.length / 3)]) : null, t.visible]))
        + (e.layout && e.layout.title ? e.layout.title.text : ''))),
    (document.querySelector('.ntklab-status') || {}).innerText || '']"""


def _training_reference(settings: dict, runs: int) -> dict:
    """Median time of the bare core call of one training view (warm: after one run)."""
    import ntklab

    kind = settings["kind"]
    call = {"lazy": lambda i: ntklab.lazy_run(4096, init_scale=1.0 + 0.01 * i),
            "init": lambda i: ntklab.trick_comparison(
                256, depth=1, init_scale=settings["s"] + 0.01 * i, n_test=200, record=41,
                data_seed=0),
            "ensemble": lambda i: ntklab.ensemble_comparison(
                256, settings["members"], init_scale=1.0 + 0.01 * i, steps=1000,
                n_test=200, plot_range=(-2.0, 2.0), bucket=True)}[kind]
    call(0)  # compile
    times = []
    for i in range(1, runs + 1):
        start = time.perf_counter()
        call(i)
        times.append(time.perf_counter() - start)
    what = {"lazy": "lazy_run(4096) at the default settings",
            "init": "trick_comparison(256, depth=1) (four nets) at the dashboard's settings",
            "ensemble": "ensemble_comparison(256, 16) at the dashboard's settings"}[kind]
    return {"what": what, "median_s": statistics.median(times)}


def _training_moves(page, slider: int, moves: int) -> list[tuple[float, float]]:
    """(first plot change, last plot change) after each key press, in seconds: the first
    progress frame and the finish (status Ready, then no change for 1 s)."""
    handle = page.locator(".noUi-handle").nth(slider)
    out = []
    for _ in range(moves):
        page.wait_for_timeout(500)
        sig, _status = page.evaluate(_STATE_JS)
        handle.focus()
        start = time.perf_counter()
        handle.press("ArrowRight")
        first = last = None
        while time.perf_counter() - start < 60:
            now_sig, status = page.evaluate(_STATE_JS)
            t = time.perf_counter() - start
            if now_sig != sig:
                sig, last = now_sig, t
                first = t if first is None else first
            if last is not None and "Ready" in status and t - last >= 1.0:
                break
            page.wait_for_timeout(15)
        if first is None:
            raise RuntimeError("the plots did not change within 60 s of the key press")
        out.append((first, last))
    return out


_CHANGED_JS = """sig => JSON.stringify([...document.querySelectorAll('.js-plotly-plot')]
    .map(e => JSON.stringify((e.data || []).map(t => [t.x ? t.x.length : 0,
        t.y && t.y.length ? Number(t.y[Math.floor(t.y.length / 3)]) : null, t.visible]))
        + JSON.stringify(e.layout && e.layout.shapes ? e.layout.shapes.map(s => s.x0) : [])
        + (e.layout && e.layout.title ? e.layout.title.text : ''))) !== sig"""
_SIG_JS = "() => " + _CHANGED_JS.split("=>", 1)[1].rsplit("!==", 1)[0]


def _reference(settings: dict, moves: int) -> dict:
    """Median time of the bare core call behind one move, uncached, in this process."""
    from ntklab.experiments import frequency, spectrum

    times = []
    for i in range(moves):
        spectrum.forget()
        frequency.forget()
        kind, n = settings["kind"], settings["n"]
        if kind == "frequency_t":
            view = frequency.frequency_view("three_sines", n)
            start = time.perf_counter()
            frequency.frequency_at(view, 1.0 + 0.1 * i)
        elif kind == "spectrum":  # as the dashboard: started from the view shown before
            before = spectrum.spectrum_view(n + settings["step_n"] * i)
            start = time.perf_counter()
            spectrum.spectrum_view(n + settings["step_n"] * (i + 1), previous=before)
        elif kind == "spectrum_s":  # depth 1: the s = 1 decomposition is cached
            before = spectrum.spectrum_view(n, init_scale=1.0)
            start = time.perf_counter()
            spectrum.spectrum_view(n, init_scale=1.0 + 0.1 * (i + 1), previous=before)
        else:
            before = spectrum.spectrum_view(n, depth=1 + i % 4)
            start = time.perf_counter()
            spectrum.spectrum_view(n, depth=2 + i % 4, previous=before)
        times.append(time.perf_counter() - start)
    what = {"spectrum": "spectrum_view(n + 10, previous=view at n): kernel and eigenpairs",
            "spectrum_s": "spectrum_view with a new s at depth 1 (cached eigenpairs × s²)",
            "spectrum_depth": "spectrum_view(depth + 1, previous=view at depth): kernel and "
                              "top-40 eigenpairs",
            "frequency_t": "frequency_at(view, t) (closed form, eigenbasis reused)"}[kind]
    return {"what": what, "median_s": statistics.median(times)}


# Installed in each measured page before its scripts run: the time (ms since navigation
# start, the page's own clock) at which a plotly plot first has data, and at which an
# ipywidgets slider is first on the page.
_PROBE_JS = """(() => {
  const marks = window.__ntklabMarks = {};
  const loop = () => {
    const now = performance.now();
    if (marks.slider === undefined && document.querySelector('.widget-slider'))
      marks.slider = now;
    if (marks.plot === undefined && [...document.querySelectorAll('.js-plotly-plot')]
        .some(e => e.data && e.data.some(t => t.x && t.x.length > 0))) marks.plot = now;
    if (marks.plot === undefined) requestAnimationFrame(loop);
  };
  requestAnimationFrame(loop);
})();"""


def _mark(page, name, timeout_ms) -> float:
    """Seconds from navigation start to the probe's mark ``name`` (waits for it)."""
    page.wait_for_function(f"() => window.__ntklabMarks && "
                           f"window.__ntklabMarks.{name} !== undefined", timeout=timeout_ms)
    return page.evaluate(f"window.__ntklabMarks.{name}") / 1000


def _open(page, url, timeout_ms=120_000, *, mark="plot", plots=3) -> tuple[float, float]:
    """Page open → (the probe's ``mark``: first plot drawn, or first slider shown; all
    ``plots`` plots drawn), seconds. The first is issue 4's "page open to first plot", on
    the page's own clock; the second is on the Python clock (0 when ``plots`` is 0)."""
    page.add_init_script(_PROBE_JS)
    start = time.perf_counter()
    page.goto(url, timeout=timeout_ms)
    first = _mark(page, mark, timeout_ms)
    if not plots:
        return first, 0.0
    wait_for_plots(page, plots, timeout_ms=timeout_ms)
    return first, time.perf_counter() - start


PREHEATED_PAGES = ("spectrum", "frequency", "lazy")


def _refill_delay() -> float:
    """Seconds Voila waits before it refills a pool whose preheated kernel a page took
    (``voila.json``'s ``fill_delay``; Voila's default is 1 s). The refill then runs the
    notebook in a new kernel: several CPU-seconds."""
    from ntklab.app.serving.voila import dashboards_dir

    repository = dashboards_dir().parents[1]  # where ntklab app runs Voila
    config = json.loads((repository / "voila.json").read_text())
    return float(config.get("VoilaKernelManager", {}).get("fill_delay", 1.0))


AFTER_OPEN_S = _refill_delay() + 2  # a page took a pool's kernel: wait for its refill to start


def _settle(url, at_least: float) -> float:
    """:func:`wait_until_quiet` for the server at ``url`` (pools filled, notebooks run)."""
    return wait_until_quiet(url.pid, at_least=at_least)


# The floor Voila sets on this machine: the same server settings (preheated, voila.json),
# a fresh profile, and a notebook that shows only a slider, or only one figure drawn by the
# dashboards' own figure widget (one line, no dashboard around it).
_FLOOR_NOTEBOOKS = {
    "slider": "import ipywidgets as W\nW.IntSlider(description='n')",
    "figure": ("from ntklab.app.serving.figure_widget import live_figure_widget_class\n"
               "fig = live_figure_widget_class()(data=[dict(x=[1, 2, 3], y=[1, 3, 2])])\n"
               "fig"),
}


def _preheated_opens(browser, rounds: int = 2) -> dict:
    """Page open → first plot with a preheated kernel, fresh browser profile (nothing
    cached: plotly.js and Voila's scripts fetched and compiled), per dashboard in
    ``PREHEATED_PAGES``, and beside them Voila's floor (``_FLOOR_NOTEBOOKS``), opened in
    turn from one server, ``rounds`` times: the host's speed drifts by ±30 % within minutes
    here, so dashboards and floor are measured at the same moments. Then a second visit in
    the same profile (HTTP and code cache warm), as a student who has opened a dashboard
    before. Waits between opens so that the kernel refilling the pool does not share the
    two cores with the page being measured."""
    import shutil
    import tempfile

    import nbformat

    from ntklab.app.serving.voila import dashboards_dir

    fresh = {name: [] for name in PREHEATED_PAGES}
    floor = {name: [] for name in _FLOOR_NOTEBOOKS}
    every = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in PREHEATED_PAGES:  # the dashboards' own notebooks, beside the floor ones
            shutil.copy(dashboards_dir() / f"{name}.ipynb", tmp)
        for name, source in _FLOOR_NOTEBOOKS.items():
            nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])
            nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                         "language": "python"}
            nbformat.write(nb, Path(tmp) / f"floor_{name}.ipynb")
        with serve_voila(preheat=True, folder=Path(tmp)) as url:
            _settle(url, 10)  # let the pool of preheated kernels fill
            for _ in range(rounds):
                for name in (*_FLOOR_NOTEBOOKS, *PREHEATED_PAGES):
                    context = browser.new_context(viewport={"width": 1280, "height": 900})
                    page = context.new_page()
                    if name in floor:
                        first, _ = _open(page, f"{url}/voila/render/floor_{name}.ipynb",
                                         mark="slider" if name == "slider" else "plot",
                                         plots=0)
                        floor[name].append(first)
                    else:
                        first, all_plots = _open(page, f"{url}/voila/render/{name}.ipynb")
                        fresh[name].append(first)
                        every.append(all_plots)
                    context.close()
                    _settle(url, AFTER_OPEN_S)
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            _open(context.new_page(), f"{url}/voila/render/{PREHEATED_PAGES[0]}.ipynb")
            _settle(url, AFTER_OPEN_S)
            warm = _open(context.new_page(), f"{url}/voila/render/{PREHEATED_PAGES[0]}.ipynb")
            context.close()
            _settle(url, AFTER_OPEN_S)
    median = statistics.median(t for times in fresh.values() for t in times)
    floor_out = {name: {"median_s": round(statistics.median(times), 3),
                        "samples_s": [round(t, 3) for t in times]}
                 for name, times in floor.items()}
    floor_out["what"] = ("Voila's floor on this machine, opened in turn with the dashboards: "
                         "preheated, fresh profile, a notebook showing one slider (page open "
                         "→ slider shown), and one showing one figure widget with one line "
                         "(page open → line drawn)")
    return {
        "preheated_s": round(median, 3),
        "preheated_samples_s": {name: [round(t, 3) for t in times]
                                for name, times in fresh.items()},
        "preheated_limit_s": 3.0,
        "preheated_above_floor_s": round(median - floor_out["figure"]["median_s"], 3),
        "preheated_all_plots_s": round(statistics.median(every), 3),
        "preheated_second_visit_s": round(warm[0], 3),
        "voila_floor": floor_out,
    }


_BLANK_PAGE = """<html><body><div id="p"></div><script type="module">
const f = new URLSearchParams(location.search).get("f");
await import("./" + f);
await window.Plotly.newPlot("p", [{x: [1, 2, 3], y: [1, 3, 2]}]);
document.title = "done";
</script></body></html>"""


def _bundle_reference(browser, runs: int = 3) -> dict:
    """Page-open reference: a blank page that imports a plotly.js bundle and draws one
    line, in a fresh browser profile, served by a plain HTTP server in this process. For
    the bundle the dashboards use (ntklab's: core + heatmap) and for plotly's widget
    bundle (full plotly.js) that they used before."""
    import functools
    import shutil
    import tempfile
    import threading

    import plotly

    from ntklab.app.serving.plotly_bundle import BUNDLE, bundle_dir

    files = {"ntklab": bundle_dir() / BUNDLE,
             "widgetbundle": Path(plotly.__file__).parent / "package_data" / "widgetbundle.js"}
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "blank.html").write_text(_BLANK_PAGE)
        for path in files.values():
            shutil.copy(path, tmp)
        handler = functools.partial(_QuietHandler, directory=tmp)
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            for name, path in files.items():
                times = []
                for _ in range(runs):
                    context = browser.new_context()
                    page = context.new_page()
                    start = time.perf_counter()
                    page.goto(f"http://127.0.0.1:{server.server_port}/blank.html?f={path.name}")
                    page.wait_for_function("document.title === 'done'", timeout=60_000)
                    times.append(time.perf_counter() - start)
                    context.close()
                out[name] = {"median_s": round(statistics.median(times), 3),
                             "megabytes": round(path.stat().st_size / 1e6, 2)}
        finally:
            server.shutdown()
            server.server_close()
    out["what"] = ("blank page, fresh profile: import the bundle and draw one line "
                   "(ntklab: the dashboards' bundle, core + heatmap; widgetbundle: plotly's "
                   "full one)")
    return out


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


# The page's own clock for a move: keydown (captured on the document, before the slider
# sees it) to the first animation frame whose plot data differ. Playwright's round trips
# (the key press sent, the wait answered: ~20-60 ms here) are outside it.
_KEY_CLOCK_JS = """() => { if (!window.__ntklabKey) { window.__ntklabKey = {};
    document.addEventListener('keydown', () => { window.__ntklabKey.down = performance.now(); },
                              true); } }"""
_CHANGED_AT_JS = ("sig => { const changed = (" + _CHANGED_JS + ")(sig); "
                  "if (changed) window.__ntklabKey.changed = performance.now(); return changed; }")


def _moves(page, slider: int, key: str, moves: int) -> tuple[list[float], list[float]]:
    """Per move: (page clock: keydown → plot data changed, Python clock: press → seen)."""
    handle = page.locator(".noUi-handle").nth(slider)
    page.evaluate(_KEY_CLOCK_JS)
    in_page, outside = [], []
    for _ in range(moves):
        page.wait_for_timeout(250)  # let the previous update settle
        sig = page.evaluate(_SIG_JS)
        handle.focus()
        start = time.perf_counter()
        handle.press(key)
        page.wait_for_function(_CHANGED_AT_JS, arg=sig, polling="raf", timeout=60_000)
        outside.append(time.perf_counter() - start)
        down, changed = page.evaluate("[window.__ntklabKey.down, window.__ntklabKey.changed]")
        in_page.append((changed - down) / 1000)
    return in_page, outside


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=7, help="moves per scenario (default 7)")
    parser.add_argument("--skip-open", action="store_true", help="skip the page-open timings")
    parser.add_argument("--only-training", action="store_true",
                        help="only the training views (first progress frame, finish)")
    parser.add_argument("--only-open", action="store_true",
                        help="only the page-open timings (cold, preheated, reference)")
    parser.add_argument("--only", default="", metavar="NAMES",
                        help="comma-separated control scenarios to run, nothing else "
                             f"(of: {', '.join(SCENARIOS)}); report browser_partial.json")
    args = parser.parse_args(argv)
    only = [name for name in args.only.split(",") if name]
    unknown = sorted(set(only) - set(SCENARIOS))
    if unknown:
        parser.error(f"unknown scenarios: {', '.join(unknown)}")
    if only:
        args.skip_open = True
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
                    first, every = _open(page, f"{url}/voila/render/spectrum.ipynb")
                    report["page_open"]["cold_s"] = round(first, 3)
                    report["page_open"]["cold_all_plots_s"] = round(every, 3)
                    report["page_open"]["cold_limit_s"] = 10.0
                    page.close()
            if not args.skip_open:
                report["page_open"].update(_preheated_opens(browser))
                report["page_open"]["reference"] = _bundle_reference(browser)
            with serve_voila(preheat=True) as url:
                if not args.only_open:
                    _settle(url, 10)  # let the pool of preheated kernels fill
                scenarios = {} if args.only_training or args.only_open else SCENARIOS
                if only:
                    scenarios = {name: SCENARIOS[name] for name in only}
                for name, (nb, query, slider, key, limit, ref) in scenarios.items():
                    page = browser.new_page(viewport={"width": 1280, "height": 900})
                    _open(page, f"{url}/voila/render/{nb}.ipynb?{query}")
                    # the page took the preheated kernel: let the pool's replacement start
                    # and run its notebook, or it shares the two cores with the moves
                    _settle(url, AFTER_OPEN_S)
                    count = min(args.moves, 4) if "depth" in name else args.moves  # L ≤ 5
                    print(f"{name}: {count} moves", file=sys.stderr, flush=True)
                    try:
                        samples, outside = _moves(page, slider, key, count)
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
                        "python_clock_median_s": round(statistics.median(outside), 4),
                        "core_reference": {"what": reference["what"],
                                           "median_s": round(reference["median_s"], 4)},
                        "browser_overhead_s": round(median - reference["median_s"], 4),
                    }
                report["training"] = {"limits": TRAINING_LIMITS, "views": {}}
                training = {} if only or args.only_open else TRAINING
                for name, (nb, query, slider, ref) in training.items():
                    page = browser.new_page(viewport={"width": 1280, "height": 900})
                    reloads = 0
                    try:
                        _open(page, f"{url}/voila/render/{nb}.ipynb?{query}", 60_000)
                    except Exception:  # seen under heavy load: plots never drawn; reported
                        reloads += 1
                        _open(page, f"{url}/voila/render/{nb}.ipynb?{query}")
                    _settle(url, AFTER_OPEN_S)  # the preset's run; the pool's refill
                    count = min(args.moves, 3)
                    print(f"{name}: {count} moves", file=sys.stderr, flush=True)
                    try:
                        samples = _training_moves(page, slider, count)
                    except Exception as exc:
                        report["training"]["views"][name] = {
                            "error": f"{type(exc).__name__}: {exc}"[:300]}
                        page.close()
                        continue
                    page.close()
                    first = statistics.median(s[0] for s in samples)
                    finish = statistics.median(s[1] for s in samples)
                    reference = _training_reference(ref, count)
                    report["training"]["views"][name] = {
                        "first_frame_median_s": round(first, 3),
                        "finish_median_s": round(finish, 3),
                        "within_limits": first <= TRAINING_LIMITS["first_frame_s"]
                        and finish <= TRAINING_LIMITS["finish_s"],
                        "samples_s": [[round(a, 3), round(b, 3)] for a, b in samples],
                        "page_reloads": reloads,
                        "core_reference": {"what": reference["what"],
                                           "median_s": round(reference["median_s"], 3)},
                    }
        finally:
            browser.close()
    name = "browser_partial" if only or args.only_open else "browser"
    write_report("browser_training" if args.only_training else name, report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
