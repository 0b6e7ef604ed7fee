"""Speed of the analytic core (issue 2), beside its limits and same-run references.

Run: ``.venv/bin/python -m benchmarks.bench_core`` (JSON to stdout and
``benchmarks/results/core.json``).
"""

from __future__ import annotations

import time

import numpy as np

import ntklab
from benchmarks._util import entry, median_time, write_report


def _straightforward_ntk(x):
    """The textbook numpy version of the two-layer NTK (arccos on full matrices)."""
    z = np.sqrt(x**2 + 1)
    dot = np.outer(x, x) + 1
    norms = np.outer(z, z)
    phi = np.arccos(np.clip(dot / norms, -1, 1))
    return (norms * np.sin(phi) + 2 * dot * (np.pi - phi)) / (2 * np.pi)


def main(n: int = 3000, repeat: int = 5) -> dict:
    x = np.linspace(-1, 1, n)
    results = []

    t_ntk = median_time(lambda: ntklab.ntk(x), repeat)
    t_ref = median_time(lambda: _straightforward_ntk(x), 3)
    results.append(entry(f"ntk Gram, n={n}", t_ntk, limit=0.2, reference=t_ref,
                         reference_what="straightforward numpy arccos formula, same n"))

    grid = ntklab.sample_points(n)  # exactly symmetric: a quarter of K is computed
    t_grid = median_time(lambda: ntklab.ntk(grid), repeat)
    results.append(entry(f"ntk Gram, n={n}, symmetric grid (x = -x[::-1])", t_grid,
                         limit=0.2, reference=t_ntk,
                         reference_what="ntk on linspace points (not exactly symmetric)"))
    for depth in (2, 5):
        t_deep = median_time(lambda d=depth: ntklab.ntk(grid, depth=d), repeat)
        results.append(entry(f"ntk Gram, n={n}, symmetric grid, depth {depth}", t_deep,
                             limit=0.4, reference=t_ntk,
                             reference_what="depth-1 ntk on linspace points"))

    K = ntklab.ntk(x)
    t_eigh = median_time(lambda: np.linalg.eigh(K), 3)

    def top100():
        _, V = ntklab.eigenpairs(K, 100)
        return ntklab.zero_crossings(V)

    t_top = median_time(top100, repeat)
    results.append(entry(f"top-100 eigenpairs + zero crossings, n={n}", t_top, limit=1.0,
                         reference=t_eigh, reference_what="numpy.linalg.eigh of the same matrix"))
    t_full = median_time(lambda: ntklab.eigenpairs(K), 3)
    results.append(entry(f"full spectrum, n={n}", t_full, limit=round(1.2 * t_eigh, 4),
                         reference=t_eigh, reference_what="numpy.linalg.eigh (limit: 1.2x it)"))

    # the spectrum dashboard's n = 3000 depth change: kernel and top-40 eigenpairs, the
    # solver started from the view shown before (spectrum.spectrum_view(previous=))
    from ntklab.experiments import spectrum

    def depth_move(i=[0]):  # noqa: B006 (a counter: each call a new, uncached depth)
        i[0] += 1
        spectrum.forget()
        before = spectrum.spectrum_view(n, depth=1 + i[0] % 4)
        start = time.perf_counter()
        spectrum.spectrum_view(n, depth=2 + i[0] % 4, previous=before)
        return time.perf_counter() - start

    t_move = float(np.median([depth_move() for _ in range(repeat)]))
    t_matmul = median_time(lambda: K @ np.ones((n, 80)), repeat)
    results.append(entry(f"spectrum view, depth change, n={n} (kernel + top-40, warm start)",
                         t_move, limit=0.4, reference=t_matmul,
                         reference_what=f"one ({n}x{n})@({n}x80) matmul, the solver's product"))

    xtr, xte = np.linspace(-1, 1, 1000), np.linspace(-1, 1, 500)
    Ktr, Kte, y = ntklab.ntk(xtr), ntklab.ntk(xte, xtr), np.sin(4 * xtr)
    eig = ntklab.eigenpairs(Ktr)
    times = np.geomspace(1e-3, 1e4, 200)
    t_flow = median_time(lambda: ntklab.gradient_flow(Ktr, y, times, K_test=Kte, eig=eig), repeat)
    G = np.random.default_rng(0).standard_normal((200, 1000))
    t_mm = median_time(lambda: G @ Ktr, repeat)
    results.append(entry("closed-form predictions, 200 times, 1000 train + 500 test", t_flow,
                         limit=0.3, reference=t_mm,
                         reference_what="one (200x1000)@(1000x1000) matmul"))
    return write_report("core", results)


if __name__ == "__main__":
    main()
