"""The table (issue 17): kernel regression with the fully connected NTK, CNTK-flatten and
CNTK-GAP at depths 1-5 beside trained finite CNNs of the same architecture at a few
widths, on one split of digits, with the time each took: the digits analogue of Table 1 of
Arora et al. 2019 ("On exact computation with an infinitely wide neural net", CIFAR-10:
CNN-V 61.97-80.56 %, CNTK-V 64.09-66.03 %, CNN-GAP 57.96-81.23 %, CNTK-GAP 70.47-77.43 %
over depths 3, 4, 6, 11, 21). docs/science.md §3.12 has the protocol and the numbers.

* :func:`kernel_table`: the table on one split (seconds for flatten and FC kernels, minutes
  for GAP and the nets at full size: the shipped table is data,
  :func:`load_kernel_table`, re-computed by ``ntklab.experiments.kernel_table.main``);
* :func:`kernel_regression`: the kernel predictor K(X*, X)·(K(X, X) + λI)⁻¹·Y;
* :func:`summary`, :func:`claims`: what the table's caption says, checked.

Protocol (the defaults): :func:`ntklab.shifted_digits` (random whole-pixel shifts of up to
one pixel and N(0, 0.25²) pixel noise; on the clean digits every kernel reaches 96-99 % and
the table says little), ten classes, a stratified 500/500 split of seed 0, centred one-hot
targets (Lee et al. 2019's MSE targets), prediction = the class of the largest output.
Kernels: exact kernel regression (ridge 0: the t → ∞ limit of gradient flow on the MSE
from a zero output), init scale 1. Nets: :func:`ntklab.finite.images.train_images` on the
same split, ``arch="cnn"`` of the kernels' architecture (init scale 1), softmax
cross-entropy on the labels with full-batch heavy-ball momentum 0.9 for 3 000 steps at its
default step (half the linearized stability limit), float32, init seed 0; the test accuracy
at the end of training. The nets (:data:`NET_CELLS`): 16 channels at every depth of the
kernels, 32 at depths 2 and 3, 64 at depth 1 (a net of 64 channels at depth 2 costs about 16
times the 16-channel one per step, its inner convolutions being 64 × 64: about 12 minutes
for 3 000 steps on two cores, an hour for depths 2-5). A run whose training collapses (its
final training loss above :data:`COLLAPSE` times its lowest recorded one: a late jump of the
loss after which the ReLUs die and the net answers one class) is re-run from the same θ₀ at
half the step, at most :data:`MAX_HALVINGS` times; the row records the step and the number
of halvings. MSE with plain gradient descent at the default step barely moves a GAP net
(the largest NTK eigenvalue, the pooled mean, sets the step): measured 14 % after 500
steps at width 64.
"""

from __future__ import annotations

import dataclasses
import json
import math
import time
from pathlib import Path

import numpy as np
import scipy.linalg

from ..analytic.conv_kernels import cntk_and_cnngp_by_depth
from ..analytic.images import load_digits, onehot_targets, shifted_digits
from ..analytic.validate import as_int
from .common import Claim, Progress, frozen, int_list, say

__all__ = [
    "ARORA_2019",
    "DEPTHS",
    "KERNEL_MODELS",
    "MODELS",
    "NET_CELLS",
    "NET_MODELS",
    "KernelTable",
    "Row",
    "claims",
    "kernel_regression",
    "kernel_table",
    "load_kernel_table",
    "save_kernel_table",
    "summary",
]

KERNEL_MODELS = ("FC-NTK", "CNTK-flatten", "CNTK-GAP")
NET_MODELS = ("CNN-flatten", "CNN-GAP")
MODELS = KERNEL_MODELS + NET_MODELS
TASKS = ("shifted", "clean")
DEPTHS = (1, 2, 3, 4, 5)
# the trained nets' (depth, width) cells: 16 channels at every depth, 32 at depths 2-3, 64 at 1
NET_CELLS = ((1, 16), (1, 64), (2, 16), (2, 32), (3, 16), (3, 32), (4, 16), (5, 16))
N_TRAIN = N_TEST = 500
SEED = 0
RIDGE = 0.0
NET_LOSS = "cross_entropy"
NET_OPTIMIZER = "momentum"
NET_STEPS = 3000
NET_RECORDS = 30  # training-loss records per net run, read by the collapse check
COLLAPSE = 2.0  # collapsed: the final training loss above 2x the lowest recorded
MAX_HALVINGS = 3
# Arora et al. 2019, Table 1 (CIFAR-10, depths 3, 4, 6, 11, 21): lowest and highest test
# accuracy (%) of each column; "-V" is their vanilla net (flatten), quoted in the claims.
ARORA_2019 = {"CNN-flatten": (61.97, 80.56), "CNTK-flatten": (64.09, 66.03),
              "CNN-GAP": (57.96, 81.23), "CNTK-GAP": (70.47, 77.43)}
_DATA = Path(__file__).with_name("data") / "kernel_table.json"


@dataclasses.dataclass(frozen=True)
class Row:
    """One cell of the table: a model at a depth and width (``math.inf`` for a kernel), its
    test accuracy (fraction) and the wall seconds it took (kernels and regression, or the
    training, re-runs included); for a net also its training accuracy, the step η it was
    trained with and how often :func:`kernel_table` halved that step (a kernel: NaN, NaN,
    0)."""

    model: str
    depth: int
    width: float
    accuracy: float
    seconds: float
    train_accuracy: float = math.nan
    step: float = math.nan
    halvings: int = 0


@dataclasses.dataclass(frozen=True)
class KernelTable:
    """The table: its rows and the protocol that made them (module docstring)."""

    rows: tuple
    task: str
    n_train: int
    n_test: int
    seed: int
    ridge: float
    net_steps: int
    net_optimizer: str
    net_loss: str
    seconds: float
    note: str = ""

    def row(self, model, depth, width=math.inf) -> Row:
        """The row of ``model`` at ``depth`` and ``width`` (``KeyError`` if absent)."""
        for r in self.rows:
            if r.model == model and r.depth == depth and r.width == width:
                return r
        raise KeyError(f"no row {model!r} at depth {depth}, width {width}")

    def of(self, model) -> tuple:
        """The rows of one model, in the table's order."""
        return tuple(r for r in self.rows if r.model == model)


def _split(task, n_train, n_test, seed):
    if task not in TASKS:
        raise ValueError(f"task must be one of {TASKS}, got {task!r}")
    make = shifted_digits if task == "shifted" else load_digits
    (xtr, ytr), (xte, yte) = make(n_train=n_train, n_test=n_test, seed=seed)
    return xtr, ytr, xte, yte


def _cells(cells) -> tuple:
    """``net_cells`` checked: distinct (depth, width) pairs, depth 1-10, width 1-4096."""
    try:
        pairs = [tuple(c) for c in cells]
    except TypeError:
        pairs = None
    if not pairs or any(len(c) != 2 for c in pairs) or len(set(pairs)) != len(pairs):
        raise ValueError(f"net_cells must be distinct (depth, width) pairs, got {cells!r}")
    for d, w in pairs:
        as_int(d, "net_cells depth", 1, 10)
        as_int(w, "net_cells width", 1, 4096)
    return tuple((int(d), int(w)) for d, w in pairs)


def _collapsed(res) -> bool:
    """Did this training run collapse: a non-finite loss, or a final training loss above
    :data:`COLLAPSE` times the lowest one recorded?"""
    losses = np.asarray(res.train_loss_net, dtype=np.float64)
    return bool(res.diverged or not np.all(np.isfinite(losses))
                or losses[-1] > COLLAPSE * losses.min())


def _train_net(xtr, t_train, xte, t_test, *, depth, width, pooling, loss, optimizer, steps,
               seed):
    """(result, halvings): one net of the table trained at the default step, and again
    from the same θ₀ at half the step after each collapse (:func:`_collapsed`), at most
    :data:`MAX_HALVINGS` times (the last run is kept, collapsed or not)."""
    from ..finite.images import train_images

    lr, halvings = None, 0
    while True:
        res = train_images(xtr, t_train, xte, t_test, arch="cnn", width=width, depth=depth,
                           pooling=pooling, loss=loss, optimizer=optimizer, steps=steps,
                           lr=lr, seed=seed, record_every=max(1, steps // NET_RECORDS),
                           linearization=False, work_budget=None)
        if halvings == MAX_HALVINGS or not _collapsed(res):
            return res, halvings
        lr, halvings = res.lr / 2, halvings + 1


def kernel_regression(k_train, k_test, y_train, ridge=0.0) -> np.ndarray:
    """K(X*, X)·(K(X, X) + λ·mean(diag K)·I)⁻¹·Y: the kernel predictor (λ = ``ridge``, 0 for
    exact interpolation), outputs of shape (n_test,) + Y.shape[1:].

    >>> k = np.array([[2.0, 1.0], [1.0, 2.0]])
    >>> np.round(kernel_regression(k, k, np.array([1.0, -1.0])), 12).tolist()
    [1.0, -1.0]
    """
    k_train = np.asarray(k_train, dtype=np.float64)
    k_test = np.asarray(k_test, dtype=np.float64)
    y = np.asarray(y_train, dtype=np.float64)
    n = k_train.shape[0]
    if k_train.shape != (n, n) or k_test.ndim != 2 or k_test.shape[1] != n or y.shape[0] != n:
        raise ValueError(f"k_train must be (n, n), k_test (m, n) and y_train (n, ...), got "
                         f"{k_train.shape}, {k_test.shape}, {y.shape}")
    if isinstance(ridge, bool) or not (isinstance(ridge, int | float) and 0 <= ridge <= 1e6):
        raise ValueError(f"ridge must be a number in [0, 1e6], got {ridge!r}")
    a = k_train + (ridge * float(np.mean(np.diag(k_train)))) * np.eye(n)
    return k_test @ scipy.linalg.solve(a, y, assume_a="pos")


def _accuracy(outputs, labels, classes) -> float:
    return float(np.mean(np.asarray(classes)[np.argmax(outputs, axis=1)] == labels))


def _fc_kernels(xtr, xte, depth):
    from ..finite.images import mlp_ntk  # the fully connected NTK on flattened images

    return mlp_ntk(xtr, depth=depth), mlp_ntk(xte, xtr, depth=depth)


def kernel_table(*, task="shifted", n_train=N_TRAIN, n_test=N_TEST, seed=SEED,
                 depths=DEPTHS, models=MODELS, net_cells=NET_CELLS, net_steps=NET_STEPS,
                 net_optimizer=NET_OPTIMIZER, net_loss=NET_LOSS,
                 ridge=RIDGE, progress: Progress = None) -> KernelTable:
    """The table on one split (module docstring): kernel regression with each kernel model
    at ``depths``, each net model at each (depth, width) of ``net_cells`` trained for
    ``net_steps`` steps. ``progress`` gets a line per row. At the defaults this takes many
    minutes on two cores (the CNTK-GAP kernels at depths 1-5 about 4 minutes: all depths in
    one pass, :func:`ntklab.analytic.conv_kernels.cntk_and_cnngp_by_depth`); the shipped
    result is :func:`load_kernel_table`."""
    depths = int_list(depths, "depths", 1, 10, min_len=1)
    net_cells = _cells(net_cells)
    models = tuple(models)
    bad = [m for m in models if m not in MODELS]
    if bad or not models:
        raise ValueError(f"models must be some of {MODELS}, got {models!r}")
    net_steps = as_int(net_steps, "net_steps", 1, 1_000_000)
    seed = as_int(seed, "seed", 0, 2**32 - 1)
    xtr, ytr, xte, yte = _split(task, n_train, n_test, seed)
    classes = tuple(int(c) for c in np.unique(ytr))
    y_train, y_test = onehot_targets(ytr, classes), onehot_targets(yte, classes)
    rows = []
    start = time.perf_counter()

    def add(model, depth, width, accuracy, seconds, train_accuracy=math.nan, step=math.nan,
            halvings=0):
        rows.append(Row(model, int(depth), float(width), float(accuracy), float(seconds),
                        float(train_accuracy), float(step), int(halvings)))
        say(progress, f"{model} depth {depth}" + ("" if width == math.inf else
                                                 f" width {width}")
            + f": {100 * rows[-1].accuracy:.1f} % ({seconds:.1f} s"
            + (f", step halved {halvings}×" if halvings else "") + ")")

    for model in (m for m in KERNEL_MODELS if m in models):
        if model == "FC-NTK":
            for d in depths:
                t0 = time.perf_counter()
                k_train, k_test = _fc_kernels(xtr, xte, d)
                out = kernel_regression(k_train, k_test, y_train, ridge)
                add(model, d, math.inf, _accuracy(out, yte, classes), time.perf_counter() - t0)
            continue
        # every depth in one pass; a row's seconds is that pass's time × d/D (the cost of
        # the recursion is the same for every layer) plus its own regression
        pooling = "gap" if model == "CNTK-GAP" else "flatten"
        t0 = time.perf_counter()
        k_train = cntk_and_cnngp_by_depth(xtr, depth=max(depths), pooling=pooling)[0]
        k_test = cntk_and_cnngp_by_depth(xte, xtr, depth=max(depths), pooling=pooling)[0]
        kernel_seconds = time.perf_counter() - t0
        for d in depths:
            t1 = time.perf_counter()
            out = kernel_regression(k_train[d - 1], k_test[d - 1], y_train, ridge)
            add(model, d, math.inf, _accuracy(out, yte, classes),
                kernel_seconds * d / max(depths) + time.perf_counter() - t1)
    nets = [m for m in NET_MODELS if m in models]
    if nets:
        # cross-entropy takes the labels; MSE the centred one-hot targets of the kernels
        t_train, t_test = (ytr, yte) if net_loss == "cross_entropy" else (y_train, y_test)
        for model in nets:
            for d, w in net_cells:
                t0 = time.perf_counter()
                res, halvings = _train_net(
                    xtr, t_train, xte, t_test, depth=d, width=w,
                    pooling="gap" if model == "CNN-GAP" else "flatten", loss=net_loss,
                    optimizer=net_optimizer, steps=net_steps, seed=seed)
                add(model, d, w, res.accuracy_net[-1], time.perf_counter() - t0,
                    train_accuracy=res.train_accuracy_net[-1], step=res.lr,
                    halvings=halvings)
    return frozen(KernelTable(
        rows=tuple(rows), task=task, n_train=int(xtr.shape[0]), n_test=int(xte.shape[0]),
        seed=seed, ridge=float(ridge), net_steps=net_steps, net_optimizer=str(net_optimizer),
        net_loss=str(net_loss), seconds=time.perf_counter() - start))


def save_kernel_table(table: KernelTable, path=_DATA) -> Path:
    """Write a :class:`KernelTable` as JSON (the shipped one is
    ``ntklab/experiments/data/kernel_table.json``)."""
    out = dataclasses.asdict(table)
    out["rows"] = [{k: None if isinstance(v, float) and not math.isfinite(v) else v
                    for k, v in dataclasses.asdict(r).items()} for r in table.rows]
    path = Path(path)
    path.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    return path


def load_kernel_table(path=_DATA) -> KernelTable:
    """The :class:`KernelTable` written by :func:`save_kernel_table` (default: the table
    shipped with ntklab, computed by :func:`kernel_table` at its defaults)."""
    raw = json.loads(Path(path).read_text(encoding="utf-8"))

    def number(r, key, missing=math.nan):  # JSON null: NaN (inf for a kernel's width)
        return missing if r.get(key) is None else float(r[key])

    rows = tuple(Row(r["model"], int(r["depth"]), number(r, "width", math.inf),
                     float(r["accuracy"]), float(r["seconds"]), number(r, "train_accuracy"),
                     number(r, "step"), int(r.get("halvings", 0))) for r in raw.pop("rows"))
    return KernelTable(rows=rows, **raw)


# ---------------------------------------------------------------- summary and claims


def _best(table, model):
    rows = table.of(model)
    return max(rows, key=lambda r: r.accuracy) if rows else None


def _cell(row):
    """A row's key in :func:`summary`: its depth (a kernel) or "depth x width" (a net)."""
    return row.depth if row.width == math.inf else f"{row.depth}x{int(row.width)}"


def summary(table: KernelTable) -> dict:
    """The numbers a caption or a notebook quotes: per model its accuracies (%) by depth
    (and width), the best row, and the total seconds; for the nets also their training
    accuracies (%) and how often their step was halved."""
    if not isinstance(table, KernelTable):
        raise ValueError(f"no summary for {type(table).__name__}")
    out = {"task": table.task, "n_train": table.n_train, "n_test": table.n_test,
           "seconds": table.seconds, "models": {}}
    for model in MODELS:
        rows = table.of(model)
        if not rows:
            continue
        best = _best(table, model)
        out["models"][model] = {
            "accuracy": {_cell(r): round(100 * r.accuracy, 1) for r in rows},
            "seconds": {_cell(r): round(r.seconds, 1) for r in rows},
            "best": round(100 * best.accuracy, 1), "best_depth": best.depth,
            "best_width": None if best.width == math.inf else int(best.width)}
        if model in NET_MODELS:
            out["models"][model]["train_accuracy"] = {
                _cell(r): round(100 * r.train_accuracy, 1) for r in rows}
            out["models"][model]["halvings"] = {_cell(r): r.halvings for r in rows}
    return out


def claims(table: KernelTable) -> tuple:
    """The checked statements of the table's caption (figure ``"table"``), each made only
    when the table has the rows it needs:

    - ``gap_helps_kernels``: CNTK-GAP beats CNTK-flatten at every depth of the table (Arora
      et al. 2019: CNTK-GAP 70.47-77.43 % against CNTK-V 64.09-66.03 % on CIFAR-10);
    - ``gap_helps_nets``: the trained CNN-GAP beats the CNN-flatten of the same depth and
      width in every cell (Arora et al.: true for their best nets, 81.23 against 80.56 %);
    - ``finite_beats_kernel``: a gap remains between infinite and finite width in Arora et
      al.'s direction: the best trained CNN-GAP beats the best CNTK-GAP (81.23 against
      77.43 % there); when it does not, the text says so with our numbers;
    - ``conv_beats_fc``: the best CNTK (either pooling) beats the best fully connected NTK.
    """
    out = []
    kernels = {m: {r.depth: r.accuracy for r in table.of(m)} for m in KERNEL_MODELS}
    common = sorted(set(kernels["CNTK-GAP"]) & set(kernels["CNTK-flatten"]))
    if common:
        margins = [kernels["CNTK-GAP"][d] - kernels["CNTK-flatten"][d] for d in common]
        worst = common[int(np.argmin(margins))]
        out.append(Claim("kernel_table.gap_helps_kernels", "table", min(margins) > 0, {
            "depths": f"{common[0]}-{common[-1]}" if len(common) > 1 else str(common[0]),
            "gap_min": 100 * min(kernels["CNTK-GAP"][d] for d in common),
            "gap_max": 100 * max(kernels["CNTK-GAP"][d] for d in common),
            "flat_min": 100 * min(kernels["CNTK-flatten"][d] for d in common),
            "flat_max": 100 * max(kernels["CNTK-flatten"][d] for d in common),
            "margin": 100 * min(margins), "worst_depth": worst,
            "arora_gap": "70.47-77.43", "arora_flat": "64.09-66.03"}))
    gap_nets = {(r.depth, r.width): r.accuracy for r in table.of("CNN-GAP")}
    gap_train = {(r.depth, r.width): r.train_accuracy for r in table.of("CNN-GAP")}
    flat_nets = {(r.depth, r.width): r.accuracy for r in table.of("CNN-flatten")}
    cells = sorted(set(gap_nets) & set(flat_nets))
    if cells:
        margins = [gap_nets[c] - flat_nets[c] for c in cells]
        worst = cells[int(np.argmin(margins))]
        out.append(Claim("kernel_table.gap_helps_nets", "table", min(margins) > 0, {
            "cells": len(cells), "wins": int(sum(m > 0 for m in margins)),
            "margin": 100 * min(margins), "worst_depth": worst[0], "worst_width": int(worst[1]),
            "worst_gap": 100 * gap_nets[worst], "worst_flat": 100 * flat_nets[worst],
            "worst_gap_train": 100 * gap_train[worst], "steps": table.net_steps,
            "best_gap": 100 * max(gap_nets.values()), "best_flat": 100 * max(flat_nets.values()),
            "arora_gap": 81.23, "arora_flat": 80.56}))
    net, ker = _best(table, "CNN-GAP"), _best(table, "CNTK-GAP")
    if net is not None and ker is not None:
        same = [r.accuracy for r in table.of("CNTK-GAP") if r.depth == net.depth]
        out.append(Claim("kernel_table.finite_beats_kernel", "table",
                         net.accuracy > ker.accuracy, {
                             "net": 100 * net.accuracy, "net_depth": net.depth,
                             "net_width": int(net.width), "kernel": 100 * ker.accuracy,
                             "kernel_depth": ker.depth,
                             "kernel_at_net_depth": 100 * same[0] if same else math.nan,
                             "diff": 100 * abs(net.accuracy - ker.accuracy),
                             "arora_net": 81.23, "arora_kernel": 77.43}))
    conv = [b for b in (_best(table, "CNTK-GAP"), _best(table, "CNTK-flatten")) if b]
    fc = _best(table, "FC-NTK")
    if conv and fc is not None:
        top = max(conv, key=lambda r: r.accuracy)
        out.append(Claim("kernel_table.conv_beats_fc", "table", top.accuracy > fc.accuracy, {
            "conv": 100 * top.accuracy, "conv_model": top.model, "conv_depth": top.depth,
            "fc": 100 * fc.accuracy, "fc_depth": fc.depth}))
    return tuple(out)


def main() -> None:  # pragma: no cover - the shipped table, a long run
    """Re-compute the shipped table at the defaults and write it (progress on stdout)."""
    table = kernel_table(progress=print)
    path = save_kernel_table(table)
    print(f"{len(table.rows)} rows in {table.seconds:.0f} s -> {path}")


if __name__ == "__main__":  # pragma: no cover
    main()
