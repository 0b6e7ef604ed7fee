"""What one student's dashboard kernel costs: start-up time, CPU and memory (idle and busy).

    .venv/bin/python benchmarks/bench_kernel.py [--only spectrum lazy ...] [--no-busy]

For each dashboard notebook in ``notebooks/dashboards/`` it starts a fresh IPython kernel
(jupyter_client, the same kernel Voila starts, with the environment ``ntklab app`` gives
it), then, in that kernel:

1. ``import_s``: imports the dashboard class and plotly's FigureWidget (what a page waits
   for before anything is drawn), and notes whether JAX got imported by that;
2. ``cells_s``: runs the notebook's code cells as Voila does (builds the widgets and
   starts the default computation on the worker thread; the page shows after this);
3. ``first_view_s``: waits until the default view is drawn (``dash.wait()``);
4. ``idle``: RSS and USS (private memory, what a kernel adds to the machine) of the kernel
   process after that, and its CPU seconds so far;
5. ``busy``: sets every control to its most expensive allowed value (the bounds in
   ``PARAMS`` are the worst case a student can reach), samples the kernel's RSS every
   50 ms until drawn, and reports the peak (and the kernel's own ``ru_maxrss``) and the
   RSS afterwards.

The machine's load average is recorded beside the numbers. Writes JSON to stdout and
``benchmarks/results/kernel.json``. Takes ~1-5 minutes (the busy training views dominate).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
from pathlib import Path

if __package__ in (None, ""):  # run by path (python benchmarks/bench_x.py): find `benchmarks`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks._util import write_report

ROOT = Path(__file__).resolve().parents[1]

# dashboard notebook -> (class name, the most expensive control values allowed)
BUSY = {
    "spectrum": ("SpectrumDashboard", dict(n=3000, depth=5)),
    "frequency": ("FrequencyDashboard", dict(n=500)),
    "lazy": ("LazyDashboard", dict(m=4096, n=32, steps=3000)),
    "initialization": ("InitDashboard", dict(m=1024, depth=2, steps=3000)),
    "ensemble": ("EnsembleDashboard", dict(m=1024, members=32, n=16, steps=2000)),
}


def _cells(notebook: Path) -> list[str]:
    nb = json.loads(notebook.read_text())
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]


def _execute(client, code: str, timeout: float) -> dict:
    """Run ``code``; return its ``text/plain`` result of a trailing ``_out`` expression."""
    msg_id = client.execute(code, store_history=False)
    out, error = {}, None
    deadline = time.monotonic() + timeout
    while True:
        msg = client.get_iopub_msg(timeout=max(0.1, deadline - time.monotonic()))
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind = msg["msg_type"]
        if kind == "error":
            error = f"{msg['content']['ename']}: {msg['content']['evalue']}"
        elif kind == "stream" and msg["content"]["name"] == "stdout":
            text = msg["content"]["text"].strip()
            for line in text.splitlines():
                if line.startswith("@@"):
                    out.update(json.loads(line[2:]))
        elif kind == "status" and msg["content"]["execution_state"] == "idle":
            break
    if error:
        raise RuntimeError(error)
    return out


class _Sampler(threading.Thread):
    def __init__(self, proc):
        super().__init__(daemon=True)
        self.proc, self.peak, self._done = proc, 0, threading.Event()

    def run(self):
        while not self._done.is_set():
            try:
                self.peak = max(self.peak, self.proc.memory_info().rss)
            except Exception:
                return
            time.sleep(0.05)

    def stop(self):
        self._done.set()
        self.join()
        return self.peak


def _mb(x: float) -> float:
    return round(x / 2**20, 1)


def measure(name: str, *, busy: bool = True, timeout: float = 600.0) -> dict:
    import psutil
    from jupyter_client.manager import KernelManager

    from ntklab.app.serving.voila import voila_env

    cls, busy_values = BUSY[name]
    notebook = ROOT / "notebooks" / "dashboards" / f"{name}.ipynb"
    env = voila_env()
    env["QUERY_STRING"] = ""
    km = KernelManager(kernel_name="python3")
    start = time.perf_counter()
    km.start_kernel(env=env, cwd=str(notebook.parent))
    client = km.client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=120)
        res = {"kernel_start_s": round(time.perf_counter() - start, 2)}
        proc = psutil.Process(km.provisioner.process.pid)
        base = proc.memory_full_info()
        res["bare_kernel"] = {"rss_mb": _mb(base.rss), "uss_mb": _mb(base.uss)}
        out = _execute(client, f"""
import json, sys, time
_t = time.perf_counter()
from ntklab.app import {cls}
from ntklab.app.serving.figure_widget import live_figure_widget_class
live_figure_widget_class()
print("@@" + json.dumps({{"import_s": time.perf_counter() - _t,
                         "jax_imported": "jax" in sys.modules}}))
""", timeout)
        res["import_s"] = round(out["import_s"], 2)
        res["jax_imported_by_import"] = out["jax_imported"]
        t = time.perf_counter()
        for cell in _cells(notebook):
            _execute(client, cell, timeout)
        res["cells_s"] = round(time.perf_counter() - t, 2)
        _execute(client, f"assert dash.wait({timeout})", timeout + 10)
        res["first_view_s"] = round(time.perf_counter() - t, 2)
        out = _execute(client, """import gc; gc.collect()
print("@@" + json.dumps({"error": dash.error, "jax_imported": "jax" in sys.modules}))
""", timeout)
        res["default_view_error"] = out["error"]
        res["jax_imported_by_default_view"] = out["jax_imported"]
        time.sleep(0.5)
        idle, cpu = proc.memory_full_info(), proc.cpu_times()
        res["idle"] = {"rss_mb": _mb(idle.rss), "uss_mb": _mb(idle.uss),
                       "cpu_s_since_start": round(cpu.user + cpu.system, 2)}
        if busy:
            sampler = _Sampler(proc)
            sampler.start()
            t = time.perf_counter()
            out = _execute(client, f"""dash.set(**{busy_values!r}); assert dash.wait({timeout})
import resource
print("@@" + json.dumps({{"error": dash.error,
    "ru_maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
""", timeout + 10)
            seconds = time.perf_counter() - t
            peak = sampler.stop()
            _execute(client, "import gc; gc.collect()", 60)
            time.sleep(0.5)
            after, cpu2 = proc.memory_full_info(), proc.cpu_times()
            res["busy"] = {"values": busy_values, "seconds": round(seconds, 2),
                           "error": out["error"], "peak_rss_mb": _mb(peak),
                           "ru_maxrss_mb": round(out["ru_maxrss_mb"], 1),
                           "cpu_s": round(cpu2.user + cpu2.system - cpu.user - cpu.system, 2),
                           "rss_after_mb": _mb(after.rss), "uss_after_mb": _mb(after.uss)}
        return res
    finally:
        client.stop_channels()
        km.shutdown_kernel(now=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", help="dashboards to measure (default: all)")
    parser.add_argument("--no-busy", action="store_true", help="skip the busy measurement")
    args = parser.parse_args(argv)
    names = [n for n in (args.only or BUSY)
             if (ROOT / "notebooks" / "dashboards" / f"{n}.ipynb").is_file()]
    report = {"load_average_before": os.getloadavg(), "cpus": os.cpu_count(),
              "dashboards": {}}
    for name in names:
        print(f"{name} ...", file=sys.stderr, flush=True)
        try:
            report["dashboards"][name] = measure(name, busy=not args.no_busy)
        except Exception as exc:  # report and go on with the others
            report["dashboards"][name] = {"error": f"{type(exc).__name__}: {exc}"[:300]}
    report["load_average_after"] = os.getloadavg()
    write_report("kernel", report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
