"""Nets on handwritten digits beside their linearization (docs/science.md §3.14).

Lee et al. 2019 ("Wide neural networks of any depth evolve as linear models under gradient
descent") train fully connected and convolutional nets on images with several losses and
optimizers and find that a wide net tracks its linearization
f_lin(x; θ) = f(x; θ₀) + ∇_θ f(x; θ₀)·(θ − θ₀); the gap between them falls with width
("about 1/N" for fully connected nets) and grows with the data set size. This module measures
that on scikit-learn's bundled digits (:func:`ntklab.load_digits`):

* :func:`digits_run`: one net and its linearization over training (:func:`ntklab.train_images`),
  for an MLP or a CNN, MSE or cross-entropy, GD, momentum or SGD, on "3 against 8" (±1
  targets, the analogue of Lee et al.'s horse against plane) or all ten digits (centred
  one-hot targets for MSE, as Lee et al. do);
* :func:`gap_vs_width`: RMSE(f_NN, f_lin) on the test digits at the end of training against
  the width, with the fitted log-log slope; every width takes the same step η (the smallest
  of their default steps), so all reach the same time;
* :func:`gap_vs_n`: the same against the number of training digits, at one width (each n
  with its own default step 1/λ_max, which grows ∝ n for the summed loss: the analogue of a
  fixed step on Lee et al.'s mean loss); the test digits are the same for every n.

``summary(result)`` gives the numbers a caption quotes; ``claims(result, ...)`` the checked
statements (:class:`ntklab.experiments.common.Claim`), whose texts are
``claim.digits.<name>.yes/.no`` in :mod:`ntklab.app.strings`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from ..analytic.images import binary_targets, load_digits, onehot_targets
from ..analytic.metrics import fit_power_law
from ..analytic.validate import Refusal, as_int
from .common import Claim, frozen, int_list, say

__all__ = [
    "DigitsRun",
    "GapSweep",
    "claims",
    "digits_run",
    "gap_vs_n",
    "gap_vs_width",
    "summary",
]

TASKS = ("3 vs 8", "ten digits")
BINARY_CLASSES = (3, 8)
DATA_SEED = 0  # the train/test split: the same digits for every net seed
SHOWN_DIGITS = 8  # test digits whose predictions a figure shows
# defaults of one run: 200 training and 150 test digits, 3 against 8, a 1024-wide MLP (at
# width 512 the gap measured 10.6 % of the outputs' size, just over AGREE; at 1024, 8 %)
RUN_DEFAULTS = dict(task="3 vs 8", arch="mlp", width=1024, depth=1, pooling="flatten",
                    loss="mse", optimizer="gd", n_train=200, n_test=150, steps=300)
SWEEP_WIDTHS = {"mlp": (64, 128, 256, 512, 1024, 2048), "cnn": (16, 32, 64, 128, 256)}
SWEEP_SIZES = (25, 50, 100, 200)  # 3 against 8: 357 images in all, 150 of them for testing

# --- what the captions may say, checked ----------------------------------------------------
AGREE = 0.1  # the net and its linearization "agree": RMSE(f_NN, f_lin) ≤ 10 % of the RMS of
# the net's test outputs at the end of training
SAME_PREDICTIONS = 0.95  # ... and they predict the same class for at least 95 % of the digits
ACCURACY_GAP = 0.03  # "as accurate": test accuracies within 3 points
LEARNS = 0.25  # the net "learns": its test accuracy ends at least 25 points above chance
SOURCE_SLOPE = -1.0  # Lee et al. 2019: the gap "about 1/N" for fully connected nets
SLOPE_TOL = 0.25  # a fitted slope "is" the source's when within ±0.25 of it


def _targets(task, loss, labels):
    if task == "3 vs 8":
        return binary_targets(labels, BINARY_CLASSES) if loss == "mse" else labels
    return onehot_targets(labels) if loss == "mse" else labels


def _task(task):
    if task not in TASKS:
        raise ValueError(f"task must be one of {TASKS}, got {task!r:.60}")
    return BINARY_CLASSES if task == "3 vs 8" else None


def _split(task, n_train, n_test, data_seed=DATA_SEED):
    classes = _task(task)
    n_all = 357 if classes else 1797  # images of 3 and 8; all digits
    n_train = as_int(n_train, "n_train", 2, n_all - 1)
    n_test = as_int(n_test, "n_test", 1, n_all - n_train)
    return load_digits(classes=classes, n_train=n_train, n_test=n_test, seed=data_seed)


@dataclass(frozen=True)
class DigitsRun:
    """One net beside its linearization on digits.

    Attributes:
        task: ``"3 vs 8"`` or ``"ten digits"``; result: the :class:`ntklab.ImageTrainResult`
        (every setting, and per record: test and train losses and accuracies of both
        models, RMSE(f_NN, f_lin), weight change); shown_images (SHOWN_DIGITS, 8, 8) and
        shown_labels: the first test digits, whose final outputs are
        ``result.test_outputs_net[:SHOWN_DIGITS]`` (and ``_lin``); chance: the accuracy of
        always answering the most frequent test class.
    """

    task: str
    result: object = field(repr=False)
    shown_images: np.ndarray = field(repr=False)
    shown_labels: np.ndarray = field(repr=False)
    chance: float = 0.5


def digits_run(*, task="3 vs 8", arch="mlp", width=1024, depth=1, pooling="flatten",
               loss="mse", optimizer="gd", n_train=200, n_test=150, steps=300, lr=None,
               momentum=0.9, batch_size=None, init_scale=1.0, seed=0, record_every=10,
               dtype="float32", progress=None, on_progress=None, work_budget="default"):
    """Train one net and its linearization on digits (:func:`ntklab.train_images`).

    Args:
        task: ``"3 vs 8"`` (±1 targets for MSE) or ``"ten digits"`` (centred one-hot for
            MSE); cross-entropy takes the digit labels.
        n_train, n_test: sizes of the seeded, stratified split (the same digits for every
            ``seed``, which draws the net and the minibatches).
        progress: a callable taking status lines (``print``); on_progress: called with each
            :class:`ntklab.ImageProgress` (returning ``False`` stops training).
        work_budget: passed to :func:`ntklab.train_images` (``"default"``: its budget;
            ``None``: no limit). The other arguments are :func:`ntklab.train_images`'.
    """
    from ..finite.images import IMAGE_WORK_BUDGET, train_images  # JAX: on first run

    (xtr, ytr), (xte, yte) = _split(task, n_train, n_test)
    budget = IMAGE_WORK_BUDGET if work_budget == "default" else work_budget
    say(progress, f"training a {arch} of width {width} and its linearization on {n_train} "
                  f"digits ({task}, {loss}, {optimizer}) for {steps} steps")
    res = train_images(xtr, _targets(task, loss, ytr), xte, _targets(task, loss, yte),
                       arch=arch, width=width, depth=depth, pooling=pooling,
                       init_scale=init_scale, loss=loss, optimizer=optimizer, steps=steps, lr=lr,
                       momentum=momentum, batch_size=batch_size, seed=seed,
                       record_every=record_every, on_progress=on_progress, dtype=dtype,
                       work_budget=budget)
    say(progress, f"  done in {res.seconds:.1f} s: test accuracy net {res.accuracy_net[-1]:.1%}, "
                  f"linearization {res.accuracy_lin[-1]:.1%}")
    counts = np.unique(yte, return_counts=True)[1]
    return frozen(DigitsRun(task=task, result=res, shown_images=xte[:SHOWN_DIGITS].copy(),
                            shown_labels=yte[:SHOWN_DIGITS].copy(),
                            chance=float(counts.max() / counts.sum())))


@dataclass(frozen=True)
class GapSweep:
    """RMSE(f_NN, f_lin) at the end of training against the width or the training-set size.

    Attributes:
        variable: ``"width"`` or ``"n_train"``; values: the widths or sizes, (V,);
        rmse: (S, V) over net seeds; rms: the RMS of the nets' test outputs, (S, V);
        weight_change: the nets' relative weight change, (S, V); accuracy_net and
        accuracy_lin: test accuracies, (S, V); lr: the step of each run, (S, V);
        slope, fitted: the least-squares line of log RMSE against log value (seed-mean
        RMSE): its slope and its values at ``values`` (NaN when an RMSE is 0);
        slope_weight_change: the same slope for the weight change;
        settings: the run's other settings; seconds: wall time.
    """

    variable: str
    values: np.ndarray
    rmse: np.ndarray
    rms: np.ndarray
    weight_change: np.ndarray
    accuracy_net: np.ndarray
    accuracy_lin: np.ndarray
    lr: np.ndarray
    slope: float
    fitted: np.ndarray
    slope_weight_change: float
    settings: dict
    seconds: float


def _sweep_budget(runs, budget):
    """Refuse a sweep whose summed work is over ``budget`` before any run."""
    if budget is None:
        return
    from ..finite.images import IMAGE_WORK_BUDGET, work

    total = sum(work(*r) for r in runs)
    if total > budget:
        seconds = total / IMAGE_WORK_BUDGET * 60.0
        raise Refusal(f"this sweep would take about {seconds:.0f} s here (work {total:.2g} "
                      f"over the budget {budget:.2g}); use fewer widths, steps or digits",
                      "work", seconds=seconds, work=total, budget=budget)


def _fit(values, v):
    """(slope, fitted values) of log v against log values; NaN when some v is not > 0."""
    if np.all(v > 0):
        slope, fitted = fit_power_law(values, v)
        return float(slope), fitted
    return float("nan"), np.full(np.shape(v), np.nan)


def _sweep(variable, values, seeds, task, arch, depth, pooling, loss, optimizer, steps,
           width, n_train, n_test, momentum, dtype, budget, progress):
    from ..finite.images import default_image_lr, init_image_params, train_images

    values = np.asarray(values, dtype=np.int64)
    (xtr, ytr), (xte, yte) = _split(task, int(n_train if variable == "width" else values.max()),
                                    n_test)
    t_tr, t_te = _targets(task, loss, ytr), _targets(task, loss, yte)
    k = 1 if task == "3 vs 8" and loss == "mse" else (10 if task == "ten digits" else 2)
    widths = values if variable == "width" else np.full(values.size, width)
    sizes = np.full(values.size, n_train) if variable == "width" else values
    _sweep_budget([(arch, (8, 8, 1), int(w), depth, pooling, k, int(n), int(n) + n_test, steps,
                    2) for w, n in zip(widths, sizes, strict=True) for _ in seeds], budget)
    t0 = time.perf_counter()
    shape = (len(seeds), values.size)
    out = {key: np.empty(shape) for key in ("rmse", "rms", "wc", "acc_n", "acc_l", "lr")}
    shared = None
    if variable == "width":  # one step for every width: the smallest default step
        shared = min(default_image_lr(init_image_params(
            s, (8, 8), arch=arch, width=int(w), depth=depth, pooling=pooling, n_outputs=k),
            xtr, loss=loss) for w in widths for s in seeds)
    for j, (w, n) in enumerate(zip(widths, sizes, strict=True)):
        for i, seed in enumerate(seeds):
            say(progress, f"{variable} {values[j]}, seed {seed}")
            res = train_images(xtr[:n], t_tr[:n], xte, t_te, arch=arch, width=int(w),
                               depth=depth, pooling=pooling, loss=loss, optimizer=optimizer,
                               steps=steps, lr=shared, momentum=momentum, seed=int(seed),
                               record_every=steps, dtype=dtype, work_budget=None)
            for key, val in (("rmse", res.rmse_net_lin[-1]),
                             ("rms", np.sqrt(np.mean(res.test_outputs_net ** 2))),
                             ("wc", res.weight_change[-1]), ("acc_n", res.accuracy_net[-1]),
                             ("acc_l", res.accuracy_lin[-1]), ("lr", res.lr)):
                out[key][i, j] = val
    slope, fitted = _fit(values, out["rmse"].mean(0))
    settings = dict(task=task, arch=arch, depth=depth, pooling=pooling, loss=loss,
                    optimizer=optimizer, steps=steps, n_test=n_test, seeds=tuple(seeds),
                    dtype=dtype, data_seed=DATA_SEED,
                    **({"n_train": n_train} if variable == "width" else {"width": width}))
    return frozen(GapSweep(
        variable=variable, values=values, rmse=out["rmse"], rms=out["rms"],
        weight_change=out["wc"], accuracy_net=out["acc_n"], accuracy_lin=out["acc_l"],
        lr=out["lr"], slope=slope, fitted=fitted,
        slope_weight_change=_fit(values, out["wc"].mean(0))[0],
        settings=settings, seconds=time.perf_counter() - t0))


def _common(seeds, steps, n_test, task, arch, budget):
    from ..finite.images import IMAGE_WORK_BUDGET

    seeds = int_list(seeds, "seeds", 0, 2**32 - 1)
    steps = as_int(steps, "steps", 1, 1_000_000)
    _task(task)
    if arch not in ("mlp", "cnn"):
        raise ValueError(f"arch must be 'mlp' or 'cnn', got {arch!r:.60}")
    return seeds, steps, (IMAGE_WORK_BUDGET * 3 if budget == "default" else budget)


def gap_vs_width(widths=None, *, task="3 vs 8", arch="mlp", depth=1, pooling="flatten",
                 loss="mse", optimizer="gd", n_train=200, n_test=150, steps=300, seeds=(0,),
                 momentum=0.9, dtype="float32", progress=None, work_budget="default"):
    """RMSE(f_NN, f_lin) on the test digits after ``steps`` steps against the width, with
    the fitted log-log slope (Lee et al. 2019: "about 1/N", slope −1, for fully connected
    nets). Every width and seed takes one step η, the smallest of their default steps
    (:func:`ntklab.finite.images.default_image_lr`), so all reach the same time.

    ``widths`` defaults to :data:`SWEEP_WIDTHS` of the architecture. The whole sweep is
    refused before any work above ``work_budget`` (default three times one run's budget;
    ``None``: no limit).
    """
    seeds, steps, budget = _common(seeds, steps, n_test, task, arch, work_budget)
    widths = int_list(SWEEP_WIDTHS[arch] if widths is None else widths, "widths", 1, 8192,
                      min_len=2)
    return _sweep("width", sorted(set(widths)), seeds, task, arch, depth, pooling, loss,
                  optimizer, steps, None, n_train, n_test, momentum, dtype, budget, progress)


def gap_vs_n(sizes=SWEEP_SIZES, *, width=512, task="3 vs 8", arch="mlp", depth=1,
             pooling="flatten", loss="mse", optimizer="gd", n_test=150, steps=300, seeds=(0,),
             momentum=0.9, dtype="float32", progress=None, work_budget="default"):
    """RMSE(f_NN, f_lin) on the same test digits after ``steps`` steps against the number of
    training digits n (the first n of one seeded split), at one width, each n with its own
    default step 1/(h·λ_max) (λ_max grows about ∝ n for ntklab's summed loss, so this is
    close to one fixed step on Lee et al.'s mean loss). Lee et al. 2019 report that the gap
    grows with the data set size; the fitted slope says whether it does here."""
    seeds, steps, budget = _common(seeds, steps, n_test, task, arch, work_budget)
    sizes = int_list(sizes, "sizes", 2, 1500, min_len=2)
    return _sweep("n_train", sorted(set(sizes)), seeds, task, arch, depth, pooling, loss,
                  optimizer, steps, as_int(width, "width", 1, 8192), None, n_test, momentum,
                  dtype, budget, progress)


def _predictions(out):
    out = np.asarray(out)
    return np.sign(out) if out.ndim == 1 else np.argmax(out, axis=1)


def summary(result) -> dict:
    """The numbers a caption or a notebook quotes, for a :class:`DigitsRun` or a
    :class:`GapSweep`."""
    if isinstance(result, DigitsRun):
        r = result.result
        size = float(np.sqrt(np.mean(r.test_outputs_net ** 2)))
        gap = float(r.rmse_net_lin[-1])
        return {"task": result.task, "arch": r.arch, "width": r.width, "loss": r.loss,
                "optimizer": r.optimizer, "steps": int(r.steps[-1]), "lr": r.lr,
                "accuracy_net": float(r.accuracy_net[-1]),
                "accuracy_lin": float(r.accuracy_lin[-1]),
                "train_loss_net": float(r.train_loss_net[-1]),
                "train_loss_lin": float(r.train_loss_lin[-1]),
                "rmse_net_lin": gap, "rmse_peak": float(np.max(r.rmse_net_lin)),
                "output_rms": size, "relative_gap": gap / size if size > 0 else float("inf"),
                "same_predictions": float(np.mean(_predictions(r.test_outputs_net)
                                                  == _predictions(r.test_outputs_lin))),
                "weight_change": float(r.weight_change[-1]), "chance": result.chance,
                "seconds": r.seconds}
    if isinstance(result, GapSweep):
        return {"variable": result.variable, "values": result.values.tolist(),
                "rmse": result.rmse.mean(0).tolist(), "slope": result.slope,
                "weight_change": result.weight_change.mean(0).tolist(),
                "slope_weight_change": result.slope_weight_change,
                "accuracy_net": result.accuracy_net.mean(0).tolist(),
                "seconds": result.seconds}
    raise ValueError(f"no summary for {type(result).__name__}")


def claims(result: DigitsRun, width_sweep: GapSweep | None = None,
           n_sweep: GapSweep | None = None) -> tuple:
    """The checked statements the Digits captions make about a :class:`DigitsRun` and,
    when given, the sweeps run for the same settings.

    - ``agree`` (test plot): at the end, RMSE(f_NN, f_lin) on the test digits ≤
      :data:`AGREE` × the RMS of the net's test outputs, and the two models predict the same
      class for at least :data:`SAME_PREDICTIONS` of the test digits;
    - ``same_accuracy`` (accuracy plot): final test accuracies within :data:`ACCURACY_GAP`;
    - ``learns`` (accuracy plot): the net's final test accuracy is at least :data:`LEARNS`
      above chance (the most frequent test class's share);

    with a width sweep:

    - ``gap_falls`` (sweep plot): the fitted slope of RMSE(f_NN, f_lin) against width < 0;
    - ``slope_as_source`` (sweep plot): that slope within :data:`SLOPE_TOL` of Lee et al.
      2019's −1;

    with a sweep over the training-set size:

    - ``gap_grows_with_n`` (size plot): the fitted slope against n > 0 (Lee et al.'s
      "grows with the data set size").
    """
    s = summary(result)
    out = [
        Claim("digits.agree", "test", s["relative_gap"] <= AGREE
              and s["same_predictions"] >= SAME_PREDICTIONS,
              {"gap": s["rmse_net_lin"], "size": s["output_rms"],
               "percent": 100 * s["relative_gap"], "same": 100 * s["same_predictions"],
               "steps": s["steps"], "m": s["width"]}),
        Claim("digits.same_accuracy", "accuracy",
              abs(s["accuracy_net"] - s["accuracy_lin"]) <= ACCURACY_GAP,
              {"net": 100 * s["accuracy_net"], "lin": 100 * s["accuracy_lin"],
               "limit": 100 * ACCURACY_GAP}),
        Claim("digits.learns", "accuracy", s["accuracy_net"] >= s["chance"] + LEARNS,
              {"net": 100 * s["accuracy_net"], "chance": 100 * s["chance"],
               "steps": s["steps"]}),
    ]
    if width_sweep is not None:
        w = summary(width_sweep)
        values = {"slope": w["slope"], "source": SOURCE_SLOPE, "tol": SLOPE_TOL,
                  "m_min": w["values"][0], "m_max": w["values"][-1]}
        out += [Claim("digits.gap_falls", "sweep", w["slope"] < 0, values),
                Claim("digits.slope_as_source", "sweep",
                      abs(w["slope"] - SOURCE_SLOPE) <= SLOPE_TOL, values)]
    if n_sweep is not None:
        g = summary(n_sweep)
        out.append(Claim("digits.gap_grows_with_n", "sizes", g["slope"] > 0,
                         {"slope": g["slope"], "n_min": g["values"][0],
                          "n_max": g["values"][-1]}))
    return tuple(out)
