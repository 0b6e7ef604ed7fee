"""Binder without Docker: the whole ``binder/`` set-up in a fresh venv, both badges' routes
opened in Chromium, and the first plot through ntklab's proxied Voila against Voila's
server extension, in one run.

    .venv/bin/python benchmarks/bench_binder.py [--venv DIR] [--cpus 1] [--keep]

What it does, as repo2docker and mybinder would (as far as that goes without Docker):

1. copies the committed repository (``git archive HEAD``) to a temporary directory, the
   container's ``$HOME`` checkout;
2. creates a fresh venv (``--venv``, else a temporary one) and installs the pip
   requirements of ``binder/environment.yml`` into it (repo2docker: conda for Python, then
   pip for this list), then runs ``binder/postBuild`` there with that venv first on PATH;
3. starts ``binder/start jupyter server`` from the checkout, below ``/user/binder/``, with a
   token, pinned to ``--cpus`` CPUs (``taskset``; mybinder gives about one CPU), with the
   real Binder pool (``binder/jupyter-config``: ``BINDER_POOLS`` preheated, no refill);
4. opens, in the project's Chromium/Playwright (not the fresh venv's: the browser is the
   student's), the dashboards badge's path ``ntklab/`` (the index, then each dashboard of
   ``ntklab.app.DASHBOARDS`` through the proxy, once the pool is full, every page kept
   open as a student's tabs would be), with ``--server-extension`` also each dashboard
   through Voila's server extension (``voila/render/notebooks/dashboards/<name>.ipynb``:
   the route the badge used before; cold kernels, up to 240 s each on one CPU), and the
   notebooks badge's path ``lab/tree/notebooks``;
5. records first-plot times, the memory of the server's process tree (PSS: what the
   container's memory limit counts, shared pages split between processes) at rest and with
   every dashboard open, beside mybinder.org's 2 GB limit, and stops the server, counting
   its processes before and after.

Untested here (needs repo2docker and Docker): conda's Python, the image build itself, the
``jovyan`` user, mybinder's memory and CPU limits (only approximated by ``taskset``), and
BinderHub's start command (``jupyterhub-singleuser`` under BinderHub's hub).

Writes ``benchmarks/results/binder.json``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

if __package__ in (None, ""):  # run by path (python benchmarks/bench_x.py): find `benchmarks`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks._util import RESULTS, write_report
from ntklab.app import DASHBOARDS as APP_DASHBOARDS
from ntklab.app.serving.proxy import BINDER_POOLS
from ntklab.app.testing import (
    browser_missing,
    free_port,
    launch_chromium,
    wait_for_plots,
    watch_page,
)

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "bench-binder"
BASE = "/user/binder/"
DASHBOARDS = tuple(APP_DASHBOARDS.values())
PLOTS = {"frequency": 4}  # plots drawn at the defaults (else 3; tests/app/test_browser.py)
BINDER_MEMORY_LIMIT_MB = 2048  # mybinder.org's per-container limit (its docs: 1-2 GB)


def _run(cmd, **kwargs) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, **kwargs)
    return time.perf_counter() - start


def _pss_mb(pid: int) -> dict:
    import psutil

    root = psutil.Process(pid)
    total = {"pss": 0, "rss": 0, "processes": 0, "kernels": 0}
    for p in [root, *root.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):
            m = p.memory_full_info()
            total["pss"] += m.pss
            total["rss"] += m.rss
            total["processes"] += 1
            total["kernels"] += any("kernel-" in a for a in p.cmdline())
    return {k: (round(v / 2**20) if k in ("pss", "rss") else v) for k, v in total.items()}


def _wait_port(port: int, proc, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the Jupyter server exited with {proc.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.2)
    raise TimeoutError("no Jupyter server")


def _wait_log(path: Path, texts, timeout: float) -> float:
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        log = path.read_text()
        if all(t in log for t in texts):
            return time.monotonic() - start
        time.sleep(0.5)
    raise TimeoutError(f"not in the log after {timeout:.0f} s: {texts}")


def _first_plot(context, url: str, plots: int, timeout_ms: float = 240_000,
                keep: bool = False) -> dict:
    page = context.new_page()
    watch_page(page)
    start = time.perf_counter()
    try:
        page.goto(url, timeout=timeout_ms)
        wait_for_plots(page, 1, timeout_ms=timeout_ms)
        out = {"first_plot_s": round(time.perf_counter() - start, 2)}
        wait_for_plots(page, plots, timeout_ms=timeout_ms)
        out["all_plots_s"] = round(time.perf_counter() - start, 2)
        config = json.loads(page.locator("#jupyter-config-data").text_content())
        out["kernel_id"] = config.get("kernelId")
    except Exception as exc:  # a failure is a result
        out = {"error": f"{type(exc).__name__}: {exc}"[:300]}
    out["page_errors"] = [e[:200] for e in page.page_errors]
    if not keep:
        page.close(run_before_unload=True)
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--venv", type=Path, default=None,
                        help="reuse/create the fresh venv here (default: a temporary one)")
    parser.add_argument("--cpus", default="1", help="CPUs for the server (taskset -c list "
                        "from 0; default 1, mybinder's share); 'all' for no pinning")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--server-extension", action="store_true",
                        help="also open each dashboard through Voila's server extension "
                        "(cold kernels: minutes on one CPU)")
    args = parser.parse_args(argv)
    reason = browser_missing()
    if reason:
        print(json.dumps({"skipped": reason}))
        return 0
    import psutil
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="ntklab-binder-"))
    report: dict = {"load_average_before": os.getloadavg(), "cpus_pinned": args.cpus}
    try:
        # 1. the checkout the container would have
        home = work / "home"
        repo = home / "ntklab"
        repo.mkdir(parents=True)
        archive = subprocess.run(["git", "archive", "HEAD"], cwd=ROOT, check=True,
                                 capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(repo)], input=archive, check=True)
        report["commit"] = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                                          capture_output=True, text=True).stdout.strip()
        # 2. a fresh venv with binder/environment.yml's pip list, then postBuild
        venv = args.venv or work / "venv"
        env_yml = yaml.safe_load((repo / "binder" / "environment.yml").read_text())
        pip = next(d["pip"] for d in env_yml["dependencies"] if isinstance(d, dict))
        if not (venv / "bin" / "python").exists():
            report["venv_create_s"] = round(_run([sys.executable, "-m", "venv", str(venv)]), 1)
        vpy = str(venv / "bin" / "python")
        report["pip_install_s"] = round(_run([vpy, "-m", "pip", "install", "--quiet", *pip]), 1)
        env = dict(os.environ, HOME=str(home), PATH=f"{venv / 'bin'}:{os.environ['PATH']}",
                   VIRTUAL_ENV=str(venv), XDG_CACHE_HOME=str(home / ".cache"))
        for key in ("JUPYTER_CONFIG_PATH", "JUPYTER_PATH", "PYTHONPATH", "NTKLAB_APP_ARGS"):
            env.pop(key, None)
        report["postBuild_s"] = round(_run([str(repo / "binder" / "postBuild")], cwd=repo,
                                           env=env), 1)
        check = subprocess.run([vpy, "-c", "import ntklab, jupyter_server_proxy, voila; "
                                "print(ntklab.__file__)"], env=env, cwd=work, capture_output=True,
                               text=True, check=True).stdout.strip()
        assert check.startswith(str(repo)), check  # postBuild installed the checkout
        report["venv_mb"] = round(sum(f.stat().st_size for f in venv.rglob("*")
                                      if f.is_file()) / 2**20)

        # 3. the Jupyter server, the way Binder starts it
        port = free_port()
        server_cmd = [str(repo / "binder" / "start"), "jupyter", "server", "--no-browser",
                      "--ip=127.0.0.1", f"--port={port}", f"--ServerApp.token={TOKEN}",
                      f"--ServerApp.base_url={BASE}", "--ServerApp.port_retries=0"]
        if os.geteuid() == 0:
            server_cmd.append("--allow-root")
        if args.cpus != "all":
            server_cmd = ["taskset", "-c", args.cpus, *server_cmd]
        log_path = RESULTS / "binder-server.log"
        RESULTS.mkdir(exist_ok=True)
        log = open(log_path, "w")
        server = subprocess.Popen(server_cmd, cwd=repo, env=env, stdout=log,
                                  stderr=subprocess.STDOUT, start_new_session=True)
        url = f"http://127.0.0.1:{port}{BASE}"
        try:
            t = time.perf_counter()
            _wait_port(port, server, 120)
            report["jupyter_server_start_s"] = round(time.perf_counter() - t, 1)
            report["memory_jupyter_server_only_mb"] = _pss_mb(server.pid)
            with sync_playwright() as pw:
                browser = launch_chromium(pw)
                try:
                    context = browser.new_context(viewport={"width": 1280, "height": 900})
                    # 4a. the dashboards badge: ntklab/ → ntklab app (started now) → index
                    page = context.new_page()
                    t = time.perf_counter()
                    page.goto(f"{url}ntklab/?token={TOKEN}", timeout=240_000)
                    page.wait_for_selector("img", timeout=240_000)
                    report["badge_index_shown_s"] = round(time.perf_counter() - t, 1)
                    report["badge_landed_on"] = page.url.split("?")[0].replace(url, "/")
                    page.close(run_before_unload=True)
                    fills = [f"Kernel pool of {d}.ipynb is filled" for d in BINDER_POOLS]
                    report["pool_full_after_index_s"] = round(
                        _wait_log(log_path, fills, 600), 1)
                    time.sleep(5)
                    report["memory_pool_full_mb"] = _pss_mb(server.pid)
                    # 4b. each dashboard: through the proxy (preheated), then the server
                    # extension (cold), one after the other
                    routes = {}
                    for name in DASHBOARDS:  # each kept open: a student's tabs
                        proxied = _first_plot(context, f"{url}ntklab/voila/render/{name}.ipynb",
                                              PLOTS.get(name, 3), keep=True)
                        proxied["preheated"] = (
                            f"Using pre-heated kernel: {proxied.get('kernel_id')}"
                            in log_path.read_text())
                        routes[name] = {"proxy": proxied}
                    time.sleep(5)
                    report["memory_all_dashboards_open_mb"] = _pss_mb(server.pid)
                    report["memory_limit_mb"] = BINDER_MEMORY_LIMIT_MB
                    for name in DASHBOARDS if args.server_extension else ():
                        routes[name]["server_extension"] = _first_plot(
                            context, f"{url}voila/render/notebooks/dashboards/{name}.ipynb",
                            PLOTS.get(name, 3))
                    report["first_plot"] = routes
                    ok = [r["proxy"]["first_plot_s"] for r in routes.values()
                          if "first_plot_s" in r["proxy"] and r["proxy"]["preheated"]]
                    cold_proxy = [r["proxy"]["first_plot_s"] for r in routes.values()
                                  if "first_plot_s" in r["proxy"] and not r["proxy"]["preheated"]]
                    cold = [r["server_extension"]["first_plot_s"] for r in routes.values()
                            if "first_plot_s" in r.get("server_extension", {})]
                    report["first_plot_median_s"] = {
                        "proxy_preheated": statistics.median(ok) if ok else None,
                        "proxy_cold": statistics.median(cold_proxy) if cold_proxy else None,
                        "server_extension_cold": statistics.median(cold) if cold else None}
                    # 4c. the notebooks badge: JupyterLab
                    lab = context.new_page()
                    t = time.perf_counter()
                    lab.goto(f"{url}lab/tree/notebooks?token={TOKEN}", timeout=240_000)
                    lab.wait_for_selector(".jp-DirListing-item", timeout=240_000)
                    report["notebooks_badge_lab_listing_s"] = round(time.perf_counter() - t, 1)
                    report["notebooks_listed"] = sorted(
                        lab.locator(".jp-DirListing-itemText").all_inner_texts())
                finally:
                    browser.close()
            # 5. stop: every process of the server's tree ends
            tree = [psutil.Process(server.pid),
                    *psutil.Process(server.pid).children(recursive=True)]
            t = time.perf_counter()
            os.killpg(server.pid, signal.SIGTERM)
            _gone, alive = psutil.wait_procs(tree, timeout=60)
            report["stop"] = {"processes_before": len(tree), "alive_after": len(alive),
                              "seconds": round(time.perf_counter() - t, 1)}
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.pid, signal.SIGKILL)
            server.wait(10)
            log.close()
    finally:
        report["load_average_after"] = os.getloadavg()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            report["kept"] = str(work)
    write_report("binder", report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
