"""A class arriving at once: N students open the same dashboard within a few seconds.

    .venv/bin/python benchmarks/bench_class.py [--sessions 1 8 30] [--window 10]
        [--configs class default] [--clients protocol browser] [--dashboard spectrum]
        [--query n=500] [--moves 3] [--browser-nice 19] [--no-reference] [--no-jax-check]

For each client kind, configuration and N, a fresh ``ntklab app`` (the real command: its
supervisor, Voila, voila.json) on a loopback port, given time to fill its pool and go quiet;
then N sessions arrive evenly spread over ``--window`` seconds (session i at i·window/N), each
opens the dashboard, waits for its first plot and moves a slider ``--moves`` times. When every
session is done the pages close (Voila's shutdown beacon frees their kernels).

Configurations (``--configs``):

- ``class``: ``ntklab app --pool-size 0 --pool <dashboard>=N``: one preheated kernel per
  expected student on that dashboard, refilled after each take (Voila's ``fill_delay``, 8 s);
- ``class-norefill``: the same with ``--no-refill``;
- ``default``: ``ntklab app`` as it comes (voila.json: one preheated kernel per dashboard).

A reference measured in the same run: one session on a server with no pool at all
(``--pool-size 0``): the cold start that a pool avoids.

Clients (``--clients``): the browsers must not count as server work.

- ``protocol``: a websocket client per student that does what the page's widget manager
  does (fetch the page, ask every widget's state, count the first figure state with traces
  as the first plot, move a slider by an "update" message, wait for the figure's change
  message, send the shutdown beacon). It costs the machine almost nothing: its times are the
  server's (on a machine shared with other work: the load average is recorded).
- ``browser``: ONE headless Chromium, a browser context per student, at ``nice
  --browser-nice`` (19: it gets the CPU the server leaves); its CPU seconds are reported
  separately. Its wall times include the browsers' own work (Voila's scripts, plotly.js:
  ~4-9 CPU-s per page here), which in a class runs on the students' laptops.

Server CPU and memory always come from the server's own processes (psutil: ntklab app, Voila,
every kernel, sampled every 0.5 s), never from the client.

Per level: pages drawn, first plot (median / worst, from the request), control → plot
(key press → the browser's plot data changed; median / worst), errors (page errors, Voila
error boxes, dashboard error lines, timeouts, "Timeout waiting for IOPub output" in the
server log), server CPU seconds per session (all server processes over the arrival, from
the first request to the last first plot, divided by N: this includes the pool's refills
and any cold starts) and the session's own kernel's CPU seconds from its request to its
first plot, private memory (USS) of a session's kernel at its first plot, the server's
proportional memory (PSS: shared pages split between processes) at rest, when every page
has drawn and after all closed, and the kernel counts.

``--jax-check``: the JAX persistent compilation cache shared by the kernels, measured: a
``lazy`` pool kernel's CPU seconds to its first view with an empty cache directory, then
with the cache the first one filled (same run, two fresh servers).

Writes ``benchmarks/results/class.json`` (and ``class-server-<config>-<N>.log``).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

if __package__ in (None, ""):  # run by path (python benchmarks/bench_x.py): find `benchmarks`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from datetime import UTC

from benchmarks._util import RESULTS, write_report
from ntklab.app.testing import CHROMIUM_ARGS, browser_missing, free_port

ROOT = Path(__file__).resolve().parents[1]
DASHBOARDS = ("spectrum", "frequency", "lazy", "initialization", "ensemble")
MB = 2**20

_PLOTS_JS = """n => { const p = [...document.querySelectorAll('.js-plotly-plot')];
    return p.length >= n && p.slice(0, n).every(e => e.data && e.data.length > 0
        && e.data.some(t => t.x && t.x.length > 0)); }"""
_SIG_JS = """() => JSON.stringify([...document.querySelectorAll('.js-plotly-plot')].map(e =>
    (e.data || []).map(t => [t.x ? t.x.length : 0,
        t.y && t.y.length ? Number(t.y[Math.floor(t.y.length / 3)]) : null])))"""


# ---------------------------------------------------------------------------------------
# the server and its processes


class Server:
    """``ntklab app`` in its own process group, its processes sampled every 0.5 s."""

    def __init__(self, args: list[str], log_path: Path, jax_cache: Path):
        import psutil

        self.port = free_port()
        self.log_path = log_path
        self.log = open(log_path, "w")
        argv = [sys.executable, "-m", "ntklab.cli", "app", "--no-browser",
                f"--port={self.port}", f"--jax-cache={jax_cache}", *args]
        self.proc = subprocess.Popen(argv, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        self.root = psutil.Process(self.proc.pid)
        self.cpu: dict[int, list[tuple[float, float]]] = {}  # pid -> [(time, cpu-s)]
        self.cmd: dict[int, str] = {}
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def processes(self) -> list:
        import psutil

        with contextlib.suppress(psutil.Error):
            return [self.root, *self.root.children(recursive=True)]
        return []

    def kernels(self) -> list:
        return [p for p in self.processes() if "kernel-" in self.cmd.get(p.pid, "")]

    def _sample(self) -> None:
        import psutil

        while not self._stop.is_set():
            now = time.monotonic()
            for p in self.processes():
                with contextlib.suppress(psutil.Error):
                    t = p.cpu_times()
                    with self._lock:
                        if p.pid not in self.cmd:
                            self.cmd[p.pid] = " ".join(p.cmdline())
                        self.cpu.setdefault(p.pid, []).append((now, t.user + t.system))
            self._stop.wait(0.5)

    def cpu_between(self, start: float, end: float) -> float:
        """CPU seconds all server processes used between two monotonic times (a process
        born in the interval counts from zero; one that died counts to its last sample)."""
        total = 0.0
        with self._lock:
            for series in self.cpu.values():
                inside = [c for t, c in series if t <= end]
                if not inside:
                    continue
                before = [c for t, c in series if t <= start]
                total += inside[-1] - (before[-1] if before else 0.0)
        return total

    def cpu_of(self, pid: int, at: float) -> float:
        with self._lock:
            values = [c for t, c in self.cpu.get(pid, []) if t <= at]
        return values[-1] if values else 0.0

    def pss(self) -> dict:
        import psutil

        out = {"pss_mb": 0.0, "uss_mb": 0.0, "kernels": 0}
        for p in self.processes():
            with contextlib.suppress(psutil.Error):
                m = p.memory_full_info()
                out["pss_mb"] += m.pss / MB
                out["uss_mb"] += m.uss / MB
                out["kernels"] += "kernel-" in " ".join(p.cmdline())
        return {k: round(v) if isinstance(v, float) else v for k, v in out.items()}

    def wait_quiet(self, kernels: int, limit: float = 600, quiet: float = 0.3) -> float:
        """Until ``kernels`` kernels exist and the server used < ``quiet`` CPU-s in 2 s."""
        import socket

        start = time.monotonic()
        while time.monotonic() - start < limit:  # Voila answers on its port
            if self.proc.poll() is not None:
                raise RuntimeError(f"ntklab app exited: {self.log_path.read_text()[-2000:]}")
            with contextlib.suppress(OSError), \
                    socket.create_connection(("127.0.0.1", self.port), 0.5):
                break
            time.sleep(0.2)
        while time.monotonic() - start < limit:
            if self.proc.poll() is not None:
                raise RuntimeError(f"ntklab app exited: {self.log_path.read_text()[-2000:]}")
            if len(self.kernels()) >= kernels:
                now = time.monotonic()
                time.sleep(2.0)
                if self.cpu_between(now, time.monotonic()) < quiet:
                    break
            else:
                time.sleep(0.5)
        return time.monotonic() - start

    def kernel_pid(self, kernel_id: str) -> int | None:
        import psutil

        with self._lock:
            for pid, cmd in self.cmd.items():
                if kernel_id in cmd:
                    return pid
        for p in self.processes():  # started since the last sample
            with contextlib.suppress(psutil.Error):
                if any(kernel_id in a for a in p.cmdline()):
                    return p.pid
        return None

    def stop(self) -> dict:
        import psutil

        tree = self.processes()
        with contextlib.suppress(ProcessLookupError):
            self.proc.send_signal(signal.SIGTERM)  # ntklab app stops server and kernels
        _, alive = psutil.wait_procs(tree, timeout=40)
        self._stop.set()
        self.thread.join()
        for p in alive:
            with contextlib.suppress(psutil.Error):
                p.kill()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)
        self.log.close()
        return {"processes": len(tree), "alive_after_sigterm": len(alive)}


def _chromium_cpu() -> float:
    """CPU seconds of this process's Chromium descendants (the browsers)."""
    import psutil

    total = 0.0
    for p in psutil.Process().children(recursive=True):
        with contextlib.suppress(psutil.Error):
            if "chrom" in p.name():
                t = p.cpu_times()
                total += t.user + t.system
    return total


# ---------------------------------------------------------------------------------------
# sessions


async def _session(browser, server: Server, url: str, delay: float, moves: int,
                   drawn: asyncio.Event, moved: asyncio.Event, done: asyncio.Event,
                   shot: Path) -> dict:
    await asyncio.sleep(delay)
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)[:200]))
    out: dict = {"errors": errors, "latencies_s": []}
    try:
        out["request_t"] = start = time.monotonic()
        await page.goto(url, timeout=300_000)
        await page.wait_for_function(_PLOTS_JS, arg=1, timeout=300_000)
        out["first_plot_t"] = time.monotonic()
        out["first_plot_s"] = out["first_plot_t"] - start
        drawn.set()
        config = json.loads(await page.locator("#jupyter-config-data").text_content())
        out["kernel_id"] = config.get("kernelId")
        _kernel_stats(server, out, start)
        await page.wait_for_function(
            "() => { const s = document.querySelector('.ntklab-status');"
            " return s && s.textContent.includes('Ready'); }", timeout=300_000)
        handle = page.locator(".noUi-handle").nth(0)
        for _ in range(moves):
            await page.wait_for_timeout(500)  # a student's pause between moves
            before = await page.evaluate(_SIG_JS)
            await handle.focus()
            t = time.monotonic()
            await handle.press("ArrowRight")
            await page.wait_for_function(f"sig => ({_SIG_JS})() !== sig", arg=before,
                                         polling="raf", timeout=120_000)
            out["latencies_s"].append(time.monotonic() - t)
        if await page.locator(".voila-error").count():
            errors.append("voila-error box on the page")
        if await page.locator(".ntklab-status.ntklab-error").count():
            errors.append(await page.locator(".ntklab-status").inner_text())
    except Exception as exc:  # a timeout is a result
        with contextlib.suppress(Exception):
            await page.screenshot(path=str(shot))
        errors.append(f"{type(exc).__name__}: {exc}"[:240] + f" [screenshot {shot.name}]")
    drawn.set()
    moved.set()
    await done.wait()  # every page stays open until all sessions are done
    await page.close(run_before_unload=True)
    await context.close()
    return out


# The protocol client: what a page's widget manager does, without a browser. It fetches the
# page (Voila renders it; a preheated kernel's page is ready at once), opens the kernel's
# websocket, asks for every widget's state (comm_info_request, then request_state per
# widget, as ipywidgets' manager does), and counts the first plot as the first figure
# state that carries trace data, or the first change a figure sends (a kernel that starts
# cold computes its default view after the page was sent). A move is a slider "update"
# message; the plot has moved when a figure's next change message arrives (plotly's
# _py2js_* or fresh _widget_data).
# Closing sends Voila's shutdown beacon with the page's _xsrf cookie. It costs the machine
# a few JSON messages per session, so its times are the server's.


def _decode(message) -> dict | None:
    import struct

    if message is None:
        return None
    if isinstance(message, str):
        return json.loads(message)
    count = struct.unpack("!I", message[:4])[0]  # legacy binary frame: parts + offsets
    offsets = [*struct.unpack("!" + "I" * count, message[4:4 * (count + 1)]), len(message)]
    return json.loads(message[offsets[0]:offsets[1]])


def _message(msg_type: str, content: dict, session: str, metadata: dict | None = None) -> str:
    import uuid
    from datetime import datetime

    return json.dumps({
        "header": {"msg_id": uuid.uuid4().hex, "msg_type": msg_type, "username": "bench",
                   "session": session, "version": "5.3",
                   "date": datetime.now(UTC).isoformat()},
        "parent_header": {}, "metadata": metadata or {}, "content": content,
        "channel": "shell", "buffers": []})


def _has_traces(state: dict) -> bool:
    data = state.get("_widget_data")
    return isinstance(data, list) and any(isinstance(t, dict) and "x" in t for t in data)


async def _protocol_session(server: Server, url: str, preset: int | None, delay: float,
                            moves: int, drawn: asyncio.Event, moved: asyncio.Event,
                            done: asyncio.Event) -> dict:
    import re
    import uuid
    from urllib.parse import urlencode

    from tornado.httpclient import AsyncHTTPClient, HTTPRequest
    from tornado.websocket import websocket_connect

    await asyncio.sleep(delay)
    errors: list[str] = []
    out: dict = {"errors": errors, "latencies_s": []}
    ws = None
    http = AsyncHTTPClient(force_instance=True)
    try:
        out["request_t"] = start = time.monotonic()
        page = await http.fetch(url, request_timeout=900, connect_timeout=60)
        out["page_s"] = time.monotonic() - start
        html = page.body.decode()
        kernel_id = re.search(r'"kernelId":\s*"([0-9a-f-]{36})"', html).group(1)
        out["kernel_id"] = kernel_id
        xsrf = next((c.split("=", 1)[1].split(";", 1)[0] for c in
                     page.headers.get_list("Set-Cookie") if c.startswith("_xsrf=")), "")
        out["xsrf"] = xsrf
        if "voila-error" in html or "Traceback" in html:
            errors.append("error in the page")
        session = uuid.uuid4().hex
        ws = await websocket_connect(
            f"ws://127.0.0.1:{server.port}/api/kernels/{kernel_id}/channels"
            f"?session_id={session}", max_message_size=256 * MB)
        # ipywidgets 8's control comm: every widget's state in one reply, as the page asks
        control = uuid.uuid4().hex
        await ws.write_message(_message("comm_open", {
            "comm_id": control, "target_name": "jupyter.widget.control", "data": {}},
            session, {"version": "1.0.0"}))
        await ws.write_message(_message("comm_msg", {
            "comm_id": control, "data": {"method": "request_states"}}, session))
        figures: set[str] = set()
        sliders: dict[str, dict] = {}
        deadline = time.monotonic() + 600
        states = False  # the reply to request_states (the sliders' states) has come
        while "first_plot_s" not in out or not states:
            msg = _decode(await asyncio.wait_for(ws.read_message(),
                                                 deadline - time.monotonic()))
            if msg is None:
                raise RuntimeError("the kernel's websocket closed")
            if msg["header"]["msg_type"] != "comm_msg":
                continue
            data = msg["content"]["data"]
            if data.get("method") == "update_states":  # the reply: {model_id: {state}}
                states = True
                for model_id, model in data["states"].items():
                    state = model.get("state", {})
                    if "_widget_data" in state:
                        figures.add(model_id)
                        if _has_traces(state):
                            out.setdefault("first_plot_t", time.monotonic())
                    if model.get("model_name") == "IntSliderModel":
                        sliders[model_id] = state
            elif data.get("method") == "update":
                state = data.get("state", {})
                if any(k.startswith("_py2js") for k in state):  # a figure draws
                    figures.add(msg["content"]["comm_id"])
                    out.setdefault("first_plot_t", time.monotonic())
            if "first_plot_t" in out and "first_plot_s" not in out:
                out["first_plot_s"] = out["first_plot_t"] - start
                _kernel_stats(server, out, start)
                drawn.set()
        target = _target_slider(sliders, preset)
        if target is None:
            raise RuntimeError("no slider to move")
        comm_id, state = target
        value = state["value"]
        await _drain(ws, 2.0)  # the page's own computation settles
        for _ in range(moves):
            await _drain(ws, 0.5)  # a student's pause; the last move's messages are read
            value = min(state["max"], value + state.get("step", 1))
            t = time.monotonic()
            await ws.write_message(_message("comm_msg", {"comm_id": comm_id, "data": {
                "method": "update", "state": {"value": value}, "buffer_paths": []}}, session))
            while True:
                msg = _decode(await asyncio.wait_for(ws.read_message(), 300))
                if msg is None:
                    raise RuntimeError("the kernel's websocket closed")
                if msg["header"]["msg_type"] != "comm_msg" or \
                        msg["content"]["comm_id"] not in figures:
                    continue
                changed = msg["content"]["data"].get("state", {})
                if any(k.startswith("_py2js") or k == "_widget_data" for k in changed):
                    break
            out["latencies_s"].append(time.monotonic() - t)
    except Exception as exc:  # a timeout is a result
        errors.append(f"{type(exc).__name__}: {exc}"[:240])
    drawn.set()
    moved.set()
    await done.wait()
    if ws is not None:
        ws.close()
    if out.get("kernel_id"):  # the page's beacon on closing
        try:
            await http.fetch(HTTPRequest(
                f"{server.url}/voila/api/shutdown/{out['kernel_id']}", method="POST",
                body=urlencode({"_xsrf": out.get("xsrf", "")}), request_timeout=60,
                headers={"Cookie": f"_xsrf={out.get('xsrf', '')}",
                         "Content-Type": "application/x-www-form-urlencoded"}))
        except Exception as exc:
            errors.append(f"shutdown beacon: {type(exc).__name__}: {exc}"[:200])
    http.close()
    return out


async def _drain(ws, seconds: float) -> None:
    """Read (and drop) the kernel's messages for ``seconds``, and on until 0.3 s pass
    without one (at most 30 s): the previous computation's last figure messages."""
    end, hard_end = time.monotonic() + seconds, time.monotonic() + 30
    while time.monotonic() < hard_end:
        wait = max(end - time.monotonic(), 0.3)
        try:
            if await asyncio.wait_for(ws.read_message(), wait) is None:
                return
        except TimeoutError:
            if time.monotonic() >= end:
                return


def _target_slider(sliders: dict, preset: int | None):
    for comm_id, state in sliders.items():
        if "value" in state and (preset is None or state["value"] == preset):
            return comm_id, state
    return None


def _kernel_stats(server: Server, out: dict, start: float) -> None:
    """The page's kernel at its first plot: private memory, CPU-s since the request."""
    import psutil

    pid = server.kernel_pid(out["kernel_id"])
    if pid is None:
        return
    with contextlib.suppress(psutil.Error):
        proc = psutil.Process(pid)
        out["kernel_uss_mb"] = round(proc.memory_full_info().uss / MB)
        t = proc.cpu_times()
        out["kernel_cpu_to_first_plot_s"] = round(t.user + t.system - server.cpu_of(pid, start),
                                                  3)


def _browser_wrapper(tmp: Path, nice: int) -> str:
    chromium = shutil.which("chromium")
    if nice <= 0:
        return chromium
    wrapper = tmp / "chromium-nice"
    wrapper.write_text(f"#!/bin/sh\nexec nice -n {nice} {chromium} \"$@\"\n")
    wrapper.chmod(0o755)
    return str(wrapper)


async def _arrive(server: Server, n: int, args, tag: str, tmp: Path, client: str) -> dict:
    from urllib.parse import parse_qsl

    url = f"{server.url}/voila/render/{args.dashboard}.ipynb?{args.query}"
    preset = dict(parse_qsl(args.query)).get("n")
    done = asyncio.Event()
    drawn = [asyncio.Event() for _ in range(n)]
    moved = [asyncio.Event() for _ in range(n)]
    spread = args.window / n if n > 1 else 0.0

    async def run(make_session):
        t0 = time.monotonic()
        tasks = [asyncio.create_task(make_session(i)) for i in range(n)]
        for event in drawn:  # every page drawn (or failed): memory with all open
            await event.wait()
        memory_drawn = await asyncio.to_thread(server.pss)
        for event in moved:
            await event.wait()
        return tasks, t0, memory_drawn

    if client == "protocol":
        tasks, t0, memory_drawn = await run(lambda i: _protocol_session(
            server, url, int(preset) if preset else None, i * spread, args.moves, drawn[i],
            moved[i], done))
        done.set()
        sessions = await asyncio.gather(*tasks)
        return {"sessions": sessions, "t0": t0, "memory_drawn": memory_drawn,
                "browser_cpu_s": None}
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=_browser_wrapper(tmp, args.nice),
                                           args=CHROMIUM_ARGS, headless=True)
        try:
            browser_cpu0 = _chromium_cpu()
            tasks, t0, memory_drawn = await run(lambda i: _session(
                browser, server, url, i * spread, args.moves, drawn[i], moved[i], done,
                RESULTS / f"class-failed-{tag}-{i}.png"))
            browser_cpu = _chromium_cpu() - browser_cpu0
            done.set()
            sessions = await asyncio.gather(*tasks)
        finally:
            await browser.close()
    return {"sessions": sessions, "t0": t0, "memory_drawn": memory_drawn,
            "browser_cpu_s": browser_cpu}


async def _run_level(n: int, config: str, args, tmp: Path, jax_cache: Path,
                     client: str) -> dict:
    pool_args = {
        "class": ["--pool-size=0", f"--pool={args.dashboard}={n}"],
        "class-norefill": ["--pool-size=0", f"--pool={args.dashboard}={n}", "--no-refill"],
        "default": [],
        "cold": ["--pool-size=0"],
    }[config]
    pooled = {"class": n, "class-norefill": n, "default": len(DASHBOARDS), "cold": 0}[config]
    tag = f"{config}-{n}-{client}"
    for old in RESULTS.glob(f"class-failed-{tag}-*.png"):
        old.unlink()
    log_path = RESULTS / f"class-server-{tag}.log"
    server = Server(pool_args, log_path, jax_cache)
    level: dict = {"config": config, "client": client, "sessions": n, "server_args": pool_args,
                   "load_average_before": [round(x, 2) for x in os.getloadavg()]}
    try:
        level["pool_fill_s"] = round(await asyncio.to_thread(server.wait_quiet, pooled), 1)
        level["memory_rest"] = await asyncio.to_thread(server.pss)
        arrival = await _arrive(server, n, args, tag, tmp, client)
        sessions = arrival["sessions"]
        # closed: kernels back to the pool's count (refills included), then memory
        start = time.monotonic()
        target = pooled if config != "class-norefill" else 0
        await asyncio.sleep(10)  # past Voila's fill_delay (8 s): refills have started
        while time.monotonic() - start < 180 and len(server.kernels()) != target:
            await asyncio.sleep(1)
        await asyncio.to_thread(server.wait_quiet, target, 180)
        level["memory_after_close"] = await asyncio.to_thread(server.pss)
        level["after_close_wait_s"] = round(time.monotonic() - start, 1)
    finally:
        level["stop"] = await asyncio.to_thread(server.stop)
    drawn = [s for s in sessions if "first_plot_s" in s]
    firsts = [s["first_plot_s"] for s in drawn]
    lat = [x for s in sessions for x in s["latencies_s"]]
    last_first = max((s["first_plot_t"] for s in drawn), default=arrival["t0"])
    first_request = min((s["request_t"] for s in sessions if "request_t" in s),
                        default=arrival["t0"])
    server_cpu = server.cpu_between(first_request, last_first)
    own = [s["kernel_cpu_to_first_plot_s"] for s in drawn if "kernel_cpu_to_first_plot_s" in s]
    uss = [s["kernel_uss_mb"] for s in drawn if "kernel_uss_mb" in s]
    log = log_path.read_text()
    errors = [e for s in sessions for e in s["errors"]]
    errors += ["server log: Timeout waiting for IOPub output"] * log.count(
        "Timeout waiting for IOPub output")
    rest, at_drawn = level["memory_rest"], arrival["memory_drawn"]
    level.update({
        "pages_drawn": f"{len(drawn)}/{n}",
        "first_plot_median_s": round(statistics.median(firsts), 2) if firsts else None,
        "first_plot_worst_s": round(max(firsts), 2) if firsts else None,
        "control_to_plot_median_s": round(statistics.median(lat), 3) if lat else None,
        "control_to_plot_worst_s": round(max(lat), 3) if lat else None,
        "moves": len(lat),
        "errors": errors,
        "preheated_pages": sum(f"Using pre-heated kernel: {s.get('kernel_id')}" in log
                               for s in drawn),
        "server_cpu_s_per_session": round(server_cpu / n, 2),
        "server_cpu_window_s": round(last_first - first_request, 1),
        "own_kernel_cpu_s_request_to_first_plot": {
            "median": round(statistics.median(own), 2) if own else None,
            "worst": round(max(own), 2) if own else None},
        "kernel_uss_mb_at_first_plot": {
            "median": statistics.median(uss) if uss else None,
            "worst": max(uss) if uss else None},
        "memory_all_drawn": at_drawn,
        "memory_per_session_mb": round((at_drawn["pss_mb"] - rest["pss_mb"]) / n),
        "browser_cpu_s_per_session": (round(arrival["browser_cpu_s"] / n, 2)
                                      if arrival["browser_cpu_s"] is not None else None),
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "server_log": str(log_path.relative_to(ROOT)),
    })
    return level


async def _jax_check(tmp: Path) -> dict:
    """A lazy pool kernel's CPU-s to its first view: empty cache, then warm cache."""
    cache = tmp / "jax-check"
    out = {}
    for label in ("empty_cache", "warm_cache"):
        server = Server(["--pool-size=0", "--pool=lazy=1"],
                        RESULTS / f"class-server-jax-{label}.log", cache)
        try:
            await asyncio.to_thread(server.wait_quiet, 1, 600)
            kernels = server.kernels()
            cpu = [server.cpu_of(k.pid, time.monotonic()) for k in kernels]
            out[label] = {"kernel_cpu_s_to_first_view": round(sum(cpu), 2),
                          "cache_files": len(list(cache.glob("*-cache")))}
        finally:
            await asyncio.to_thread(server.stop)
    if out["warm_cache"]["kernel_cpu_s_to_first_view"]:
        out["ratio_empty_to_warm"] = round(out["empty_cache"]["kernel_cpu_s_to_first_view"]
                                           / out["warm_cache"]["kernel_cpu_s_to_first_view"], 2)
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, nargs="*", default=[1, 8, 30])
    parser.add_argument("--configs", nargs="*", default=["class", "default"],
                        choices=["class", "class-norefill", "default"])
    parser.add_argument("--clients", nargs="*", default=["protocol", "browser"],
                        choices=["protocol", "browser"],
                        help="protocol: a websocket client doing what a page's widget "
                             "manager does (the server's times); browser: one headless "
                             "Chromium, a context per student (adds the browsers' work)")
    parser.add_argument("--window", type=float, default=10.0,
                        help="arrivals spread over this many seconds (default 10)")
    parser.add_argument("--dashboard", default="spectrum", choices=DASHBOARDS)
    parser.add_argument("--query", default="n=500", help="URL preset (default n=500)")
    parser.add_argument("--moves", type=int, default=3)
    parser.add_argument("--browser-nice", dest="nice", type=int, default=19)
    parser.add_argument("--no-reference", action="store_true",
                        help="skip the cold-start reference (one session, no pool)")
    parser.add_argument("--no-jax-check", action="store_true")
    args = parser.parse_args(argv)
    if any(not 1 <= n <= 40 for n in args.sessions):
        parser.error("sessions must be in 1..40")
    reason = browser_missing()
    if reason:
        print(json.dumps({"skipped": reason}))
        return 0
    RESULTS.mkdir(exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="ntklab-class-"))
    jax_cache = tmp / "jax"  # one server-owned cache for the whole run, filled by the pools
    report: dict = {"dashboard": args.dashboard, "query": args.query, "window_s": args.window,
                    "moves": args.moves, "browser_nice": args.nice, "cpus": os.cpu_count(),
                    "load_average_before": [round(x, 2) for x in os.getloadavg()],
                    "levels": []}
    try:
        if not args.no_reference:
            print("reference: cold start ...", file=sys.stderr, flush=True)
            report["reference_cold_start"] = asyncio.run(
                _run_level(1, "cold", args, tmp, jax_cache, args.clients[0]))
            print(json.dumps(report["reference_cold_start"]), file=sys.stderr, flush=True)
        for client in args.clients:
            for config in args.configs:
                for n in args.sessions:
                    print(f"{client}, {config}, N = {n} ...", file=sys.stderr, flush=True)
                    report["levels"].append(asyncio.run(_run_level(n, config, args, tmp,
                                                                   jax_cache, client)))
                    print(json.dumps(report["levels"][-1]), file=sys.stderr, flush=True)
        if not args.no_jax_check:
            print("JAX cache check ...", file=sys.stderr, flush=True)
            report["jax_cache"] = asyncio.run(_jax_check(tmp))
        reference = report.get("reference_cold_start", {}).get(
            "own_kernel_cpu_s_request_to_first_plot", {}).get("median")
        for level in report["levels"]:
            own = level["own_kernel_cpu_s_request_to_first_plot"]["median"]
            if reference and own is not None:
                level["own_kernel_cpu_ratio_to_cold_start"] = round(own / reference, 3)
    finally:
        report["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
        shutil.rmtree(tmp, ignore_errors=True)
    write_report("class", report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
