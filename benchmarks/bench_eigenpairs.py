"""The route eigenpairs(K, k) picks by (n, k), beside the route it did not pick and numpy's eigh.

Run: ``.venv/bin/python -m benchmarks.bench_eigenpairs`` (JSON to stdout and
``benchmarks/results/eigenpairs.json``; about a minute).

For each (points, n, k) it times, interleaved so that a busy machine slows all alike:
``ntklab.eigenpairs(K, k)`` (the chosen route, with input checks), the other route on the
same K (block iteration at tol = 1e-8, or the full decomposition: two half-size ones for
the grid's centrosymmetric K), and ``numpy.linalg.eigh(K)``. The limit: the chosen route
takes at most 1.25x the other one (near the threshold both take about the same time).
"""

from __future__ import annotations

import statistics
import time

import numpy as np

import ntklab
from benchmarks._util import entry, write_report
from ntklab.analytic import spectrum

CASES = (  # (points, n, k): both sides of the threshold, and the two cases
    ("random", 600, 10),
    ("grid", 1000, 40),
    ("grid", 1000, 100),  # the top-100 at n = 1000: now the full decomposition
    ("random", 1000, 100),
    ("grid", 2000, 200),
    ("grid", 3000, 40),  # the top-40 at n = 3000: iteration
    ("random", 3000, 200),
)


def _medians(fns: dict, repeat: int) -> dict:
    """Median wall time of each function, the functions taking turns (after one warm-up)."""
    times = {name: [] for name in fns}
    for fn in fns.values():
        fn()
    for _ in range(repeat):
        for name, fn in fns.items():
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(ts) for name, ts in times.items()}


def main(repeat: int = 5) -> dict:
    results = []
    for kind, n, k in CASES:
        x = ntklab.sample_points(n) if kind == "grid" else \
            ntklab.sample_points(n, kind="random", seed=0)
        K = ntklab.ntk(x)
        full = spectrum._full_decomposition(n, k, spectrum._splits(K))

        def iterate(K=K, k=k):
            return spectrum._top_eigenpairs(K, k, 1e-8, None, 40)

        t = _medians({"chosen": lambda K=K, k=k: ntklab.eigenpairs(K, k),
                      "other": (lambda K=K: spectrum._eigh(K)) if not full else iterate,
                      "eigh": lambda K=K: np.linalg.eigh(K)}, repeat)
        chosen, other = ("full", "iterative") if full else ("iterative", "full")
        results.append(entry(
            f"top-{k} eigenpairs, n={n}, {kind} points: {chosen} route", t["chosen"],
            limit=round(1.25 * t["other"], 5), reference=t["eigh"],
            reference_what="numpy.linalg.eigh of the same matrix (limit: 1.25x the other "
                           "route, same run)",
            route=chosen, other_route=other, other_route_seconds=round(t["other"], 5),
            ratio_to_other_route=round(t["chosen"] / t["other"], 3)))
    return write_report("eigenpairs", results)


if __name__ == "__main__":
    main()
