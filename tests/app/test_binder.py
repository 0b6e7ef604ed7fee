"""Binder's set-up, as far as it runs without Docker: a Jupyter server started the way Binder
starts it (``binder/start`` wrapping the server command, from the repository root, below a
``/user/<name>/`` base URL, token auth), with this project's environment (not a fresh one:
``benchmarks/bench_binder.py`` checks a fresh venv from the same requirements, postBuild
included, and measures first plots through both routes).

- the dashboards badge's path, ``ntklab/``, is jupyter-server-proxy's named entry for
  ``ntklab app`` (a launcher tile "ntklab dashboards"); it opens the index, a dashboard
  draws with a *preheated* kernel from the pool, a control moves its plot, and closing the
  tab frees the kernel (Voila's beacon through the proxy);
- the notebooks badge's path, ``lab/tree/notebooks``, opens JupyterLab;
- stopping the Jupyter server stops ``ntklab app`` and every kernel.

The pool here is one spectrum kernel (``NTKLAB_APP_ARGS``), not Binder's two
(``BINDER_POOLS``), to keep it short.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from ntklab.app.testing import (
    browser_missing,
    free_port,
    launch_chromium,
    move_slider,
    page_kernel_id,
    plot_signature,
    wait_for_plots,
)

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "binder-test-token"
BASE = "/user/binder/"


def jupyter_server_command(port: int) -> list[str]:
    """``binder/start`` + a Jupyter server, as repo2docker's entrypoint runs it."""
    jupyter = Path(sys.executable).with_name("jupyter")
    argv = [str(ROOT / "binder" / "start"), str(jupyter), "server", "--no-browser",
            "--ip=127.0.0.1", f"--port={port}", f"--ServerApp.token={TOKEN}",
            f"--ServerApp.base_url={BASE}", "--ServerApp.port_retries=0"]
    if os.geteuid() == 0:  # Binder runs as the user jovyan; CI here runs as root
        argv.append("--allow-root")
    return argv


def _wait_port(port: int, proc: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"the Jupyter server exited with {proc.returncode}"
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.2)
    raise TimeoutError(f"no Jupyter server on port {port} after {timeout:.0f} s")


@contextlib.contextmanager
def binder_server(tmp_path: Path, app_args: str):
    """The Jupyter server in its own process group, with Jupyter's user directories in
    ``tmp_path``; yields (base URL, Popen, log path). Everything below it is ended in the
    ``finally``, and the test checks that stopping the server already did that."""
    port = free_port()
    env = dict(os.environ, NTKLAB_APP_ARGS=app_args,
               JUPYTER_CONFIG_DIR=str(tmp_path / "config"),
               JUPYTER_DATA_DIR=str(tmp_path / "data"),
               JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"))
    env.pop("JUPYTER_CONFIG_PATH", None)
    log_path = tmp_path / "jupyter.log"
    log = open(log_path, "w")
    proc = subprocess.Popen(jupyter_server_command(port), cwd=ROOT, env=env, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)
    seen: list = []
    try:
        _wait_port(port, proc, 90)
        yield f"http://127.0.0.1:{port}{BASE}", proc, log_path
    finally:
        import psutil

        with contextlib.suppress(psutil.Error):
            seen += psutil.Process(proc.pid).children(recursive=True)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)
        for p in seen:
            with contextlib.suppress(psutil.Error):
                p.kill()
        log.close()


def _kernel(server_pid: int, kernel_id: str):
    import psutil

    for p in psutil.Process(server_pid).children(recursive=True):
        with contextlib.suppress(psutil.Error):
            if any(kernel_id in a for a in p.cmdline()):
                return p
    return None


def test_proxy_entry(monkeypatch):
    from ntklab.app.serving.proxy import server_proxy_entry
    from ntklab.app.serving.voila import NEVER_SECONDS
    from ntklab.cli import build_parser

    monkeypatch.delenv("NTKLAB_APP_ARGS", raising=False)
    entry = server_proxy_entry(pool_size=1, refill=False)
    command = entry["command"]
    assert command[:4] == [sys.executable, "-m", "ntklab.cli", "app"]
    assert "--port={port}" in command and "--base-url={base_url}ntklab/" in command
    assert entry["absolute_url"] is True  # Voila sees its whole path: --base-url matches
    assert entry["launcher_entry"]["title"] == "ntklab dashboards"
    filled = [a.format(port=8888, base_url="/user/ada/") for a in command[3:]]
    args = build_parser().parse_args(filled)
    assert args.base_url == "/user/ada/ntklab/"
    assert args.pool_size == 1 and args.no_refill and args.no_browser
    from ntklab.app.serving.voila import voila_command

    argv, _ = voila_command(1, refill=False)
    assert f"--VoilaKernelManager.fill_delay={NEVER_SECONDS}" in argv
    monkeypatch.setenv("NTKLAB_APP_ARGS", "--pool-size=0 --pool=spectrum=2")
    args = build_parser().parse_args([a.format(port=1, base_url="/") for a in
                                      server_proxy_entry(pool_size=1)["command"][3:]])
    assert args.pool_size == 0 and args.pool == [("spectrum", 2)]  # later options win
    # Binder's Jupyter config uses it: BINDER_POOLS preheated, no other pool, not refilled
    config = (ROOT / "binder" / "jupyter-config" / "jupyter_server_config.py").read_text()
    assert "server_proxy_entry(pool_size=0, pools=BINDER_POOLS, refill=False)" in config
    from ntklab.app import DASHBOARDS
    from ntklab.app.serving.proxy import BINDER_POOLS

    assert set(BINDER_POOLS) < set(DASHBOARDS.values())
    monkeypatch.delenv("NTKLAB_APP_ARGS")
    args = build_parser().parse_args([a.format(port=1, base_url="/") for a in server_proxy_entry(
        pool_size=0, pools=BINDER_POOLS, refill=False)["command"][3:]])
    assert args.pool_size == 0 and dict(args.pool) == BINDER_POOLS and args.no_refill
    assert "exec \"$@\"" in (ROOT / "binder" / "start").read_text()
    readme = (ROOT / "README.md").read_text()  # the badges open these two paths
    assert "mybinder.org/v2/gh/OWNER/ntklab/HEAD?urlpath=ntklab/)" in readme
    assert "HEAD?urlpath=lab/tree/notebooks)" in readme


def test_binder_routes(tmp_path):
    reason = browser_missing()
    if reason:
        pytest.skip(f"needs chromium and playwright: {reason}")
    psutil = pytest.importorskip("psutil")
    pytest.importorskip("jupyter_server_proxy", reason="jupyter-server-proxy not installed")
    from playwright.sync_api import sync_playwright

    app_args = f"--pool-size=0 --pool=spectrum=1 --jax-cache={tmp_path / 'jax'}"
    with binder_server(tmp_path, app_args) as (url, server, log_path), \
            sync_playwright() as pw:
        # jupyter-server-proxy's named entry: the JupyterLab launcher's tile
        with urllib.request.urlopen(f"{url}server-proxy/servers-info?token={TOKEN}",
                                    timeout=30) as r:
            entries = {e["name"]: e for e in json.load(r)["server_processes"]}
        assert entries["ntklab"]["launcher_entry"]["title"] == "ntklab dashboards"
        assert entries["ntklab"]["launcher_entry"]["path_info"] == "ntklab/"

        browser = launch_chromium(pw)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            # the dashboards badge: urlpath=ntklab/ (starts ntklab app, then its index)
            page.goto(f"{url}ntklab/?token={TOKEN}", timeout=150_000)
            assert "/ntklab/voila/render/index.ipynb" in page.url, page.url
            page.wait_for_selector("img", timeout=60_000)
            # the student clicks a dashboard: the pool's kernel, the default view drawn
            _wait_for_log(log_path, "Kernel pool of spectrum.ipynb is filled", 120)
            page.click("a[href^='spectrum.ipynb']")
            wait_for_plots(page, 3, timeout_ms=120_000)
            assert "/ntklab/voila/render/spectrum.ipynb" in page.url, page.url
            kernel_id = page_kernel_id(page)
            assert f"Using pre-heated kernel: {kernel_id} for spectrum.ipynb" in \
                log_path.read_text()
            before = plot_signature(page)
            move_slider(page, 0)  # n
            _wait_until(lambda: plot_signature(page) != before, 60, "the plot after a move")
            assert page.locator(".voila-error").count() == 0
            assert not errors, errors
            # closing the tab frees its kernel: Voila's beacon passes the proxy
            kernel = _kernel(server.pid, kernel_id)
            assert kernel is not None
            page.close(run_before_unload=True)
            gone, alive = psutil.wait_procs([kernel], timeout=30)
            assert gone and not alive, "the closed tab's kernel is still running"

            # the notebooks badge: urlpath=lab/tree/notebooks opens JupyterLab
            lab = context.new_page()
            lab.goto(f"{url}lab/tree/notebooks?token={TOKEN}", timeout=120_000)
            lab.wait_for_selector(".jp-DirListing-item", timeout=120_000)
            names = lab.locator(".jp-DirListing-itemText").all_inner_texts()
            assert "dashboards" in names and any(n.endswith(".ipynb") for n in names), names
        finally:
            browser.close()

        # stopping the Jupyter server stops ntklab app and every kernel
        tree = [psutil.Process(server.pid), *psutil.Process(server.pid).children(recursive=True)]
        assert any("serving/process.py" in " ".join(p.cmdline()) for p in tree)  # ntklab app
        os.killpg(server.pid, signal.SIGTERM)
        gone, alive = psutil.wait_procs(tree, timeout=40)
        assert not alive, [" ".join(p.cmdline())[-80:] for p in alive]


def _wait_until(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def _wait_for_log(path: Path, text: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in path.read_text():
            return
        time.sleep(0.3)
    raise AssertionError(f"{text!r} not in the server log after {timeout:.0f} s")
