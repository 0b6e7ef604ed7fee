"""A class at once: N concurrent browser sessions on one Voila server, N = 1, 2, 4, 8.

    .venv/bin/python benchmarks/bench_load.py [--sessions 1 2 4 8] [--moves 5]
                                              [--dashboard spectrum] [--query n=500]

For each N a fresh Voila server (as ``ntklab app`` runs it: voila.json, preheated pool of
one kernel per dashboard) is started on a free loopback port and given time to fill its
pool (until one kernel per dashboard is up and the kernels are idle); then N Playwright
pages, each in its own browser context (like N students), in ONE
headless Chromium, open the same dashboard at the same moment and each moves a slider
``--moves`` times with a short pause. Per N it reports:

- page open (navigation → three plots drawn): median and worst;
- control → plot latency (key press on the slider → the browser's plot data changed):
  median and worst over all sessions' moves;
- errors: JavaScript page errors, Voila error boxes, dashboard error lines, timeouts;
- memory: RSS of the Voila server plus all its kernels, at rest (pool filled), at peak
  (sampled every 0.2 s) and per session ((peak - rest) / N: a session's kernel plus the
  pool's replacement for the preheated kernel it took), and the number of kernels;
  Chromium's own memory is not counted (it is the students' machines).

Everything is bounded: each page has 180 s to open and 60 s per move; the pages are
closed (so Voila shuts their kernels down) and the server is stopped after each N.
Writes JSON to stdout and ``benchmarks/results/load.json``, with the load average.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import sys
import threading
import time
from pathlib import Path

from ntklab.app import DASHBOARDS
from ntklab.app.testing import (
    CHROMIUM_ARGS,
    browser_missing,
    serve_voila,
    server_processes,
    wait_until_quiet,
)

if __package__ in (None, ""):  # run by path (python benchmarks/bench_x.py): find `benchmarks`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks._util import RESULTS, write_report

_PLOTS_JS = """n => { const p = [...document.querySelectorAll('.js-plotly-plot')];
    return p.length >= n && p.slice(0, n).every(e => e.data && e.data.length > 0); }"""
_SIG_JS = """() => JSON.stringify([...document.querySelectorAll('.js-plotly-plot')].map(e =>
    (e.data || []).map(t => [t.x ? t.x.length : 0,
        t.y && t.y.length ? Number(t.y[Math.floor(t.y.length / 3)]) : null])))"""


class _MemorySampler(threading.Thread):
    """Peak summed RSS of the Voila server and its kernels."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak, self._done = pid, 0, threading.Event()

    def rss(self) -> int:
        total = 0
        for proc in server_processes(self.pid):
            try:
                total += proc.memory_info().rss
            except Exception:
                pass
        return total

    def kernels(self) -> int:
        return len(server_processes(self.pid)) - 1

    def run(self):
        self.max_kernels = 0
        while not self._done.is_set():
            self.peak = max(self.peak, self.rss())
            self.max_kernels = max(self.max_kernels, self.kernels())
            time.sleep(0.2)

    def stop(self) -> int:
        self._done.set()
        self.join()
        return self.peak


async def _session(browser, url: str, slider: int, moves: int, failed_png: Path) -> dict:
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    errors: list[str] = []
    console: list[str] = []  # the page's last console lines, reported if it fails
    page.on("pageerror", lambda exc: errors.append(str(exc)[:200]))
    page.on("console", lambda msg: console.append(f"{msg.type}: {msg.text}"[:160]))
    out = {"errors": errors, "latencies_s": []}
    try:
        start = time.perf_counter()
        await page.goto(url, timeout=180_000)
        await page.wait_for_function(_PLOTS_JS, arg=3, timeout=180_000)
        out["open_s"] = time.perf_counter() - start
        await page.wait_for_function(
            "() => { const s = document.querySelector('.ntklab-status');"
            " return s && s.textContent.includes('Ready'); }", timeout=180_000)
        handle = page.locator(".noUi-handle").nth(slider)
        for _ in range(moves):
            await page.wait_for_timeout(300)  # a student's pause between moves
            before = await page.evaluate(_SIG_JS)
            await handle.focus()
            t = time.perf_counter()
            await handle.press("ArrowRight")
            await page.wait_for_function(f"sig => ({_SIG_JS})() !== sig", arg=before,
                                         polling="raf", timeout=60_000)
            out["latencies_s"].append(time.perf_counter() - t)
        await page.wait_for_timeout(300)
        if await page.locator(".voila-error").count():
            errors.append("voila-error box on the page")
        if await page.locator(".ntklab-status.ntklab-error").count():
            errors.append(await page.locator(".ntklab-status").inner_text())
    except Exception as exc:  # a timeout is a result, not a crash of the benchmark
        state = ""
        with contextlib.suppress(Exception):  # what the page showed when it gave up
            state = await page.evaluate(
                "() => [...document.querySelectorAll('.ntklab-status, .ntklab-notes,"
                " .voila-error, .ntklab-kernel-lost')].map(e => e.textContent).join(' | ')"
                " || document.body.innerText.slice(0, 200)")
        with contextlib.suppress(Exception):
            await page.screenshot(path=str(failed_png))
        errors.append(f"{type(exc).__name__}: {exc}"[:200] + f" [page: {state[:200]}]"
                      f" [console: {' / '.join(console[-4:])}] [screenshot: {failed_png.name}]")
    finally:
        await page.close(run_before_unload=True)  # Voila shuts the kernel down
        await context.close()
    return out


async def _level(n: int, args) -> dict:
    from playwright.async_api import async_playwright

    RESULTS.mkdir(exist_ok=True)
    log_path = RESULTS / f"load-server-{n}.log"  # the server's log, for failed sessions
    for old in RESULTS.glob(f"load-failed-{n}-*.png"):  # an earlier run's failures
        old.unlink()
    with serve_voila(preheat=True, log_path=log_path) as base:
        sampler = _MemorySampler(base.pid)
        # the pool full (a kernel per dashboard) and quiet (default views drawn)
        pool_s = await asyncio.to_thread(wait_until_quiet, sampler.pid, kernels=len(DASHBOARDS),
                                         limit=args.settle)
        rest, rest_kernels = sampler.rss(), sampler.kernels()
        url = f"{base}/voila/render/{args.dashboard}.ipynb?{args.query}"
        async with async_playwright() as pw:
            import shutil

            browser = await pw.chromium.launch(executable_path=shutil.which("chromium"),
                                               args=CHROMIUM_ARGS, headless=True)
            sampler.start()
            start = time.perf_counter()
            try:
                sessions = await asyncio.gather(
                    *(_session(browser, url, args.slider, args.moves,
                               RESULTS / f"load-failed-{n}-{i}.png") for i in range(n)))
            finally:
                await browser.close()
            wall = time.perf_counter() - start
            peak = sampler.stop()
        await asyncio.sleep(5)
        after, after_kernels = sampler.rss(), sampler.kernels()
    opens = [s["open_s"] for s in sessions if "open_s" in s]
    lat = [x for s in sessions for x in s["latencies_s"]]
    errors = [e for s in sessions for e in s["errors"]]
    mb = 2**20
    return {
        "sessions": n,
        "rendered": len(opens),
        "wall_s": round(wall, 1),
        "open_median_s": round(statistics.median(opens), 2) if opens else None,
        "open_worst_s": round(max(opens), 2) if opens else None,
        "moves": len(lat),
        "latency_median_s": round(statistics.median(lat), 3) if lat else None,
        "latency_worst_s": round(max(lat), 3) if lat else None,
        "errors": errors,
        "pool_fill_s": round(pool_s, 1),
        "memory_mb": {"rest": round(rest / mb), "peak": round(peak / mb),
                      "per_session": round((peak - rest) / mb / n),
                      "after_close": round(after / mb)},
        "kernels": {"rest": rest_kernels, "peak": sampler.max_kernels,
                    "after_close": after_kernels},
        "load_average": os.getloadavg(),
        "server_log": str(log_path.relative_to(RESULTS.parents[1])),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, nargs="*", default=[1, 2, 4, 8])
    parser.add_argument("--moves", type=int, default=5, help="moves per session (default 5)")
    parser.add_argument("--dashboard", default="spectrum")
    parser.add_argument("--query", default="n=500", help="URL preset (default n=500)")
    parser.add_argument("--slider", type=int, default=0, help="slider index moved (0: n)")
    parser.add_argument("--settle", type=float, default=180.0,
                        help="at most this many seconds for the preheated pool to fill and "
                             "go quiet (default 180)")
    args = parser.parse_args(argv)
    if any(not 1 <= n <= 16 for n in args.sessions) or not 1 <= args.moves <= 50:
        parser.error("sessions must be in 1..16 and moves in 1..50")
    reason = browser_missing()
    if reason:
        print(json.dumps({"skipped": reason}))
        return 0
    report = {"dashboard": args.dashboard, "query": args.query, "moves": args.moves,
              "cpus": os.cpu_count(), "load_average_before": os.getloadavg(), "levels": []}
    for n in args.sessions:
        print(f"N = {n} ...", file=sys.stderr, flush=True)
        report["levels"].append(asyncio.run(_level(n, args)))
        print(json.dumps(report["levels"][-1]), file=sys.stderr, flush=True)
    write_report("load", report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
