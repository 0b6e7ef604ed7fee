"""Claim: a wide net trains like its linearization f_lin = f_0 + ∇f_0·(θ − θ_0) — the gap
RMSE(f_NN, f_lin) and the relative weight change ‖θ_t − θ_0‖/‖θ_0‖ shrink as the width m
grows, and the infinitely wide net is kernel regression with the NTK (Lee et al. 2019,
"Wide neural networks of any depth evolve as linear models under gradient descent";
docs/science.md §3).

Questions, each sized by its arguments (the Lazy dashboard, notebook 03 and the exercises ask
them at their own sizes):

* :func:`lazy_run`: one net beside its linearization and the infinite-width prediction,
  recorded over time (the dashboard draws it while it trains);
* :func:`convergence_vs_width`: the gap and the weight change at t_end against width, with
  fitted log-log slopes (measured, never imposed: the source's "about 1/N" would be −1);
* :func:`convergence_vs_samples`: the same against the number of training points;
* :func:`kernel_regression_check`: a wide net with zero output at init against NTK kernel
  regression at the same time.

Every comparison trains all its nets with one shared step η = lr_factor/λ_max over their
empirical NTKs at init (:func:`ntklab.shared_lr`), so that all reach the same t = η·steps.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..analytic.data import make_dataset
from ..analytic.dynamics import default_lr, gradient_flow
from ..analytic.kernels import ntk
from ..analytic.metrics import fit_power_law, rmse
from ..analytic.validate import as_int, as_positive
from .common import (
    WORK_BUDGET,
    Progress,
    check_work,
    frozen,
    int_list,
    say,
    step_callback,
    train_progress,
)

__all__ = [
    "LAZY_TARGET",
    "SWEEP_WIDTHS",
    "KernelRegression",
    "LazyRun",
    "LazyStart",
    "SampleConvergence",
    "WidthConvergence",
    "claims",
    "convergence_vs_samples",
    "convergence_vs_width",
    "kernel_regression_check",
    "lazy_run",
    "summary",
]

LAZY_TARGET = "sin(3*x)"
SWEEP_WIDTHS = (64, 256, 1024, 4096)
N_TEST = 200  # test grid
RECORDS = 41  # records of a run drawn over time
DATA_SEED = 0  # the training points are the same for every net seed


def _data(target, n_train, n_test=N_TEST, data_seed=DATA_SEED):
    """Random training points (``data_seed``) and a test grid on the target's interval."""
    n_train = as_int(n_train, "n_train", 1, 10_000)
    return make_dataset(target, n_train, as_int(n_test, "n_test", 1, 100_000), kind="random",
                        seed=data_seed)


@dataclass(frozen=True)
class LazyStart:
    """What is known before the first GD step: data, the net's output at init, the step
    η = lr_factor/λ_max (λ_max of the net's empirical NTK at init) and the infinite-width
    kernels.

    Attributes: x_train, y_train (n,); x_test, y_test (200,); f0_train (n,), f0_test (200,);
    lr; lam_max; steps; t_end = η·steps; width; init_scale; trick; K = Θ(X, X) and
    K_test = Θ(x_test, X), the trick's own infinite-width NTK.
    """

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    f0_train: np.ndarray
    f0_test: np.ndarray
    lr: float
    lam_max: float
    steps: int
    t_end: float
    width: int
    init_scale: float
    trick: str | None
    K: np.ndarray = field(repr=False)
    K_test: np.ndarray = field(repr=False)

    def limit_at(self, t) -> np.ndarray:
        """f_∞(x_test) at time(s) t: the infinite-width net's prediction from this net's own
        f_0 (closed form, docs/science.md §4), shape (200,) for one t, (T, 200) for several."""
        times = np.atleast_1d(np.asarray(t, dtype=np.float64))
        out = gradient_flow(self.K, self.y_train, times, f0=self.f0_train, K_test=self.K_test,
                            f0_test=self.f0_test).test
        return out[0] if np.ndim(t) == 0 else out


@dataclass(frozen=True)
class LazyRun:
    """A net, its linearization and the infinite-width prediction over time.

    Attributes:
        start: the :class:`LazyStart`.
        t: recorded times η·k, shape (R,).
        f_net, f_lin, f_inf: outputs on the test grid, shape (R, 200); f_inf is gradient
            flow with the analytic NTK Θ from the net's own f_0.
        loss_net, loss_lin: ½Σ(f − y)² on the training points, shape (R,).
        rmse_net_lin: RMSE over the test grid of f_net − f_lin, shape (R,).
        rmse_lin_inf: RMSE of f_lin − f_inf (finite vs infinite kernel), shape (R,).
        weight_change: ‖θ_t − θ₀‖/‖θ₀‖ of the net, shape (R,).
        kernel_drift: ‖K_t − K₀‖_F/‖K₀‖_F of the net's empirical NTK on X, shape (R,)
            (NaN where not measured).
        params: the trained net's parameters.   completed, diverged: as in
            :class:`ntklab.TrainResult`.
    """

    start: LazyStart
    t: np.ndarray
    f_net: np.ndarray
    f_lin: np.ndarray
    f_inf: np.ndarray
    loss_net: np.ndarray
    loss_lin: np.ndarray
    rmse_net_lin: np.ndarray
    rmse_lin_inf: np.ndarray
    weight_change: np.ndarray
    kernel_drift: np.ndarray
    params: object = field(repr=False)
    completed: bool
    diverged: bool


def lazy_run(width, *, depth=1, init_scale=1.0, trick=None, n_train=16, target=LAZY_TARGET,
             lr_factor=1.0, steps=1000, seed=0, record=RECORDS, kernel_drift=True,
             dtype="float32", budget=WORK_BUDGET, on_start=None, progress: Progress = None,
             on_step=None, stop=None) -> LazyRun:
    """Train one net beside its linearization (:func:`ntklab.train`) on ``n_train`` random
    points of ``target`` with η = lr_factor/λ_max, and add the infinite-width prediction at
    the same times t = η·k (the trick's own kernel: doubling's differs from the plain net's).

    ``on_start(LazyStart)`` is called before the first step (the JAX compile), so a
    dashboard can draw the initial state at once; ``on_step``/``stop`` go to
    :func:`ntklab.train`; ``progress`` takes status lines (``print``). ``budget`` refuses a
    run over that much work before it starts (``None``: any size). Returns :class:`LazyRun`
    (``completed`` False when stopped).
    """
    from ..finite.model import apply, init_params, n_params
    from ..finite.training import shared_lr, train

    width = as_int(width, "width", 1, 100_000)
    steps = as_int(steps, "steps", 1, 10_000_000)
    lr_factor = as_positive(lr_factor, "lr_factor", hi=1.99)
    data = _data(target, n_train)
    x, y, x_test = data.x_train, data.y_train, data.x_test
    p = init_params(seed, width, depth=depth, init_scale=init_scale, trick=trick)
    check_work(n_params(p.widths, len(p.coef)), x.shape[0], steps,
               f"training width {width} for {steps} steps on {x.shape[0]} points", budget)
    lr = shared_lr([p], x, factor=lr_factor)
    start = frozen(LazyStart(
        x_train=x, y_train=y, x_test=x_test, y_test=data.y_test,
        f0_train=np.asarray(apply(p, x), dtype=np.float64),
        f0_test=np.asarray(apply(p, x_test), dtype=np.float64), lr=lr,
        lam_max=lr_factor / lr, steps=steps, t_end=lr * steps, width=width,
        init_scale=float(init_scale), trick=trick,
        K=ntk(x, depth=depth, init_scale=init_scale, trick=trick),
        K_test=ntk(x_test, x, depth=depth, init_scale=init_scale, trick=trick)))
    if on_start is not None:
        on_start(start)
    run = train(p, x, y, x_eval=x_test, steps=steps, lr=lr, record=record,
                kernel_drift=kernel_drift, dtype=dtype,
                progress=step_callback(progress, on_step), stop=stop)
    f_inf = start.limit_at(run.t) if run.t.shape[0] else np.empty((0, x_test.shape[0]))
    drift = run.kernel_drift if kernel_drift else np.full(run.t.shape, np.nan)
    return frozen(LazyRun(
        start=start, t=run.t, f_net=run.f_net, f_lin=run.f_lin, f_inf=f_inf,
        loss_net=run.loss_net, loss_lin=run.loss_lin,
        rmse_net_lin=rmse(run.f_net, run.f_lin), rmse_lin_inf=rmse(run.f_lin, f_inf),
        weight_change=run.weight_change_net, kernel_drift=drift, params=run.params,
        completed=run.completed, diverged=run.diverged))


@dataclass(frozen=True)
class WidthConvergence:
    """Net against its linearization over widths m (S net seeds each), all trained with one
    shared step to the same t_end.

    Attributes:
        widths: m, shape (W,).   seeds: shape (S,).   t: recorded times, shape (R,).
        rmse: RMSE over the test grid of f_NN − f_lin, shape (W, S, R).
        weight_change: ‖θ_t − θ₀‖/‖θ₀‖ of the net, shape (W, S, R).
        kernel_drift: ‖K_t − K₀‖_F/‖K₀‖_F, shape (W, S, R), or None when not measured.
        f_net, f_lin: outputs on the test grid at t_end, shape (W, S, n_test).
        slope_rmse, slope_weight_change, slope_kernel_drift: least-squares log-log slopes of
            the means over random seeds at t_end against m (measured; the source's "about
            1/N" would be −1; NaN when not measured).
        fit_rmse, fit_weight_change, fit_kernel_drift: those fitted power laws at the widths.
        lr, steps, t_end: the shared step η, the steps, t_end = η·steps.
        x_train, y_train, x_test, y_test: the data.
    """

    widths: np.ndarray
    seeds: np.ndarray
    t: np.ndarray
    rmse: np.ndarray
    weight_change: np.ndarray
    kernel_drift: np.ndarray | None
    f_net: np.ndarray
    f_lin: np.ndarray
    slope_rmse: float
    slope_weight_change: float
    slope_kernel_drift: float
    fit_rmse: np.ndarray
    fit_weight_change: np.ndarray
    fit_kernel_drift: np.ndarray | None
    lr: float
    steps: int
    t_end: float
    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray

    def at_end(self, name) -> np.ndarray:
        """The mean over random seeds of ``rmse``, ``weight_change`` or ``kernel_drift`` at
        t_end, (W,)."""
        return getattr(self, name)[:, :, -1].mean(axis=1)


def convergence_vs_width(widths=SWEEP_WIDTHS, *, seeds=(0,), n_train=16, n_test=N_TEST,
                         target=LAZY_TARGET, steps=1000, depth=1, init_scale=1.0,
                         lr_factor=1.0, record=2, kernel_drift=False, data_seed=DATA_SEED,
                         budget=None, progress: Progress = None, on_step=None,
                         stop=None) -> WidthConvergence | None:
    """RMSE(f_NN, f_lin), the relative weight change and (optionally) the kernel drift against
    width, each net trained in float64 beside its linearization from the same θ₀.

    Args:
        widths: hidden widths m (at least two, for a slope).   seeds: net seeds per width
            (trained together as an ensemble).
        n_train: training points, uniform random on the target's interval (``data_seed``).
        n_test: test points, a uniform grid.   target: a name or an expression.
        steps: GD steps; the shared η is lr_factor/λ_max over every net's K₀.
        depth, init_scale: L and s of the nets.
        record: records per run (2: init and t_end), or the steps to record at.
        kernel_drift: also measure ‖K_t − K₀‖_F/‖K₀‖_F (costs an empirical NTK per record).
        budget: refuse more work than this before starting (a dashboard's
            :data:`~ntklab.experiments.common.WORK_BUDGET`); ``None``: any size.
        progress: a callable taking status lines (``print``).
        on_step, stop: passed to :func:`ntklab.train` for each width in turn.

    Returns :class:`WidthConvergence`, or ``None`` if stopped early.
    """
    from ..finite.model import init_params, n_params
    from ..finite.training import shared_lr, train

    widths = int_list(widths, "widths", 1, 100_000, min_len=2)
    seeds = int_list(seeds, "seeds", 0, 2**32 - 1)
    steps = as_int(steps, "steps", 1, 10_000_000)
    data = _data(target, n_train, n_test, data_seed)
    x, y = data.x_train, data.y_train
    nets = {m: [init_params(s, m, depth=depth, init_scale=init_scale) for s in seeds]
            for m in widths}
    check_work(sum(n_params(p.widths, 1) for group in nets.values() for p in group),
               x.shape[0], steps, f"the width sweep {tuple(widths)}", budget)
    lr = shared_lr([p for group in nets.values() for p in group], x, factor=lr_factor)
    callback = step_callback(progress, on_step, runs=[f"width {m}: {steps} steps"
                                                      for m in widths])
    runs = []
    for m in widths:
        # float64: at large widths f_NN − f_lin is small enough for float32 round-off to matter
        res = train(nets[m], x, y, x_eval=data.x_test, steps=steps, lr=lr, record=record,
                    kernel_drift=kernel_drift, dtype="float64", progress=callback, stop=stop)
        if not res.completed:
            return None
        runs.append(res)
    gap = np.stack([rmse(r.f_net, r.f_lin) for r in runs])
    change = np.stack([r.weight_change_net for r in runs])
    drift = np.stack([r.kernel_drift for r in runs]) if kernel_drift else None
    u = np.asarray(widths, dtype=np.float64)
    slope_r, fit_r = fit_power_law(u, gap[:, :, -1].mean(1))
    slope_w, fit_w = fit_power_law(u, change[:, :, -1].mean(1))
    slope_d, fit_d = (fit_power_law(u, drift[:, :, -1].mean(1)) if kernel_drift
                      else (float("nan"), None))
    return frozen(WidthConvergence(
        widths=np.asarray(widths), seeds=np.asarray(seeds), t=runs[0].t, rmse=gap,
        weight_change=change, kernel_drift=drift,
        f_net=np.stack([r.f_net[:, -1] for r in runs]),
        f_lin=np.stack([r.f_lin[:, -1] for r in runs]), slope_rmse=slope_r,
        slope_weight_change=slope_w, slope_kernel_drift=slope_d, fit_rmse=fit_r,
        fit_weight_change=fit_w, fit_kernel_drift=fit_d, lr=lr, steps=steps,
        t_end=lr * steps, x_train=x, y_train=y, x_test=data.x_test, y_test=data.y_test))


@dataclass(frozen=True)
class SampleConvergence:
    """RMSE(f_NN, f_lin) at the end of training against the number of training points.

    Attributes: n_train (N,); seeds (S,); rmse (N, S); weight_change (N, S)
    ‖θ_t − θ₀‖/‖θ₀‖; slope_rmse, slope_weight_change (log-log slopes of the means over
    random seeds against n); width; lr; steps; t_end; x_test.
    """

    n_train: np.ndarray
    seeds: np.ndarray
    rmse: np.ndarray
    weight_change: np.ndarray
    slope_rmse: float
    slope_weight_change: float
    fit_rmse: np.ndarray
    fit_weight_change: np.ndarray
    width: int
    lr: float
    steps: int
    t_end: float
    x_test: np.ndarray


def convergence_vs_samples(n_train=(4, 8, 16, 32, 64), *, width=512, seeds=(0, 1, 2),
                           n_test=N_TEST, target=LAZY_TARGET, steps=2000, depth=1,
                           init_scale=1.0, data_seed=DATA_SEED, progress: Progress = None,
                           on_step=None, stop=None) -> SampleConvergence | None:
    """RMSE(f_NN, f_lin) at t_end against the number of training points n (fixed width).

    The shared η (1/λ_max over all nets and all n) makes every run reach the same t_end.
    ``progress`` takes status lines; ``on_step``/``stop`` go to :func:`ntklab.train`.
    Returns :class:`SampleConvergence`, or ``None`` if stopped early.
    """
    from ..finite.model import init_params
    from ..finite.training import shared_lr, train

    ns = int_list(n_train, "n_train", 1, 10_000, min_len=2)
    seeds = int_list(seeds, "seeds", 0, 2**32 - 1)
    width = as_int(width, "width", 1, 100_000)
    steps = as_int(steps, "steps", 1, 10_000_000)
    nets = [init_params(s, width, depth=depth, init_scale=init_scale) for s in seeds]
    data = {n: _data(target, n, n_test, data_seed) for n in ns}
    lr = min(shared_lr(nets, d.x_train) for d in data.values())
    callback = step_callback(progress, on_step, runs=[f"n = {n}: {steps} steps" for n in ns])
    gap, change = [], []
    for n in ns:
        d = data[n]
        res = train(nets, d.x_train, d.y_train, x_eval=d.x_test, steps=steps, lr=lr,
                    record=[0, steps], progress=callback, stop=stop, dtype="float64")
        if not res.completed:
            return None
        gap.append(rmse(res.f_net[:, -1], res.f_lin[:, -1]))
        change.append(res.weight_change_net[:, -1])
    gap, change = np.array(gap), np.array(change)
    u = np.asarray(ns, dtype=np.float64)
    slope_r, fit_r = fit_power_law(u, gap.mean(1))
    slope_w, fit_w = fit_power_law(u, change.mean(1))
    return frozen(SampleConvergence(
        n_train=np.array(ns), seeds=np.array(seeds), rmse=gap, weight_change=change,
        slope_rmse=slope_r, slope_weight_change=slope_w, fit_rmse=fit_r,
        fit_weight_change=fit_w, width=width, lr=lr, steps=steps, t_end=lr * steps,
        x_test=data[ns[0]].x_test))


@dataclass(frozen=True)
class KernelRegression:
    """A wide ASI net (zero output at init) trained by GD against NTK kernel regression
    (the infinite-width closed form at the same time t, f_0 = 0).

    Attributes: x_train, y_train, x_test; f_net, f_kernel (n_test,); rmse; width; t.
    """

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    f_net: np.ndarray
    f_kernel: np.ndarray
    rmse: float
    width: int
    t: float


def kernel_regression_check(width=4096, target=LAZY_TARGET, n_train=16, n_test=N_TEST,
                            steps=2000, seed=0, progress: Progress = None) -> KernelRegression:
    """Train an ASI net (f_0 = 0 exactly) with η = 1/λ_max of the analytic Θ(X, X) and
    compare it with kernel regression f_t(x) = Θ_x V diag((1 − e^{−λt})/λ) Vᵀ Y at the
    same t (docs/science.md §4)."""
    from ..finite.model import init_params
    from ..finite.training import train

    data = _data(target, n_train, n_test)
    K = ntk(data.x_train)
    lr = default_lr(K)
    say(progress, f"training an ASI net of width {width} for {steps} steps")
    res = train(init_params(seed, width, trick="asi"), data.x_train, data.y_train,
                x_eval=data.x_test, steps=steps, lr=lr, record=2, linear=False,
                progress=train_progress(progress))
    t = lr * steps
    f_kernel = gradient_flow(K, data.y_train, [t], K_test=ntk(data.x_test, data.x_train)).test[0]
    f_net = res.f_net[-1]
    return frozen(KernelRegression(
        x_train=data.x_train, y_train=data.y_train, x_test=data.x_test, f_net=f_net,
        f_kernel=f_kernel, rmse=float(rmse(f_net, f_kernel)), width=int(width), t=float(t)))


def summary(result) -> dict:
    """The numbers a caption or a notebook quotes, for any result of this module."""
    if isinstance(result, LazyRun):
        return {"width": result.start.width, "t_end": float(result.t[-1]),
                "lr": result.start.lr, "loss_net": float(result.loss_net[-1]),
                "loss_lin": float(result.loss_lin[-1]),
                "rmse_net_lin": float(result.rmse_net_lin[-1]),
                "rmse_lin_inf": float(result.rmse_lin_inf[-1]),
                "weight_change": float(result.weight_change[-1]),
                "kernel_drift": float(result.kernel_drift[-1])}
    if isinstance(result, WidthConvergence):
        out = {"widths": result.widths.tolist(), "t_end": result.t_end,
               "rmse": result.at_end("rmse").tolist(), "slope_rmse": result.slope_rmse,
               "weight_change": result.at_end("weight_change").tolist(),
               "slope_weight_change": result.slope_weight_change}
        if result.kernel_drift is not None:
            out.update(kernel_drift=result.at_end("kernel_drift").tolist(),
                       slope_kernel_drift=result.slope_kernel_drift)
        return out
    if isinstance(result, SampleConvergence):
        return {"n_train": result.n_train.tolist(), "width": result.width,
                "t_end": result.t_end, "rmse": result.rmse.mean(1).tolist(),
                "slope_rmse": result.slope_rmse,
                "slope_weight_change": result.slope_weight_change}
    if isinstance(result, KernelRegression):
        return {"width": result.width, "t": result.t, "rmse": result.rmse}
    raise ValueError(f"no summary for {type(result).__name__}")


# --- claims: what the Lazy training captions may say about a LazyRun (and the width sweep
# run for the same settings), checked ---------------------------------------------------
CLOSE = 0.1  # f_NN and f_lin "on top of each other": RMSE(f_NN, f_lin) ≤ CLOSE × the RMS of
# the trained f_lin on the test grid (the size of the outputs the fit plot shows)
SMALL_CHANGE = 0.1  # weights and kernel "barely move": ‖θ_t − θ₀‖/‖θ₀‖ and ‖K_t − K₀‖/‖K₀‖
# both ≤ 10 %
LOSS_RATIO = 2.0  # the two losses "descend together": never more than 2× apart after t = 0
FIT_RMSE = 0.05  # "fits its training points": √(2L/n) ≤ 0.05 (the target's amplitude is 1)
SOURCE_SLOPE = -1.0  # Lee et al. 2019: RMSE(f_NN, f_lin) "about 1/N" for fully connected nets
WEIGHT_SLOPE = -0.5  # the relative weight change's expected rate m^(−1/2) (docs/science.md §3.5)
SLOPE_TOL = 0.2  # a fitted slope "is" a rate when within ±0.2 of it


def claims(result: LazyRun, sweep: WidthConvergence | None = None) -> tuple:
    """The checked statements the Lazy training captions make about a :class:`LazyRun`
    and, when given, the :func:`convergence_vs_width` sweep run for the same settings.

    - ``close`` (fit plot): at t_end, RMSE(f_NN, f_lin) ≤ :data:`CLOSE` × the RMS of f_lin;
    - ``gap_small`` (gap plot): the largest RMSE(f_NN, f_lin) over the run ≤ :data:`CLOSE`
      × the RMS of the trained f_lin;
    - ``small_change`` (drift plot): the relative weight change and kernel drift at t_end
      are both ≤ :data:`SMALL_CHANGE`;
    - ``fits`` (loss plot): the net's RMSE at its training points √(2L/n) ≤ :data:`FIT_RMSE`;
    - ``losses_together`` (loss plot): after t = 0 the two losses are never more than
      :data:`LOSS_RATIO` apart (either way);

    with a sweep:

    - ``drift_shrinks`` (drift plot): the fitted slopes of the weight change and of the
      kernel drift against m are both negative;
    - ``gap_falls`` (sweep plot): the fitted slope of RMSE(f_NN, f_lin) against m is negative;
    - ``slope_as_source`` (sweep plot): that slope is within :data:`SLOPE_TOL` of Lee et al.
      2019's −1 ("about 1/N");
    - ``weight_rate`` (sweep plot): the weight change's slope is within :data:`SLOPE_TOL`
      of −1/2.
    """
    from .common import Claim

    start, t = result.start, float(result.t[-1])
    size = float(rmse(result.f_lin[-1]))
    gap = np.asarray(result.rmse_net_lin, dtype=np.float64)
    end, peak_i = float(gap[-1]), int(np.argmax(gap))
    moved = float(rmse(result.f_lin[-1], start.f0_test))
    out = [Claim("lazy.close", "fit", end <= CLOSE * size,
                 {"gap": end, "size": size, "percent": 100 * end / size, "moved": moved,
                  "t": t, "m": start.width, "s": start.init_scale}),
           Claim("lazy.gap_small", "gap", gap[peak_i] <= CLOSE * size,
                 {"peak": float(gap[peak_i]), "t_peak": float(result.t[peak_i]),
                  "size": size, "percent": 100 * float(gap[peak_i]) / size, "end": end,
                  "lin_inf": float(result.rmse_lin_inf[-1])})]
    weights, kernel = float(result.weight_change[-1]), float(result.kernel_drift[-1])
    out.append(Claim("lazy.small_change", "drift",
                     weights <= SMALL_CHANGE and kernel <= SMALL_CHANGE,
                     {"weights": weights, "kernel": kernel, "t": t,
                      "limit": SMALL_CHANGE}))
    n = start.x_train.shape[0]
    fit, fit0 = (float(np.sqrt(2 * result.loss_net[i] / n)) for i in (-1, 0))
    out.append(Claim("lazy.fits", "loss", fit <= FIT_RMSE,
                     {"fit": fit, "init": fit0, "n": n, "steps": start.steps, "t": t,
                      "loss": float(result.loss_net[-1])}))
    tiny = np.finfo(np.float64).tiny
    ratio = (np.maximum(result.loss_net[1:], tiny) / np.maximum(result.loss_lin[1:], tiny))
    apart = np.maximum(ratio, 1 / ratio)
    worst_i = int(np.argmax(apart)) if apart.size else 0
    worst = float(apart[worst_i]) if apart.size else 1.0
    out.append(Claim("lazy.losses_together", "loss", worst <= LOSS_RATIO,
                     {"loss_net": float(result.loss_net[-1]),
                      "loss_lin": float(result.loss_lin[-1]),
                      "ratio": float(result.loss_net[-1] / max(result.loss_lin[-1], tiny)),
                      "worst": worst, "t_worst": float(result.t[1:][worst_i])
                      if apart.size else 0.0, "t": t, "limit": LOSS_RATIO}))
    if sweep is None:
        return tuple(out)
    widths = tuple(int(m) for m in sweep.widths)
    sw, sk, sr = (float(sweep.slope_weight_change), float(sweep.slope_kernel_drift),
                  float(sweep.slope_rmse))
    out.append(Claim("lazy.drift_shrinks", "drift", sw < 0 and sk < 0,
                     {"weights": sw, "kernel": sk, "widths": widths,
                      "t": float(sweep.t_end)}))
    r = sweep.at_end("rmse")
    out.append(Claim("lazy.gap_falls", "sweep", sr < 0,
                     {"slope": sr, "widths": widths, "first": float(r[0]),
                      "last": float(r[-1]), "t": float(sweep.t_end)}))
    out.append(Claim("lazy.slope_as_source", "sweep", abs(sr - SOURCE_SLOPE) <= SLOPE_TOL,
                     {"slope": sr, "source": SOURCE_SLOPE, "tol": SLOPE_TOL}))
    out.append(Claim("lazy.weight_rate", "sweep", abs(sw - WEIGHT_SLOPE) <= SLOPE_TOL,
                     {"slope": sw, "rate": WEIGHT_SLOPE, "tol": SLOPE_TOL}))
    return tuple(out)
