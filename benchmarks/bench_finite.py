"""Speed and memory of the finite-width core (issue 3), beside limits and same-run references.

Run: ``.venv/bin/python -m benchmarks.bench_finite`` (JSON to stdout and
``benchmarks/results/finite.json``). Machines are shared: figures are medians, and each
comes with a reference measured in the same run (a matrix product of the same size).
"""

from __future__ import annotations

import subprocess
import sys
import time
import tracemalloc

import numpy as np

import ntklab
from benchmarks._util import entry, median_time, write_report

_PEAK_SCRIPT = """
import resource, sys, numpy as np, ntklab
p = ntklab.init_params(0, {m})
x = np.linspace(-1, 1, {n})
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
ntklab.empirical_ntk(p, x)
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(before * 1024, after * 1024)
"""


def _rss_peak(m, n):
    """Process peak RSS (bytes) before and after one empirical NTK, in a fresh process."""
    out = subprocess.run([sys.executable, "-c", _PEAK_SCRIPT.format(m=m, n=n)], check=True,
                         capture_output=True, text=True).stdout.split()
    return int(out[0]), int(out[1])


def bench_two_layer(m=4096, n=1000, repeat=5):
    p = ntklab.init_params(0, m)
    x = np.linspace(-1, 1, n)
    t = median_time(lambda: ntklab.empirical_ntk(p, x), repeat)
    S = np.random.default_rng(0).standard_normal((n, m))
    t_ref = median_time(lambda: S @ S.T, repeat)
    tracemalloc.start()
    ntklab.empirical_ntk(p, x)
    traced_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    rss_before, rss_after = _rss_peak(m, n)
    return [
        entry(f"empirical NTK, two-layer, m={m}, n={n}", t, limit=0.5, reference=t_ref,
              reference_what=f"numpy S @ S.T, S of shape ({n}, {m}) (the formula needs two)"),
        {"name": f"empirical NTK peak memory, two-layer, m={m}, n={n}",
         "numpy_traced_peak_bytes": traced_peak,
         "process_peak_rss_bytes": rss_after,
         "process_peak_rss_before_call_bytes": rss_before,
         "limit_bytes": 2**30,
         "within_limit": bool(rss_after - rss_before <= 2**30 and traced_peak <= 2**30)},
    ]


def bench_deep(m=5000, n=510, repeat=3):
    p = ntklab.init_params(0, m, depth=2)
    x = np.linspace(-1, 1, n)
    t = median_time(lambda: ntklab.empirical_ntk(p, x), repeat)
    Z = np.random.default_rng(0).standard_normal((n, m))
    W = np.random.default_rng(1).standard_normal((m, m))
    t_ref = median_time(lambda: Z @ W, repeat)
    return [entry(f"empirical NTK, 1-{m}-{m}-1, n={n}", t, limit=10.0, reference=t_ref,
                  reference_what=f"numpy ({n}, {m}) @ ({m}, {m}), one layer's forward product")]


def bench_train(m=4096, n=20, steps=4000, repeat=3):
    x = np.linspace(-1, 1, n)
    y = np.sin(4 * x)
    p = ntklab.init_params(0, m)
    out = []
    for dtype in ("float64", "float32"):
        def run(dtype=dtype):
            return ntklab.train(p, x, y, steps=steps, record=11, dtype=dtype)

        start = time.perf_counter()
        res = run()
        first = time.perf_counter() - start
        t = median_time(run, repeat, warmup=0)
        out.append(entry(
            f"train net + linearization, m={m}, n={n}, {steps} GD steps, {dtype}", t, limit=3.0,
            compile_seconds=round(first - t, 4), compile_limit_seconds=3.0,
            compile_within_limit=bool(first - t <= 3.0), final_loss_net=float(res.loss_net[-1]),
            final_loss_lin=float(res.loss_lin[-1]), lr=res.lr))
    # reference: the same number of (n × m) matrix-vector products in numpy, 4 per step
    H = np.random.default_rng(0).standard_normal((n, m))
    v = np.ones(m)
    t_ref = median_time(lambda: [H @ v for _ in range(4 * steps)], 3)
    for e in out:
        e.update(reference_seconds=round(t_ref, 5), ratio_to_reference=round(
            e["seconds"] / t_ref, 3), reference=f"{4 * steps} numpy ({n}, {m}) @ ({m},) products")
    return out


def main() -> dict:
    entries = bench_two_layer() + bench_deep() + bench_train()
    return write_report("finite", entries)


if __name__ == "__main__":
    main()
