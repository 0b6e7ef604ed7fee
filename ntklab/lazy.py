"""Experiments on the lazy (linearized) regime of finite nets, returning plain results.

* :func:`convergence_vs_width`, :func:`convergence_vs_samples`: RMSE(f_NN, f_lin) on test
  points at the end of training, and ‖θ_t − θ₀‖/‖θ₀‖, against width m and against the
  number of training points n, with fitted log-log slopes (seeds 000–002; SCIENCE.md §3).
  The seeds say "about 1/N"; the slope here is measured, never imposed.
* :func:`asi_experiment`: seed 003, Fig. 1.4 (§1.5–1.6) — plain, ASI, doubling and RND nets
  trained on sin 4x, beside the eq. 1.14 prediction from the plain net's kernel at init.
* :func:`train_beside_limit`: one net beside its linearization and the infinite-width
  prediction, for the dashboards (a thin wrapper over :func:`ntklab.train`).

Every experiment trains with full-batch GD on L = ½Σ(f − y)² and one learning rate shared
by all the nets it compares, η = 1/λ_max with λ_max the largest eigenvalue over all their
empirical NTKs at init (stable: η < 2/λ_max), so that all of them reach the same time
t = η·steps. Sizes are parameters: tests and notebooks run them small.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .analytic.metrics import fit_slope
from .analytic.metrics import rmse as _rmse
from .analytic.validate import as_int, as_points, as_positive, as_vector
from .analytic.data import sample_points, target_values
from .analytic.dynamics import gradient_flow, prior_decomposition
from .finite.empirical import empirical_ntk
from .analytic.kernels import ntk
from .finite.model import apply, init_params
from .finite.training import TrainResult, train

__all__ = [
    "ASIResult",
    "BesideLimit",
    "SampleConvergence",
    "WidthConvergence",
    "asi_experiment",
    "convergence_vs_samples",
    "convergence_vs_width",
    "train_beside_limit",
]


def _ints(values, name, lo, hi):
    try:
        seq = list(values)
    except TypeError as exc:
        raise ValueError(f"{name} must be a list of integers, got {values!r:.60}") from exc
    if len(seq) < 1:
        raise ValueError(f"{name} must not be empty")
    return [as_int(v, name, lo, hi) for v in seq]


def _lam_max(nets, x):
    """λ_max of each net's empirical NTK at init on x, shape (len(nets),)."""
    return np.array([float(np.linalg.eigvalsh(empirical_ntk(p, x))[-1]) for p in nets])


def _shared_lr(nets, x):
    """η = 1/λ_max over the empirical NTKs at init of all ``nets`` on x."""
    return 1.0 / float(_lam_max(nets, x).max())


TRICK_NAMES = ("plain", "asi", "doubling", "rnd")


def _trick_nets(seed, width, depth, init_scale):
    """The four nets of seed 003's Fig. 1.4 from one seed, in :data:`TRICK_NAMES` order."""
    return [init_params(seed, width, depth=depth, init_scale=init_scale,
                        trick=None if name == "plain" else name) for name in TRICK_NAMES]


@dataclass(frozen=True)
class WidthConvergence:
    """Net vs its linearization at the end of training, over widths (S seeds each).

    Attributes:
        widths: m, shape (W,).   seeds: shape (S,).
        rmse: RMSE over test points of f_NN − f_lin at t_end, shape (W, S).
        weight_change: ‖θ_t − θ₀‖/‖θ₀‖ of the net at t_end, shape (W, S).
        slope_rmse, slope_weight_change: least-squares log-log slopes of the seed means
            against m (measured; the seeds' "about 1/N" would be −1).
        lr, steps, t_end: the shared step η, the number of steps, t_end = η·steps.
        x_train, y_train, x_test: the data.
    """

    widths: np.ndarray
    seeds: np.ndarray
    rmse: np.ndarray
    weight_change: np.ndarray
    slope_rmse: float
    slope_weight_change: float
    lr: float
    steps: int
    t_end: float
    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray


@dataclass(frozen=True)
class SampleConvergence:
    """RMSE(f_NN, f_lin) at the end of training against the number of training points.

    Attributes: n_train (N,); rmse (N, S); weight_change (N, S) ‖θ_t − θ₀‖/‖θ₀‖;
    slope_rmse, slope_weight_change (log-log slopes of the seed means against n); width;
    lr; steps; t_end; x_test.
    """

    n_train: np.ndarray
    seeds: np.ndarray
    rmse: np.ndarray
    weight_change: np.ndarray
    slope_rmse: float
    slope_weight_change: float
    width: int
    lr: float
    steps: int
    t_end: float
    x_test: np.ndarray


def _final_gap(nets, x, y, x_test, steps, lr, progress, stop):
    # float64: at large widths f_NN − f_lin is small enough for float32 round-off to matter
    res = train(nets, x, y, x_eval=x_test, steps=steps, lr=lr, record=[0, steps],
                progress=progress, stop=stop, dtype="float64")
    if not res.completed:
        return None
    return _rmse(res.f_net[:, -1], res.f_lin[:, -1]), res.weight_change_net[:, -1]


def convergence_vs_width(widths=(64, 256, 1024, 4096), *, seeds=(0, 1, 2), n_train=16,
                         n_test=200, target="sin(4*x)", steps=2000, depth=1, init_scale=1.0,
                         data_seed=0, progress=None, stop=None):
    """RMSE(f_NN, f_lin) and relative weight change at t_end against width.

    Args:
        widths: hidden widths m to compare.   seeds: net seeds (an ensemble per width).
        n_train: training points, uniform random on [−1, 1] (``data_seed``).
        n_test: test points, a uniform grid on [−1, 1].
        target: a target name or expression (:func:`ntklab.analytic.data.target_values`).
        steps: GD steps; the shared η is 1/λ_max over every net's K₀ (module docstring).
        depth, init_scale: L and s of the nets.
        progress, stop: passed to :func:`ntklab.train` for each width.

    Returns :class:`WidthConvergence`, or ``None`` if stopped early.
    """
    widths = _ints(widths, "widths", 1, 100_000)
    seeds = _ints(seeds, "seeds", 0, 2**32 - 1)
    if len(widths) < 2:
        raise ValueError(f"widths must hold at least 2 widths for a slope, got {widths}")
    x = sample_points(as_int(n_train, "n_train", 1, 10_000), kind="random", seed=data_seed)
    y = target_values(target, x)
    x_test = sample_points(as_int(n_test, "n_test", 1, 100_000))
    steps = as_int(steps, "steps", 1, 10_000_000)
    nets = {m: [init_params(s, m, depth=depth, init_scale=init_scale) for s in seeds]
            for m in widths}
    lr = _shared_lr([p for group in nets.values() for p in group], x)
    rmse, change = [], []
    for m in widths:
        out = _final_gap(nets[m], x, y, x_test, steps, lr, progress, stop)
        if out is None:
            return None
        rmse.append(out[0])
        change.append(out[1])
    rmse, change = np.array(rmse), np.array(change)
    return WidthConvergence(
        widths=np.array(widths), seeds=np.array(seeds), rmse=rmse, weight_change=change,
        slope_rmse=fit_slope(widths, rmse.mean(1)),
        slope_weight_change=fit_slope(widths, change.mean(1)),
        lr=lr, steps=steps, t_end=lr * steps, x_train=x, y_train=y, x_test=x_test)


def convergence_vs_samples(n_train=(4, 8, 16, 32, 64), *, width=512, seeds=(0, 1, 2),
                           n_test=200, target="sin(4*x)", steps=2000, depth=1, init_scale=1.0,
                           data_seed=0, progress=None, stop=None):
    """RMSE(f_NN, f_lin) at t_end against the number of training points n (fixed width).

    The shared η (1/λ_max over all nets and all n) makes every run reach the same t_end.
    Returns :class:`SampleConvergence`, or ``None`` if stopped early.
    """
    ns = _ints(n_train, "n_train", 1, 10_000)
    seeds = _ints(seeds, "seeds", 0, 2**32 - 1)
    if len(ns) < 2:
        raise ValueError(f"n_train must hold at least 2 sizes for a slope, got {ns}")
    width = as_int(width, "width", 1, 100_000)
    steps = as_int(steps, "steps", 1, 10_000_000)
    x_test = sample_points(as_int(n_test, "n_test", 1, 100_000))
    nets = [init_params(s, width, depth=depth, init_scale=init_scale) for s in seeds]
    data = {n: sample_points(n, kind="random", seed=data_seed) for n in ns}
    lr = min(_shared_lr(nets, x) for x in data.values())
    rmse, change = [], []
    for n in ns:
        x = data[n]
        out = _final_gap(nets, x, target_values(target, x), x_test, steps, lr, progress, stop)
        if out is None:
            return None
        rmse.append(out[0])
        change.append(out[1])
    rmse, change = np.array(rmse), np.array(change)
    return SampleConvergence(
        n_train=np.array(ns), seeds=np.array(seeds), rmse=rmse, weight_change=change,
        slope_rmse=fit_slope(ns, rmse.mean(1)),
        slope_weight_change=fit_slope(ns, change.mean(1)), width=width, lr=lr, steps=steps,
        t_end=lr * steps, x_test=x_test)


@dataclass(frozen=True)
class ASIResult:
    """Seed 003, Fig. 1.4: nets with and without initialization tricks, and eq. 1.14.

    Attributes:
        names: ``("plain", "asi", "doubling", "rnd")``.
        steps, t: recording steps and times η·steps, shape (R,).
        loss: ½Σ(f − y)² on the training points, shape (4, R) (Fig. 1.4c).
        test_output: outputs on x_test at t_end, shape (4, n_test) (Fig. 1.4a).
        test_rmse: RMSE of test_output against the target, shape (4,).
        h_ini: the plain net's initial output on x_test (Fig. 1.4b, red).
        prediction: eq. 1.14's right-hand side for the plain net at t_end, from its
            empirical NTK at init (Fig. 1.4a, red dashes).
        zero_init, prior: the two eq. 1.14 terms h(·; 0, X, Y) and
            h_ini − h(·; 0, X, h_ini(X)) at t_end (Fig. 1.4b).
        lr, completed; x_train, y_train, x_test, y_test; width, depth, init_scale.
        f0_test: each net's output on x_test at init, shape (4, n_test) (row 0 is h_ini;
            0 for ASI and doubling by construction).
        lam_max: λ_max of each net's empirical NTK at init on x_train, shape (4,).
    """

    names: tuple
    steps: np.ndarray
    t: np.ndarray
    loss: np.ndarray
    test_output: np.ndarray
    test_rmse: np.ndarray
    h_ini: np.ndarray
    prediction: np.ndarray
    zero_init: np.ndarray
    prior: np.ndarray
    lr: float
    completed: bool
    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    width: int
    depth: int
    init_scale: float
    f0_test: np.ndarray
    lam_max: np.ndarray


def asi_experiment(*, width=5000, depth=2, init_scale=10.0, n_train=10, n_test=500,
                   target="sin(4*x)", steps=1000, lr=None, lr_factor=1.0, record=51, seed=0,
                   data_seed=0, lo=-1.0, hi=1.0, dtype="float32", progress=None, stop=None):
    """Seed 003's ASI experiment (Fig. 1.4; SCIENCE.md §3): 1-m-m-1 ReLU nets, s = 10.

    Trains, from one seed, the plain net, its ASI version (same θ₀, two copies), its
    doubling version (last hidden layer copied, output weights negated) and an RND net
    (last hidden layer 2m wide, fresh draw), with one shared η (default
    η = lr_factor/λ_max, λ_max the largest over the four initial kernels) for ``steps``
    steps; the seed gives no learning rate, step count or optimizer. Beside them, eq. 1.14's
    prediction for the plain net at the same time, computed from its empirical NTK at init
    with :func:`ntklab.prior_decomposition`.

    Data: ``n_train`` uniform random points on [lo, hi] (``data_seed``), ``n_test`` grid
    points. The defaults are the seed's sizes; the nets train without their linearizations.
    ``record`` and ``dtype`` go to :func:`ntklab.train` for each net.
    Returns :class:`ASIResult` (``completed`` False when stopped early).
    """
    width = as_int(width, "width", 1, 100_000)
    x = sample_points(as_int(n_train, "n_train", 1, 10_000), kind="random", seed=data_seed,
                      lo=lo, hi=hi)
    y = target_values(target, x)
    x_test = sample_points(as_int(n_test, "n_test", 1, 100_000), lo=lo, hi=hi)
    names = TRICK_NAMES
    nets = _trick_nets(seed, width, depth, init_scale)
    lam_max = _lam_max(nets, x)
    if lr is None:
        lr = as_positive(lr_factor, "lr_factor", hi=1e6) / float(lam_max.max())
    else:
        lr = as_positive(lr, "lr", hi=1e6)
    runs = []
    for p in nets:
        runs.append(train(p, x, y, x_eval=x_test, steps=steps, lr=lr, record=record,
                          linear=False, progress=progress, stop=stop, dtype=dtype))
        if not runs[-1].completed:
            break
    completed = len(runs) == 4 and all(r.completed for r in runs)
    plain = nets[0]
    t_end = lr * steps
    f0 = np.stack([np.asarray(apply(p, x_test)) for p in nets])
    h_ini_train, h_ini = np.asarray(apply(plain, x)), f0[0]
    eq114 = prior_decomposition(
        empirical_ntk(plain, x), y, [t_end], f0=h_ini_train,
        K_test=empirical_ntk(plain, x_test, x), f0_test=h_ini)
    R = runs[0].steps.shape[0] if completed else len(np.unique(runs[0].steps))
    loss = np.full((4, R), np.nan)
    out = np.full((4, x_test.shape[0]), np.nan)
    for i, r in enumerate(runs):
        if r.completed:
            loss[i], out[i] = r.loss_net, r.f_net[-1]
    y_test = target_values(target, x_test)
    return ASIResult(
        names=names, steps=runs[0].steps, t=runs[0].t, loss=loss, test_output=out,
        test_rmse=_rmse(out, y_test), h_ini=h_ini, prediction=eq114.total[0],
        zero_init=eq114.zero_init[0], prior=eq114.prior[0], lr=lr, completed=completed,
        x_train=x, y_train=y, x_test=x_test, y_test=y_test, width=width, depth=depth,
        init_scale=float(init_scale), f0_test=f0, lam_max=lam_max)


@dataclass(frozen=True)
class BesideLimit:
    """One net beside its linearization and the infinite-width prediction.

    Attributes:
        run: the :class:`ntklab.TrainResult` of the net and its linearization.
        f_inf: gradient flow with the analytic NTK Θ, starting from this net's own
            initial output f_0, at the recorded times, on x_eval, shape (R, n_eval).
        f_inf_mean: the same from f_0 = 0, the infinite-width ensemble mean (R, n_eval).

    Θ is the plain net's limit, which is also the limit of the ASI and RND nets; the
    doubling trick changes the kernel (its limit is not this one).
    """

    run: TrainResult
    f_inf: np.ndarray
    f_inf_mean: np.ndarray


def train_beside_limit(x_train, y_train, x_eval, *, width, seed, depth=1, init_scale=1.0,
                       trick=None, steps=1000, lr=None, record=101, kernel_drift=False,
                       dtype="float32", progress=None, stop=None):
    """Train one net and its linearization (:func:`ntklab.train`) and add the
    infinite-width prediction at the same times t = η·k (SCIENCE.md §4, closed form).

    ``seed`` is required (explicit randomness); ``progress`` and ``stop`` work as in
    :func:`ntklab.train`, and a stopped run is returned with the records taken so far.
    """
    x = as_points(x_train, "x_train")
    y = as_vector(y_train, "y_train", x.shape[0])
    xe = as_points(x_eval, "x_eval")
    p = init_params(seed, width, depth=depth, init_scale=init_scale, trick=trick)
    run = train(p, x, y, x_eval=xe, steps=steps, lr=lr, record=record, kernel_drift=kernel_drift,
                dtype=dtype, progress=progress, stop=stop)
    # the trick's own infinite-width kernel (doubling's differs from the plain net's)
    K = ntk(x, depth=depth, init_scale=init_scale, trick=trick)
    K_test = ntk(xe, x, depth=depth, init_scale=init_scale, trick=trick)
    own = gradient_flow(K, y, run.t, f0=np.asarray(apply(p, x)), K_test=K_test,
                        f0_test=np.asarray(apply(p, xe)))
    mean = gradient_flow(K, y, run.t, K_test=K_test, eig=(own.lam, own.V))
    return BesideLimit(run=run, f_inf=own.test, f_inf_mean=mean.test)
