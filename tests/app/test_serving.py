"""Serving a class: faults and exposure, against the session's Voila server (conftest.py).

- a kernel killed mid-session: the page says so, a reload gives a working dashboard;
- a slider storm: only the latest values are computed (headless, exact counts) and, in the
  browser, the final plot matches the final control value and kernel memory settles;
- the served page carries no code cell source and an error shows no traceback; paths
  outside the dashboards are not served;
- ``ntklab app`` stops with every kernel on SIGTERM and SIGINT (processes counted before and
  after); a closed tab frees its kernel at once, also the index page and a page closed while
  it loads.
"""

from __future__ import annotations

import contextlib
import gc
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import UTC
from pathlib import Path

import pytest

from ntklab.app.testing import (
    free_port,
    kernel_process,
    move_slider,
    page_kernel_id,
    wait_for_plots,
    wait_until_quiet,
)

ROOT = Path(__file__).resolve().parents[2]
DASHBOARDS = ROOT / "notebooks" / "dashboards"

_LENGTHS_JS = ("() => [...document.querySelectorAll('.js-plotly-plot')]"
               ".flatMap(e => (e.data || []).map(t => t.x ? t.x.length : 0))")


# From the page: open the kernel's websocket like the widget manager does, send an
# execute_request and a kernel_info_request, and list the reply types seen in 4 s.
_EXECUTE_JS = """async ({kernel, code}) => {
  const base = JSON.parse(document.getElementById('jupyter-config-data').textContent).baseUrl;
  const url = `ws://${location.host}${base}api/kernels/${kernel}/channels?session_id=probe`;
  const ws = new WebSocket(url);
  await new Promise((ok, bad) => { ws.onopen = ok; ws.onerror = bad; });
  const seen = [];
  ws.onmessage = (e) => { try { seen.push(JSON.parse(e.data).header.msg_type); } catch (x) {} };
  const msg = (type, content) => JSON.stringify({
    header: {msg_id: type + Math.random(), msg_type: type, username: '', session: 'probe',
             version: '5.3', date: new Date().toISOString()},
    parent_header: {}, metadata: {}, content, channel: 'shell', buffers: []});
  ws.send(msg('execute_request', {code, silent: false, store_history: false,
                                  user_expressions: {}, allow_stdin: false,
                                  stop_on_error: true}));
  ws.send(msg('kernel_info_request', {}));
  await new Promise(ok => setTimeout(ok, 4000));
  ws.close();
  return seen;
}"""


def _wait_status(page, word: str, timeout: float = 60.0) -> str:
    deadline = time.monotonic() + timeout
    text = ""
    while time.monotonic() < deadline:
        status = page.locator(".ntklab-status")
        text = status.inner_text() if status.count() else ""
        if word in text:
            return text
        time.sleep(0.1)
    raise AssertionError(f"status never said {word!r}; last: {text!r}")


# ---------------------------------------------------------------------------------------
# serving pieces, no browser


def test_voila_command_serves_plotly_bundle_by_url():
    from ntklab.app.serving.plotly_bundle import (
        ENV,
        PLOTLY_JS_VERSION,
        URL_PATH,
        bundle_dir,
        front_end_esm,
    )
    from ntklab.app.serving.voila import voila_command, voila_env

    argv, cwd = voila_command(9999, open_browser=False, pool_size=2)
    assert f"--VoilaConfiguration.extra_labextensions_path={bundle_dir()}" in argv
    assert "--VoilaConfiguration.default_pool_size=2" in argv
    assert (cwd / "voila.json").is_file()
    assert (bundle_dir() / URL_PATH.rsplit("/", 1)[1]).is_file()
    assert voila_env({})[ENV] == URL_PATH
    assert front_end_esm({}) is None  # JupyterLab etc.: plotly's own front end
    esm = front_end_esm({ENV: URL_PATH})
    assert f'const BUNDLE = "{URL_PATH}?v={PLOTLY_JS_VERSION}";' in esm
    assert "import(" in esm and len(esm) < 10_000
    config = json.loads((cwd / "voila.json").read_text())
    assert config["VoilaConfiguration"]["strip_sources"] is True
    assert config["VoilaConfiguration"]["show_tracebacks"] is False
    assert config["MappingKernelManager"]["cull_idle_timeout"] > 0
    # nbclient's default (4 s) dropped a busy kernel's dashboard output: a blank page
    assert config["VoilaExecutor"]["iopub_timeout"] >= 30


def test_pool_per_dashboard_base_url_and_jax_cache(tmp_path):
    from ntklab.app.serving.voila import JAX_CACHE_MAX_BYTES, voila_command, voila_env

    argv, _ = voila_command(9999, pools={"spectrum": 30, "lazy.ipynb": 0}, pool_size=2,
                            base_url="user/ada/ntklab")
    config = json.loads(next(a for a in argv if a.startswith(
        "--NtklabVoila.kernel_pools=")).split("=", 1)[1])
    assert config == {"default": {"pool_size": 2}, "spectrum.ipynb": {"pool_size": 30},
                      "lazy.ipynb": {"pool_size": 0}}
    assert "--Voila.base_url=/user/ada/ntklab/" in argv
    assert "--Voila.port_retries=0" in argv  # a taken port fails, never a silent other port
    argv, _ = voila_command(9999, pools={"spectrum": 3})  # default: voila.json's pool size
    assert '"default": {"pool_size": 1}' in argv[-1]
    with pytest.raises(ValueError, match="no dashboard 'spectra'"):
        voila_command(9999, pools={"spectra": 3})
    env = voila_env({}, jax_cache=tmp_path / "jax")
    assert env["JAX_COMPILATION_CACHE_DIR"] == str(tmp_path / "jax")
    assert (tmp_path / "jax").is_dir()
    assert env["JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS"] == "0"
    # a capped cache is LRU-evicted under JAX's file lock: no kernel reads a half-written entry
    assert int(env["JAX_COMPILATION_CACHE_MAX_SIZE"]) == JAX_CACHE_MAX_BYTES
    import filelock  # noqa: F401  (JAX needs it for the capped cache)

    assert "JAX_COMPILATION_CACHE_DIR" not in voila_env({}, jax_cache=False)


def test_kernels_talk_over_unix_sockets_where_the_path_fits(tmp_path):
    """Kernels over TCP on localhost died at start now and then ("Address already in use":
    jupyter_client picks the ports, the kernel binds them a moment later, and another
    user's server took one in between; the page never loaded). Voila's kernels use Unix
    sockets in its private connection directory instead, whose path must fit sun_path."""
    from ntklab.app.serving import voila
    from ntklab.app.serving.voila import SOCKET_PATH_MAX, kernel_transport_args, voila_command

    if os.name != "posix":
        assert kernel_transport_args() == []
        return
    argv, _ = voila_command(9999, open_browser=False)
    assert "--KernelManager.transport=ipc" in argv
    root = next(a for a in argv if a.startswith("--Voila.connection_dir_root=")).split("=")[1]
    socket = f"{root}/voila_abcdefgh/kernel-{'0' * 8}-{'0' * 4}-{'0' * 4}-{'0' * 4}-" \
             f"{'0' * 12}-ipc-5"
    assert len(socket) <= SOCKET_PATH_MAX
    # too long a temporary directory (macOS's /var/folders/...): the next root that fits
    deep = tmp_path / ("x" * 60)
    deep.mkdir()
    assert len(str(deep)) > SOCKET_PATH_MAX - voila._SOCKET_NAME_LENGTH
    assert kernel_transport_args((str(deep), "/tmp")) == [
        "--KernelManager.transport=ipc", "--Voila.connection_dir_root=/tmp"]
    # none fits, or none is writable: TCP, as Voila's default
    assert kernel_transport_args((str(deep),)) == []
    assert kernel_transport_args((str(tmp_path / "missing"),)) == []


def test_cli_refuses_bad_pools():
    from ntklab.cli import build_parser

    args = build_parser().parse_args(["app", "--pool", "spectrum=30", "--pool", "lazy=0"])
    assert args.pool == [("spectrum", 30), ("lazy", 0)]
    for bad in ("spectrum", "spectrum=x", "spectrum=-1", "=3"):
        with pytest.raises(SystemExit):
            build_parser().parse_args(["app", "--pool", bad])


def test_vendored_plotly_js_is_the_one_plotly_py_bundles():
    """ntklab's plotly.js bundle draws what plotly.py (its Python side) sends: same plotly.js
    version, as named in the files' headers. A plotly.py upgrade that changes plotly.js
    fails here: pin the matching ``plotly.js`` in tools/plotly-bundle and rebuild."""
    from pathlib import Path

    import plotly

    from ntklab.app.serving.plotly_bundle import (
        BUNDLE,
        PLOTLY_JS_VERSION,
        bundle_dir,
        plotly_js_version,
    )

    ours = plotly_js_version(bundle_dir() / BUNDLE)
    theirs = plotly_js_version(Path(plotly.__file__).parent / "package_data" / "plotly.min.js")
    assert ours == PLOTLY_JS_VERSION == theirs
    assert (bundle_dir() / "plotly.js-LICENSE.txt").read_text().startswith("MIT License")


def test_plotly_import_leaves_no_blocked_module_behind():
    import sys

    from ntklab.app.serving.plotly_bundle import import_graph_objects

    go = import_graph_objects()
    assert hasattr(go, "FigureWidget")
    assert sys.modules.get("rfc3987_syntax", "absent") is not None


def test_kernel_watch_answers_pings():
    from ntklab.app.serving.watch import KernelWatch

    watch, sent = KernelWatch(), []
    watch.send = sent.append
    watch._answer(watch, {"ping": 123}, [])
    watch._answer(watch, {"other": 1}, [])
    assert sent == [{"pong": 123}]
    assert watch.timeout_ms > watch.interval_ms > 0


def _png_size(path: Path) -> tuple[int, int]:
    """(width, height) from a PNG's IHDR chunk."""
    import struct

    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n" and head[12:16] == b"IHDR", path
    return struct.unpack(">II", head[16:24])


def test_index_thumbnails_are_whole_dashboards():
    """index.ipynb's pictures: one per dashboard it links, each the whole page (taller than
    the first screen, not a 1280 × 900 crop), about 1100 px wide and compressed.
    Regenerate them with NTKLAB_THUMBNAILS=1 (test_browser.py::test_thumbnail_at_defaults)."""
    index = json.loads((DASHBOARDS / "index.ipynb").read_text())
    text = "".join("".join(c["source"]) for c in index["cells"])
    shown = re.findall(r'<img src="(img/[^"]+\.png)" width="(\d+)"', text)
    linked = set(re.findall(r"\]\((\w+)\.ipynb\)", text))
    assert {Path(src).stem for src, _ in shown} == linked and len(linked) == 7, (shown, linked)
    for src, width_shown in shown:
        path = DASHBOARDS / src
        width, height = _png_size(path)
        assert 1000 <= width <= 1200, (src, width)
        assert 1.0 <= height / width <= 3.0, (src, width, height)  # a whole dashboard
        assert path.stat().st_size <= 400_000, (src, path.stat().st_size)
        assert int(width_shown) <= width  # shown no larger than taken


# ---------------------------------------------------------------------------------------
# headless: the latest-wins worker under a storm (no browser needed)


def test_slider_storm_headless_computes_only_the_latest():
    psutil = pytest.importorskip("psutil")
    from ntklab.app import SpectrumDashboard

    dash = SpectrumDashboard()  # threaded, like in Voila
    assert dash.wait(120)
    gc.collect()
    base = psutil.Process().memory_info().rss
    renders = dash.renders
    slider = dash.controls["n"]
    values = [200 + 10 * (i % 120) for i in range(300)]  # 300 changes, as a dragged slider
    start = time.perf_counter()
    for v in values:
        slider.value = v
    storm_s = time.perf_counter() - start
    assert dash.wait(120)
    assert dash.error is None
    # the final plot is the final value: the eigenvalue plot's x axis has n points
    assert dash.values()["n"] == values[-1]
    assert len(dash.result.x) == values[-1]
    # no backlog: a handful of renders for 300 changes (each job is cancelled or replaced)
    assert dash.renders - renders <= 10, (dash.renders - renders, storm_s)
    gc.collect()
    grown = (psutil.Process().memory_info().rss - base) / 2**20
    assert grown < 150, f"RSS grew by {grown:.0f} MB after the storm"


# ---------------------------------------------------------------------------------------
# browser


@pytest.mark.browser
def test_killed_kernel_shows_a_message_and_reload_works(page, base_url):
    page.goto(f"{base_url}/voila/render/frequency.ipynb?n=64", timeout=90_000)
    wait_for_plots(page, 4, timeout_ms=90_000)
    kernel = kernel_process(base_url.pid, page_kernel_id(page))
    kernel.kill()
    banner = page.locator(".ntklab-kernel-lost")
    banner.wait_for(state="visible", timeout=30_000)
    assert "Reload the page" in banner.inner_text()
    page.page_errors.clear()
    page.reload(timeout=90_000)
    wait_for_plots(page, 4, timeout_ms=90_000)
    _wait_status(page, "Ready")
    lengths = page.evaluate(_LENGTHS_JS)
    assert 64 in lengths, lengths  # the URL preset reached the new kernel
    move_slider(page, 1)  # t
    _wait_status(page, "Ready")
    assert page.locator(".ntklab-kernel-lost").count() == 0
    assert page.locator(".voila-error").count() == 0
    assert not page.page_errors, page.page_errors


@pytest.mark.browser
def test_a_page_kernel_listens_on_private_unix_sockets(page, base_url):
    """The served kernel's connection file says ipc, its five sockets are Unix sockets, and
    they sit in a directory only the server's user can enter."""
    import stat

    page.goto(f"{base_url}/voila/render/spectrum.ipynb?n=50", timeout=90_000)
    wait_for_plots(page, 3, timeout_ms=90_000)
    kernel = kernel_process(base_url.pid, page_kernel_id(page))
    cmdline = kernel.cmdline()
    info = json.loads(Path(cmdline[cmdline.index("-f") + 1]).read_text())
    assert info["transport"] == "ipc", info
    folder = Path(info["ip"]).parent
    assert stat.S_IMODE(folder.stat().st_mode) & 0o077 == 0, oct(folder.stat().st_mode)
    for channel in ("shell", "iopub", "stdin", "control", "hb"):
        path = Path(f"{info['ip']}-{info[channel + '_port']}")
        assert stat.S_ISSOCK(path.stat().st_mode), path


@pytest.mark.browser
def test_slider_storm_in_the_browser(page, base_url):
    pytest.importorskip("psutil")
    page.goto(f"{base_url}/voila/render/spectrum.ipynb?n=100", timeout=90_000)
    wait_for_plots(page, 3, timeout_ms=90_000)
    _wait_status(page, "Ready")
    kernel = kernel_process(base_url.pid, page_kernel_id(page))
    base = kernel.memory_info().rss
    handle = page.locator(".noUi-handle").nth(0)  # n: 100 → +10 per press
    handle.focus()
    presses = 120
    start = time.perf_counter()
    for _ in range(presses):
        handle.press("ArrowRight")
    storm_s = time.perf_counter() - start
    final_n = 100 + 10 * presses
    page.wait_for_function(f"() => ({_LENGTHS_JS})().includes({final_n})", timeout=90_000)
    _wait_status(page, "Ready")
    # the readout of the slider and the plot agree on the final value
    readout = page.locator(".widget-readout").nth(0).inner_text()
    assert readout.replace(",", "").strip() == str(final_n), readout
    assert page.locator(".ntklab-status.ntklab-error").count() == 0
    assert not page.page_errors, page.page_errors
    grown = (kernel.memory_info().rss - base) / 2**20
    assert grown < 200, f"kernel RSS grew {grown:.0f} MB after {presses} moves in {storm_s:.1f} s"


@pytest.mark.browser
def test_page_has_no_code_and_errors_show_no_traceback(page, base_url):
    # an expression that parses but fails inside the dashboard, and one that is refused
    response = page.goto(f"{base_url}/voila/render/frequency.ipynb?expr=x/0&n=32",
                         timeout=90_000)
    served = response.text()
    sources = [line.strip() for nb in DASHBOARDS.glob("*.ipynb")
               for cell in json.loads(nb.read_text())["cells"] if cell["cell_type"] == "code"
               for line in "".join(cell["source"]).splitlines() if len(line.strip()) > 8]
    assert sources
    leaked = [s for s in sources if s in served]
    assert not leaked, leaked
    text = _wait_status(page, "not finite")
    body = page.locator("body").inner_text()
    for marker in ("Traceback", "File \"", ".py\", line", "ValueError"):
        assert marker not in body, marker
    assert "x/0" in text
    # the kernel's websocket takes widget messages but no code: Voila filters
    # execute_request (a kernel_info_request on the same socket is the positive control)
    marker = Path(f"/tmp/ntklab-exec-{page_kernel_id(page)}")
    replies = page.evaluate(_EXECUTE_JS, {"kernel": page_kernel_id(page),
                                          "code": f"open({str(marker)!r}, 'w').write('x')"})
    assert "kernel_info_reply" in replies, replies
    assert "execute_reply" not in replies and "execute_input" not in replies, replies
    assert not marker.exists()
    # paths outside the dashboards, and notebooks that do not exist, are refused plainly
    for path in ("/voila/render/nope.ipynb", "/voila/files/../../voila.json",
                 "/voila/files/%2e%2e/%2e%2e/pyproject.toml", "/voila/render/../README.md",
                 "/voila/files/spectrum.ipynb", "/api/contents", "/api/kernels"):
        try:
            with urllib.request.urlopen(base_url + path, timeout=30) as r:
                status, body = r.status, r.read().decode(errors="replace")
        except urllib.error.HTTPError as exc:
            status, body = exc.code, exc.read().decode(errors="replace")
        assert status in (403, 404, 405), (path, status)
        assert "Traceback" not in body and "dash.apply_url" not in body, path


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # urlopen raises HTTPError with the 30x itself


@pytest.mark.browser
def test_root_opens_the_index(page, base_url):
    """``/`` of ``ntklab app`` showed Voila's bare file list; it redirects to index.ipynb."""
    opener = urllib.request.build_opener(_NoRedirect)
    for path, query in (("/", ""), ("/?lang=zh", "?lang=zh")):
        with pytest.raises(urllib.error.HTTPError) as answer:
            opener.open(base_url + path, timeout=30)
        answer.value.close()  # its socket, else a ResourceWarning whenever it is collected
        assert answer.value.code == 302, answer.value.code
        assert answer.value.headers["Location"] == "/voila/render/index.ipynb" + query
    response = page.goto(base_url + "/", timeout=90_000)
    assert response.ok and page.url == f"{base_url}/voila/render/index.ipynb"
    page.wait_for_selector("img", timeout=60_000)
    hrefs = page.eval_on_selector_all("a", "els => els.map(e => e.getAttribute('href'))")
    assert any(h and h.startswith("spectrum.ipynb") for h in hrefs), hrefs
    assert page.locator(".jp-DirListing, .list_item").count() == 0  # no file list


@pytest.mark.browser
def test_closing_a_page_shuts_its_kernel_down(page, base_url):
    """Voila's shutdown beacon needs an `_xsrf` cookie that standalone Voila never sets;
    the dashboard's watchdog sets one, so a closed tab frees its kernel at once instead of
    after the 5-minute idle cull (a class reloading pages would pile kernels up)."""
    psutil = pytest.importorskip("psutil")
    page.goto(f"{base_url}/voila/render/spectrum.ipynb?n=100", timeout=90_000)
    wait_for_plots(page, 3, timeout_ms=90_000)
    kernel = kernel_process(base_url.pid, page_kernel_id(page))
    assert any(c["name"] == "_xsrf" for c in page.context.cookies())
    page.close(run_before_unload=True)
    gone, alive = psutil.wait_procs([kernel], timeout=30)
    assert gone and not alive, "the closed page's kernel is still running"


@pytest.mark.browser
def test_pages_request_nothing_outside_the_server(page, base_url):
    """Offline classrooms: ntklab's Voila template drops the Font Awesome stylesheets that
    Voila's own templates link from cdn.jsdelivr.net (a blocking stylesheet that a network
    dropping outside traffic would hold until it times out). The icons still draw, from the
    copy of Font Awesome in Voila's scripts."""
    outside = []
    page.on("request", lambda r: None if r.url.startswith((base_url, "data:", "blob:"))
            else outside.append(r.url))
    for path in ("/", "/voila/render/nope.ipynb"):
        page.goto(base_url + path, timeout=90_000)
        page.wait_for_load_state("load")
    page.goto(f"{base_url}/voila/render/frequency.ipynb?n=32", timeout=90_000)
    wait_for_plots(page, 3, timeout_ms=90_000)
    assert outside == []
    # the "train a finite net" button's icon (ipywidgets: <i class="fa fa-play">) is drawn
    # with the Font Awesome font
    icon = page.locator("button i.fa-play").first
    font = icon.evaluate("e => getComputedStyle(e, '::before').fontFamily")
    glyph = icon.evaluate("e => getComputedStyle(e, '::before').content")
    assert "Font Awesome" in font and glyph not in ("", "none", "normal"), (font, glyph)


@pytest.mark.browser
def test_a_dashboard_whose_kernel_cannot_start_says_so(page):
    """When a page's kernel fails to start (on an overloaded server: no answer within
    ``VoilaExecutor.startup_timeout``), Voila logs the error and keeps the page's request
    open with a heartbeat every ``http_keep_alive_timeout`` seconds, forever. ntklab's
    template says under the spinner that the server is busy, then that the dashboard did not
    start, with a reload button. Here every kernel start fails at once (an invalid
    ``startup_timeout``: Voila raises where a timed-out start raises) and heartbeats come
    every second."""
    from ntklab.app.testing import serve_voila

    broken = ["--VoilaExecutor.startup_timeout=never",
              "--VoilaConfiguration.http_keep_alive_timeout=1"]
    with serve_voila(preheat=False, extra_args=broken) as url:
        page.goto(f"{url}/voila/render/spectrum.ipynb", wait_until="commit", timeout=60_000)
        note = page.locator("#ntklab-loading-note")
        page.wait_for_selector(".ntklab-loading-busy", timeout=60_000)
        text = note.inner_text()
        assert "server is busy" in text and "服务器繁忙" in text
        assert note.locator("button").count() == 0
        page.wait_for_selector(".ntklab-loading-failed", timeout=60_000)
        text = note.inner_text()
        assert "did not start" in text and "未能启动" in text
        assert note.locator("button").inner_text() == "⟳ Reload / 刷新"
        assert page.locator(".jupyter-widgets").count() == 0  # no dashboard came


# ---------------------------------------------------------------------------------------
# stopping: ntklab app ends its server and every kernel; closed pages free their kernels


def _tree(pid: int) -> list:
    import psutil

    root = psutil.Process(pid)
    return [root, *root.children(recursive=True)]


def _wait_until(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


# like a background job of a script (SIGINT ignored, so Python raises no KeyboardInterrupt):
# the shell ignores it and execs, which keeps it ignored; no preexec_fn, whose fork JAX's
# threads in this test process would warn about
_IGNORING_SIGINT = ["/bin/sh", "-c", 'trap "" INT; exec "$0" "$@"']


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_app_stops_with_every_kernel(sig, tmp_path):
    """`ntklab app` used to die alone on SIGTERM (Voila and its kernels kept running), and a
    Voila started with SIGINT ignored ignored Ctrl-C. Both signals now end the server and
    every kernel: a pool kernel and, for SIGTERM, a page's kernel too; counted before and
    after, within the bounded wait."""
    psutil = pytest.importorskip("psutil")
    port = free_port()
    argv = [*_IGNORING_SIGINT, sys.executable, "-m", "ntklab.cli", "app", "--no-browser",
            f"--port={port}", "--pool-size=0", "--pool=frequency=1",
            f"--jax-cache={tmp_path / 'jax'}"]
    log = open(tmp_path / "app.log", "w")
    app = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    seen = []
    try:
        # ntklab app, its Voila server, the pool's kernel (+ the page's kernel)
        expected = 3
        _wait_until(lambda: len(_tree(app.pid)) >= 3, 120, "the pool's kernel")
        # the pool kernel has run its notebook up to the URL-preset cell: a signal during
        # the kernel's start would end it by the supervisor's kill, not by Voila's shutdown
        wait_until_quiet(_tree(app.pid)[1].pid, kernels=1, limit=120)
        if sig == signal.SIGTERM:
            expected = 4
            with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/voila/render/spectrum.ipynb?n=50",
                    timeout=120) as page:
                assert b"jupyter-config-data" in page.read()
        seen = _tree(app.pid)
        kernels = [p for p in seen if any("kernel-" in a for a in p.cmdline())]
        assert len(seen) == expected and len(kernels) == expected - 2, \
            [p.cmdline()[-1][-60:] for p in seen]
        # ntklab app became the small supervisor (stdlib + psutil, not numpy & co.)
        assert "serving/process.py" in " ".join(seen[0].cmdline())
        assert seen[0].memory_full_info().uss < 30 * 2**20
        start = time.monotonic()
        app.send_signal(sig)
        gone, alive = psutil.wait_procs(seen, timeout=40)
        stop_s = time.monotonic() - start
        assert not alive, f"still running after {stop_s:.0f} s: {[p.pid for p in alive]}"
        assert app.wait(5) == 0
        assert stop_s < 25, stop_s  # the supervisor's bounded wait (20 s) and a margin
        log.flush()
        text = (tmp_path / "app.log").read_text()
        assert "Kernel shutdown" in text, text[-2000:]  # Voila shut them down, not a kill
        # a pool kernel waits in its URL-preset cell; a shutdown request made it print a
        # ZMQError traceback into the teacher's terminal (now killed at once, now=True)
        assert "Traceback" not in text, text[text.find("Traceback") - 500:][:3000]
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(app.pid, signal.SIGKILL)
        for p in seen:
            with contextlib.suppress(Exception):
                p.kill()
        log.close()


@pytest.mark.browser
def test_closing_the_index_page_shuts_its_kernel_down(page, base_url):
    """The index page has no dashboard, so nothing in it set the `_xsrf` cookie that Voila's
    shutdown beacon needs: a student who opened only the index left a kernel for the idle
    cull. The page handler now sets the cookie with every page."""
    psutil = pytest.importorskip("psutil")
    page.goto(f"{base_url}/voila/render/index.ipynb", timeout=90_000)
    page.wait_for_selector("img", timeout=60_000)
    assert any(c["name"] == "_xsrf" for c in page.context.cookies())
    kernel = _wait_until(lambda: _kernel_or_none(base_url.pid, page_kernel_id(page)), 30,
                         "the index page's kernel")
    page.wait_for_timeout(2000)  # Voila's widget manager registers the beacon when it starts
    page.close(run_before_unload=True)
    gone, alive = psutil.wait_procs([kernel], timeout=30)
    assert gone and not alive, "the closed index page's kernel is still running"


def _kernel_or_none(server_pid: int, kernel_id: str):
    with contextlib.suppress(LookupError):
        return kernel_process(server_pid, kernel_id)
    return None


def test_a_page_closed_while_loading_frees_its_kernel(base_url):
    """A browser that leaves before its page arrived sends no beacon (the page's scripts
    never ran): Voila went on running the notebook and kept the kernel for the idle cull.
    The page handler now shuts it down when the connection closes. (``theme=dark`` keeps
    the page off the preheated pool, so its kernel starts and runs the notebook now.)"""
    psutil = pytest.importorskip("psutil")
    host, port = base_url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=120)
    connection.request("GET", "/voila/render/spectrum.ipynb?n=100&theme=dark")
    response = connection.getresponse()
    assert response.status == 200
    assert "_xsrf=" in (response.getheader("Set-Cookie") or "")
    received = b""
    while b'"kernelId"' not in received:  # the page config comes once the kernel started
        chunk = response.read1(65536)
        assert chunk, "the page ended before its kernel started"
        received += chunk
    kernel_id = re.search(rb'"kernelId":\s*"([0-9a-f-]{36})"', received).group(1).decode()
    kernel = kernel_process(base_url.pid, kernel_id)
    connection.close()  # the student left
    gone, alive = psutil.wait_procs([kernel], timeout=30)
    assert gone and not alive, "the kernel of a page closed while loading is still running"


def test_an_old_protocol_websocket_client_cannot_hang_the_server(base_url):
    """Voila read every binary kernel message as the v1 websocket protocol's; one of the
    older protocol (a client that asks for no subprotocol, e.g. a script) gave ~10^18
    offsets: the server spun at 100 % CPU, its memory growing, and no page answered again.
    Here such a client asks a dashboard's kernel for every widget state (a binary reply)."""
    import asyncio
    import concurrent.futures
    import uuid
    from datetime import datetime
    from urllib.parse import urlencode

    from tornado.httpclient import AsyncHTTPClient, HTTPRequest
    from tornado.websocket import websocket_connect

    def message(kind, content, session, metadata=None):
        return json.dumps({
            "header": {"msg_id": uuid.uuid4().hex, "msg_type": kind, "username": "t",
                       "session": session, "version": "5.3",
                       "date": datetime.now(UTC).isoformat()},
            "parent_header": {}, "metadata": metadata or {}, "content": content,
            "channel": "shell", "buffers": []})

    async def scenario():
        http = AsyncHTTPClient(force_instance=True)
        page = await http.fetch(f"{base_url}/voila/render/spectrum.ipynb?n=100",
                                request_timeout=120)
        kernel = re.search(r'"kernelId":\s*"([0-9a-f-]{36})"', page.body.decode()).group(1)
        xsrf = next(c.split("=", 1)[1].split(";", 1)[0]
                    for c in page.headers.get_list("Set-Cookie") if c.startswith("_xsrf="))
        session, control = uuid.uuid4().hex, uuid.uuid4().hex
        ws = await websocket_connect(
            f"{base_url.replace('http', 'ws')}/api/kernels/{kernel}/channels"
            f"?session_id={session}", max_message_size=64 * 2**20)
        assert ws.selected_subprotocol is None  # the older protocol
        await ws.write_message(message("comm_open", {
            "comm_id": control, "target_name": "jupyter.widget.control", "data": {}},
            session, {"version": "1.0.0"}))
        await asyncio.sleep(0.5)
        await ws.write_message(message("comm_msg", {
            "comm_id": control, "data": {"method": "request_states"}}, session))
        states = None
        while states is None:
            frame = await asyncio.wait_for(ws.read_message(), 60)
            assert frame is not None, "the websocket closed"
            if isinstance(frame, bytes):  # count, offsets, the JSON message, buffers
                count = int.from_bytes(frame[:4], "big")
                offsets = [int.from_bytes(frame[4 * i:4 * i + 4], "big")
                           for i in range(1, count + 1)] + [len(frame)]
                msg = json.loads(frame[offsets[0]:offsets[1]])
                if msg["content"].get("data", {}).get("method") == "update_states":
                    states = msg["content"]["data"]["states"]
        ws.close()
        # the server still answers, at once
        started = time.monotonic()
        await http.fetch(f"{base_url}/voila/render/nope.ipynb", raise_error=False,
                         request_timeout=30)
        answered_s = time.monotonic() - started
        await http.fetch(HTTPRequest(
            f"{base_url}/voila/api/shutdown/{kernel}", method="POST",
            body=urlencode({"_xsrf": xsrf}), headers={"Cookie": f"_xsrf={xsrf}"}),
            raise_error=False)  # the page's beacon: free the kernel
        http.close()
        return states, answered_s

    # in a thread of its own: the session's Playwright browser runs an event loop here
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        states, answered_s = pool.submit(asyncio.run, scenario()).result()
    figures = [s for s in states.values() if "_widget_data" in s["state"]]
    assert len(figures) >= 3, len(figures)
    assert answered_s < 5, answered_s
