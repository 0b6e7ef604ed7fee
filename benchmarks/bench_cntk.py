"""Speed and memory of the infinite-width CNN kernels on digits (issue 17), beside their limits
and a reference measured in the same run.

Run: ``.venv/bin/python -m benchmarks.bench_cntk`` (JSON to stdout and
``benchmarks/results/cntk.json``; about 3-8 minutes).

* CNTK-GAP of 500 training and 500 test digits at depth 3, the work of kernel regression:
  the 500 × 500 Gram (each pair once) and the 500 × 500 test-against-train block. Limits:
  60 s and 2 GB (the issue). For scale, the issue measured neural-tangents 0.6.5 (jax
  0.4.30, CPU, float64, batched) at 254 s for this, and 18-21 s for a 200 × 200 depth-3
  GAP Gram, also measured here.
* CNTK-flatten of the same digits at depths 1-5 (neural-tangents: 1.4-4 s).
* The previous implementation (commit 5265a30, read with ``git show`` when the checkout has
  it) against the current one on the same 200 × 200 depth-3 GAP Gram, one after the other
  in this run: the speed-up measured under the same load.

Every time stands beside the same run's (2048 × 2048) @ (2048 × 2048) float64 matrix
product, a yardstick of how fast the machine is at that moment, the process's CPU seconds
and the load average: the machine's two cores may be shared with other work, and then the
wall time says more about the others than about the kernels (CPU seconds / 2 is what two
free cores would take, at best). Memory: the peak of numpy's allocations during the call
(tracemalloc, which numpy reports to) and the process's peak RSS.
"""

from __future__ import annotations

import importlib.util
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np

import ntklab
from benchmarks._util import entry, median_time, write_report


def _measure(fn):
    """Wall and CPU seconds of one call, and the peak of numpy's allocations during it."""
    tracemalloc.start()
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return wall, cpu, peak


PREVIOUS = "5265a30"  # the first CNTK (rho, square roots of q, (H, W, nA, H, W, nB) tiles)


def _previous():
    """The module ntklab.analytic.conv_kernels of commit PREVIOUS, or None without git."""
    root = Path(__file__).resolve().parents[1]
    try:
        src = subprocess.run(["git", "show", f"{PREVIOUS}:ntklab/analytic/conv_kernels.py"],
                             cwd=root, capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    path = Path(tempfile.mkdtemp()) / "conv_kernels_previous.py"
    path.write_text(src)
    spec = importlib.util.spec_from_file_location("ntklab.analytic._conv_previous", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def main(n_train: int = 500, n_test: int = 500) -> dict:
    (xtr, _), (xte, _) = ntklab.load_digits(n_train=n_train, n_test=n_test, seed=0)
    npix = xtr.shape[1] * xtr.shape[2]
    ntklab.cntk(xtr[:20], depth=2)  # warm up (threads, first allocations)
    a = np.random.default_rng(0).standard_normal((2048, 2048))
    t_mm = median_time(lambda: a @ a, 3)
    ref = f"(2048x2048)@(2048x2048) float64 matmul, same run ({t_mm:.3f} s)"
    results = []

    load = os.getloadavg()
    pairs = n_train * (n_train + 1) // 2 + n_test * n_train
    wall, cpu, peak = _measure(lambda: (ntklab.cntk(xtr, depth=3),
                                        ntklab.cntk(xte, xtr, depth=3)))
    work = pairs * npix * npix * 3  # position pairs × layers
    results.append(entry(
        f"CNTK-GAP, depth 3: {n_train} x {n_train} Gram + {n_test} x {n_train} test block",
        wall, limit=60.0, reference=t_mm, reference_what=ref,
        cpu_seconds=round(cpu, 2), image_pairs=pairs,
        ns_per_position_pair_and_layer_cpu=round(cpu / work * 1e9, 2),
        numpy_peak_mb=round(peak / 2**20, 1), memory_limit_mb=2048,
        within_memory_limit=bool(peak <= 2 * 2**30),
        neural_tangents_in_the_issue_s=254, load_average_before=load,
        load_average_after=os.getloadavg()))

    x200 = xtr[:200]
    wall, cpu, peak = _measure(lambda: ntklab.cntk(x200, depth=3))
    results.append(entry("CNTK-GAP, depth 3: 200 x 200 Gram", wall, reference=t_mm,
                         reference_what=ref, cpu_seconds=round(cpu, 2),
                         numpy_peak_mb=round(peak / 2**20, 1),
                         neural_tangents_in_the_issue_s="18-21",
                         load_average_after=os.getloadavg()))
    previous = _previous()
    if previous is not None:
        new = ntklab.cntk(x200, depth=3)
        load = os.getloadavg()
        wall_old, cpu_old, _ = _measure(lambda: previous.cntk(x200, depth=3))
        wall_new, cpu_new, _ = _measure(lambda: ntklab.cntk(x200, depth=3))
        diff = float(np.max(np.abs(previous.cntk(x200, depth=3) - new)) / np.max(np.abs(new)))
        results.append(entry(
            f"CNTK-GAP, depth 3: 200 x 200 Gram, this version beside commit {PREVIOUS}",
            wall_new, reference=wall_old,
            reference_what=f"commit {PREVIOUS}'s cntk on the same Gram, same run",
            cpu_seconds=round(cpu_new, 2), previous_cpu_seconds=round(cpu_old, 2),
            cpu_speedup=round(cpu_old / cpu_new, 3), max_relative_difference=diff,
            load_average_before=load, load_average_after=os.getloadavg()))

    for depth in range(1, 6):
        def flat(d=depth):
            ntklab.cntk(xtr, depth=d, pooling="flatten")
            ntklab.cntk(xte, xtr, depth=d, pooling="flatten")

        flat()  # warm-up
        runs = sorted(_measure(flat)[:2] for _ in range(3))  # (wall, cpu), median by wall
        wall, cpu = runs[1]
        results.append(entry(f"CNTK-flatten, depth {depth}: {n_train} x {n_train} Gram + "
                             f"{n_test} x {n_train} test block", wall, limit=4.0,
                             reference=t_mm, reference_what=ref, cpu_seconds=round(cpu, 2),
                             neural_tangents_in_the_issue_s="1.4-4",
                             load_average_after=os.getloadavg()))

    # the whole process at its peak (the GAP call above is the largest): Python, numpy,
    # the digits, and the kernels' working arrays
    results[0]["process_peak_rss_mb"] = round(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return write_report("cntk", results)


if __name__ == "__main__":
    main()
