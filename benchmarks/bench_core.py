"""Speed of the analytic core (issue 2), beside its limits and same-run references.

Run: ``.venv/bin/python -m benchmarks.bench_core`` (JSON to stdout and
``benchmarks/results/core.json``).
"""

from __future__ import annotations

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
