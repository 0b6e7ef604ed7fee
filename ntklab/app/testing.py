"""Serve the dashboards with Voila and drive them in headless Chromium.

Shared by ``tests/app/test_browser.py`` and ``benchmarks/bench_browser.py``. Needs Debian's
``chromium`` and the ``playwright`` Python package (no Playwright browser download; see
TESTING.md). Nothing here is imported by the dashboards themselves.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

from .serving.voila import voila_command, voila_env

__all__ = [
    "CHROMIUM_ARGS",
    "VoilaURL",
    "browser_missing",
    "free_port",
    "kernel_process",
    "launch_chromium",
    "move_slider",
    "page_kernel_id",
    "page_report",
    "plot_signature",
    "serve_voila",
    "server_processes",
    "wait_for_plots",
    "wait_until_quiet",
    "watch_page",
]

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run",
]


def browser_missing() -> str | None:
    """Why a browser test cannot run here, or None."""
    if shutil.which("chromium") is None:
        return "Debian's chromium is not installed (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright Python package is not installed"
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_port(port: int, proc: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"Voila exited early with code {proc.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.1)
    raise TimeoutError(f"Voila did not answer on port {port} within {timeout:.0f} s")


class VoilaURL(str):
    """The base URL of a served Voila (a ``str``), with the server's ``pid`` and
    ``log_path``."""

    pid: int = 0
    log_path: Path | None = None


@contextlib.contextmanager
def serve_voila(*, preheat: bool = False, port: int | None = None, log_path: Path | None = None,
                timeout: float = 60.0, folder: Path | None = None, extra_args=()):
    """Run ``ntklab app`` 's Voila on 127.0.0.1 in its own process group; yield its base URL
    (a :class:`VoilaURL`: also the server's pid). ``extra_args`` are appended to Voila's
    command line (tests that need a server configured otherwise).

    The whole group (server and kernels) is killed on exit.
    """
    port = port or free_port()
    argv, cwd = voila_command(port, open_browser=False, preheat=preheat, folder=folder)
    argv += list(extra_args)
    log = open(log_path, "w") if log_path else subprocess.DEVNULL
    proc = subprocess.Popen(argv, cwd=cwd, env=voila_env(), stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)
    try:
        _wait_port(port, proc, timeout)
        url = VoilaURL(f"http://127.0.0.1:{port}")
        url.pid, url.log_path = proc.pid, log_path
        yield url
    finally:
        # kernels run in their own sessions: note them, so none outlives the server
        kernels = []
        with contextlib.suppress(Exception):
            kernels = server_processes(proc.pid)[1:]
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)  # Voila shuts its kernels down
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)
        for kernel in kernels:
            with contextlib.suppress(Exception):
                kernel.kill()
        if log is not subprocess.DEVNULL:
            log.close()


def launch_chromium(playwright):
    return playwright.chromium.launch(executable_path=shutil.which("chromium"),
                                      args=CHROMIUM_ARGS, headless=True)


def wait_for_plots(page, count: int, timeout_ms: float = 60_000) -> None:
    """Wait until ``count`` plotly plots have drawn at least one trace."""
    page.wait_for_function(
        """n => { const p = [...document.querySelectorAll('.js-plotly-plot')];
                  return p.length >= n && p.slice(0, n).every(e => e.data && e.data.length > 0
                         && e.data.some(t => t.x && t.x.length > 0)); }""",
        arg=count, timeout=timeout_ms)


def watch_page(page) -> None:
    """Record on ``page`` what a failed wait needs to be explained: every uncaught error
    (``page.page_errors``) and console error (``page.console_errors``), and in
    ``page.events`` the last 40 console errors and warnings, failed requests, responses of
    status 400 or more and websocket opens and closes."""
    page.page_errors, page.console_errors, page.events = [], [], []

    def note(text: str) -> None:
        page.events.append(f"{time.strftime('%H:%M:%S')} {text}")
        del page.events[:-40]

    def console(msg) -> None:
        if msg.type == "error":
            page.console_errors.append(msg.text[:300])
        if msg.type in ("error", "warning"):
            note(f"console {msg.type}: {msg.text[:300]}")

    page.on("pageerror", lambda exc: page.page_errors.append(str(exc)))
    page.on("console", console)
    page.on("requestfailed", lambda req: note(f"failed {req.method} {req.url[:160]}: "
                                              f"{req.failure}"))
    page.on("response", lambda r: r.status >= 400 and note(f"{r.status} {r.url[:160]}"))
    page.on("websocket", lambda ws: (note(f"websocket opened {ws.url[:160]}"),
                                     ws.on("close", lambda w: note(f"websocket closed "
                                                                   f"{w.url[:160]}"))))


_REPORT_JS = """() => {
  const plots = [...document.querySelectorAll('.js-plotly-plot')];
  const text = s => [...document.querySelectorAll(s)].map(e => e.innerText.slice(0, 500));
  return {plots: plots.length,
          drawn: plots.filter(e => e.data && e.data.some(t => t.x && t.x.length)).length,
          errors: text('.voila-error, .jp-RenderedText[data-mime-type*="stderr"]'),
          kernel_lost: document.querySelectorAll('.ntklab-kernel-lost').length,
          widgets_unrendered: document.querySelectorAll(
              'script[type="application/vnd.jupyter.widget-view+json"]').length,
          body: document.body ? document.body.innerText.slice(0, 1500) : ''};
}"""


def page_report(page) -> str:
    """What a page shows and what went wrong on it (for a failed wait's message): its URL,
    plots found and drawn, error boxes, the kernel-lost note, the start of its text, and
    what :func:`watch_page` recorded."""
    try:
        state = page.evaluate(_REPORT_JS)
    except Exception as exc:  # a page that cannot even run a script: say so
        state = {"evaluate failed": str(exc)[:300]}
    lines = [f"url: {page.url}", f"state: {state}"]
    lines += [f"page error: {e[:500]}" for e in getattr(page, "page_errors", [])]
    lines += [f"console error: {e}" for e in getattr(page, "console_errors", [])]
    lines += getattr(page, "events", [])
    return "\n".join(lines)


# A short fingerprint of what every plot draws (trace lengths and a few sums), compared
# before and after a control change.
_SIGNATURE_JS = """() => [...document.querySelectorAll('.js-plotly-plot')].map(e =>
    JSON.stringify((e.data || []).map(t => {
        const f = a => { if (!a) return 0; let s = 0;
            const nested = Array.isArray(a[0]) || ArrayBuffer.isView(a[0]);
            const flat = nested ? [].concat(...a.map(r => Array.from(r))) : Array.from(a);
            for (const v of flat) { const x = Number(v); if (isFinite(x)) s += x; } return s; };
        return [t.x ? t.x.length : 0, f(t.x).toPrecision(8), f(t.y).toPrecision(8),
                f(t.z).toPrecision(8), t.visible];
    })) + JSON.stringify(e.layout && e.layout.shapes ? e.layout.shapes.map(s => s.x0) : []))"""


def plot_signature(page) -> list[str]:
    return page.evaluate(_SIGNATURE_JS)


def move_slider(page, index: int = 0, key: str = "ArrowRight", presses: int = 1) -> None:
    """Focus the ``index``-th ipywidgets slider handle and press ``key``."""
    handle = page.locator(".noUi-handle").nth(index)
    handle.focus()
    for _ in range(presses):
        handle.press(key)


def page_kernel_id(page) -> str:
    """The id of the kernel serving a Voila page (from the page's config)."""
    import json

    return json.loads(page.locator("#jupyter-config-data").text_content())["kernelId"]


def server_processes(server_pid: int) -> list:
    """psutil processes of a Voila server and all its kernels."""
    import psutil

    root = psutil.Process(server_pid)
    return [root, *root.children(recursive=True)]


def kernel_process(server_pid: int, kernel_id: str):
    """The psutil process of one kernel of the Voila server ``server_pid``."""
    for proc in server_processes(server_pid)[1:]:
        with contextlib.suppress(Exception):
            if any(kernel_id in part for part in proc.cmdline()):
                return proc
    raise LookupError(f"no process for kernel {kernel_id}")


def _cpu_seconds(server_pid: int) -> float:
    """CPU seconds used so far by a Voila server and its kernels (the living ones)."""
    total = 0.0
    for proc in server_processes(server_pid):
        with contextlib.suppress(Exception):
            times = proc.cpu_times()
            total += times.user + times.system
    return total


def wait_until_quiet(server_pid: int, *, at_least: float = 0.0, kernels: int = 0,
                     quiet: float = 0.15, limit: float = 120.0) -> float:
    """Block until a Voila server and its kernels are quiet; returns the seconds waited.

    Waits ``at_least`` seconds and until the server has ``kernels`` kernel processes, then
    until server and kernels together use less than ``quiet`` CPU-seconds over one second
    (preheated pools filled, their notebooks run), ``limit`` seconds at most in all. The
    benchmarks measure only then: on a 2-core host a pool kernel running its notebook made
    measurements up to ten times their quiet value. After a page takes a preheated kernel,
    pass an ``at_least`` beyond Voila's ``fill_delay``: before it the server is quiet and
    the refill starts later, during the measurement.
    """
    start = time.perf_counter()
    time.sleep(at_least)
    while len(server_processes(server_pid)) - 1 < kernels \
            and time.perf_counter() - start < limit:
        time.sleep(0.5)
    before = _cpu_seconds(server_pid)
    while time.perf_counter() - start < limit:
        time.sleep(1.0)
        now = _cpu_seconds(server_pid)
        if now - before < quiet:
            break
        before = now
    return time.perf_counter() - start
