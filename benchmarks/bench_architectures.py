"""Speed of the every-architecture-has-a-kernel claim (issue 18): notebook 08's questions at
its full sizes, beside references measured in the same run.

Run: ``.venv/bin/python -m benchmarks.bench_architectures`` (JSON to stdout and
``benchmarks/results/architectures.json``). The issue's number: notebook 8 at full size "in a
couple of minutes" (limit 120 s for the sum of its calls). The references are what each call
cannot avoid, in plain numpy: drawing the same random parameters (the recurrent nets and the
MLPs), the eigenvalues alone (random matrices); for the NTK, the same call again once JAX's
operations are compiled (what compilation costs). Each entry records the load average before
and after: the machine's two cores may be shared.
"""

from __future__ import annotations

import os
import time

import numpy as np

from benchmarks._util import entry, write_report
from ntklab.experiments import architectures as A

T = A.SEQUENCES.shape[1]


def _timed(fn):
    load = os.getloadavg()
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start, load


def _draws(m, count, per_net):
    """Draw ``count`` nets' parameters (``per_net`` m × m matrices and 3 vectors) in numpy."""
    def run():
        rng = np.random.default_rng(0)
        for _ in range(count):
            rng.standard_normal((per_net, m, m))
            rng.standard_normal((3, m))
    return run


def _sym(n):
    G = np.random.default_rng(n).standard_normal((n, n))
    return G + G.T


def _ref(fn):
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main():
    results, total = [], 0.0
    calls = [
        ("rnn_gp: m = 512, 2000 nets shared + 200 fresh",
         lambda: A.rnn_gp(width=512, nets=2000, fresh_nets=200),
         lambda: (_draws(512, 2000, 1)(), _draws(512, 200, T)()),
         "drawing the same parameters in numpy"),
        ("rnn_width_error: m = 64 ... 4096, 4 nets each",
         lambda: A.rnn_width_error(widths=(64, 256, 1024, 4096), seeds=range(4)),
         lambda: [_draws(m, 4, 1)() for m in (64, 256, 1024, 4096)],
         "drawing the same parameters in numpy"),
        ("ntk_spread rnn: m = 32 ... 512, 16 seeds",
         lambda: A.ntk_spread("rnn", (32, 64, 128, 256, 512), seeds=range(16)),
         lambda: A.ntk_spread("rnn", (32, 64, 128, 256, 512), seeds=range(16)),
         "the same call again, JAX's compiled operations cached"),
        ("ntk_spread residual: m = 32 ... 512, 16 seeds",
         lambda: A.ntk_spread("residual", (32, 64, 128, 256, 512), seeds=range(16)),
         lambda: A.ntk_spread("residual", (32, 64, 128, 256, 512), seeds=range(16)),
         "the same call again, JAX's compiled operations cached"),
        ("random_matrix_laws: n = 50 ... 1600, 3 draws",
         lambda: A.random_matrix_laws((50, 100, 200, 400, 800, 1600), repeats=3),
         lambda: [np.linalg.eigvalsh(_sym(n)) for n in (50, 100, 200, 400, 800, 1600)
                  for _ in range(6)],
         "eigvalsh of as many random symmetric matrices of the same sizes"),
        ("weight_spectrum: m = 1024", lambda: A.weight_spectrum(1024),
         lambda: np.linalg.eigvals(np.random.default_rng(0).standard_normal((1024, 1024))),
         "the non-symmetric eigenvalue problem alone"),
        ("gradient_independence: m = 1024, depth 4, 16 seeds",
         lambda: A.gradient_independence(1024, seeds=range(16)),
         lambda: _draws(1024, 64, 3)(),
         "drawing the forward and independent weights in numpy"),
    ]
    for name, run, ref, what in calls:
        result, seconds, load = _timed(run)
        total += seconds
        results.append(entry(name, seconds, reference=_ref(ref), reference_what=what,
                             load_average_before=load, load_average_after=os.getloadavg(),
                             summary=A.summary(result)))
    results.append(entry("notebook 08's calls at full size, summed", total, limit=120.0,
                         load_average_after=os.getloadavg()))
    write_report("architectures", results)


if __name__ == "__main__":
    main()
