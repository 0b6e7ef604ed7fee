"""Speed of a net beside its linearization on digits (issue 17), beside its limit and a
reference measured in the same run.

Run: ``.venv/bin/python -m benchmarks.bench_digits`` (JSON to stdout and
``benchmarks/results/digits.json``; about 1-3 minutes).

The issue's target: "Net + linearization on 500 digits, CNN with 64 channels, 500 GD steps:
≤ 30 s after compilation". Measured with :func:`ntklab.train_images` on a seeded split of
500 training and 500 test digits (all ten classes), the CNN ``[conv 3×3 → ReLU] → GAP →
dense(10)`` with 64 channels, 500 full-batch GD steps (float32), a record every 10 steps
(test and training loss and accuracy of both models, RMSE between them, weight change), for
MSE on centred one-hot targets and for softmax cross-entropy. Reported separately:
compilation (``compile_seconds``: compiling the step and record programs, one call each),
the default step's λ_max (Lanczos at init, float64), and the 500 steps with their records
(``train_seconds``, the figure held against the limit). Beside them: the same run's
(2048 × 2048) @ (2048 × 2048) float64 matrix product (median of 3), the process's CPU
seconds and the load average before and after, since the machine's two cores are shared.
"""

from __future__ import annotations

import os
import time

import numpy as np

import ntklab
from benchmarks._util import entry, median_time, write_report

LIMIT = 30.0  # seconds after compilation (the issue)


def _matmul_reference() -> float:
    a = np.random.default_rng(0).standard_normal((2048, 2048))
    return median_time(lambda: a @ a, repeat=3)


def main():
    (xtr, ytr), (xte, yte) = ntklab.load_digits(n_train=500, n_test=500, seed=0)
    results = []
    for loss, (t_tr, t_te) in (("mse", (ntklab.onehot_targets(ytr), ntklab.onehot_targets(yte))),
                               ("cross_entropy", (ytr, yte))):
        load_before = os.getloadavg()
        reference = _matmul_reference()
        cpu = time.process_time()
        res = ntklab.train_images(xtr, t_tr, xte, t_te, arch="cnn", width=64, depth=1,
                                  pooling="gap", loss=loss, optimizer="gd", steps=500,
                                  record_every=10)
        cpu = time.process_time() - cpu
        results.append(entry(
            f"CNN (64 channels, GAP) + linearization, 500 digits, 500 GD steps, {loss}",
            res.train_seconds, limit=LIMIT, reference=reference,
            reference_what="(2048 x 2048) @ (2048 x 2048) float64, median of 3, same run",
            compile_seconds=round(res.compile_seconds, 3),
            lam_max_seconds=round(res.seconds - res.compile_seconds - res.train_seconds, 3),
            total_seconds=round(res.seconds, 3), cpu_seconds=round(cpu, 3),
            load_average_before=[round(v, 2) for v in load_before],
            load_average_after=[round(v, 2) for v in os.getloadavg()],
            records=int(res.steps.size), n_params=res.n_params, lr=res.lr,
            test_accuracy_net=round(float(res.accuracy_net[-1]), 4),
            test_accuracy_lin=round(float(res.accuracy_lin[-1]), 4),
            rmse_net_lin=round(float(res.rmse_net_lin[-1]), 6)))
    return write_report("digits", results)


if __name__ == "__main__":
    main()
