"""Speed of the regimes claim (issue 16): one RD point and the coarse phase diagram, beside
references measured in the same run.

Run: ``.venv/bin/python -m benchmarks.bench_regimes`` (JSON to stdout and
``benchmarks/results/regimes.json``). Limits from the issue: one RD point (3 widths × 3
seeds, up to m = 4096, 6 points) ≤ 10 s; the coarse 7 × 7 map ≤ 2 min. The reference is
plain GD at a fixed step of the same nets (``ntklab.train(lr=...)``, no estimates, no
stopping rule) for as many steps as the measured run took: what the protocol's adaptive
step, records and stopping add on top of the training itself.
"""

from __future__ import annotations

import time

import numpy as np

import ntklab
from benchmarks._util import entry, median_time, write_report
from ntklab.experiments import regimes as R


def _plain_gd(widths, seeds, steps_per_width, parameterization):
    """Fixed-step GD of the same ensembles for the same step counts (the reference)."""
    data = ntklab.make_dataset(R.TARGET, R.N_TRAIN, 2, kind="grid")
    nets = {m: [ntklab.init_params(s, m, parameterization=parameterization) for s in seeds]
            for m in widths}

    def run():
        for m, steps in zip(widths, steps_per_width, strict=True):
            ntklab.train(nets[m], data.x_train, data.y_train, steps=int(steps), lr=1e-3,
                         record=2, linear=False)

    return run


def bench_rd_point(parameterization, repeat=3):
    res = R.rd_vs_width(parameterization)  # warm-up (compiles) and the step counts
    t = median_time(lambda: R.rd_vs_width(parameterization), repeat, warmup=0)
    ref = _plain_gd(R.RD_WIDTHS, R.SEEDS, res.steps, parameterization)
    t_ref = median_time(ref, repeat)
    return entry(f"RD point {parameterization}: m = {R.RD_WIDTHS}, {len(R.SEEDS)} seeds, "
                 f"n = {R.N_TRAIN}", t, limit=10.0, reference=t_ref,
                 reference_what="fixed-step GD of the same ensembles for the same steps",
                 steps_per_width=[int(s) for s in res.steps], slope=round(res.slope, 4))


def bench_map():
    cells = []
    start = time.perf_counter()
    d = R.phase_diagram(on_cell=lambda done, total: cells.append(time.perf_counter()))
    t = time.perf_counter() - start
    per_cell = np.diff([start, *cells])
    steps = d.steps.sum(axis=(0, 1))  # per width, summed over cells
    t_ref = median_time(_plain_gd(R.RD_WIDTHS, (0,), steps, (1.5, 0.0)), 1, warmup=1)
    summary = R.summary(d)
    agree, total = summary["agree"], summary["off_boundary"]
    return entry(f"coarse phase diagram {d.slope.shape[0]} x {d.slope.shape[1]}, "
                 f"m = {R.RD_WIDTHS}, seed 0, cap {d.max_steps}", t, limit=120.0,
                 reference=t_ref, reference_what="fixed-step GD of one net per width for the "
                 "map's total steps", cell_median_seconds=round(float(np.median(per_cell)), 3),
                 cell_max_seconds=round(float(per_cell.max()), 3),
                 total_steps=int(d.steps.sum()), converged_cells=int(d.converged.sum()),
                 off_boundary_agree=agree, off_boundary_total=total)


def main():
    results = [bench_rd_point((1.5, 0.0)), bench_rd_point("mean_field"), bench_rd_point("ntk"),
               bench_map()]
    write_report("regimes", results)


if __name__ == "__main__":
    main()
