"""One function per dashboard question, returning plain results (SCIENCE.md §3, §5).

These are the "experiments" layer of DESIGN.md: each function makes the one core call a
dashboard (or notebook) needs and returns a small frozen dataclass of arrays, ready for
:mod:`ntklab.figures`. Nothing here imports plotly, ipywidgets or JAX.

Results that cost a kernel and an eigendecomposition are memoized (a few recent settings),
so moving a control back, picking other eigenvectors or moving the time t is cheap. The
cached arrays are read-only.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from .analytic.metrics import fit_power_law
from .analytic.metrics import rmse as _rmse
from .analytic.validate import as_int, as_positive
from .analytic.data import TARGETS, parse_target, sample_points
from .analytic.dynamics import gradient_flow
from .analytic.kernels import MAX_DEPTH, ntk
from .analytic.spectrum import (
    _block_size,
    _full_decomposition,
    _leading_basis,
    eigenpairs,
    frequency_error,
    zero_crossings,
)

__all__ = [
    "FrequencySnapshot",
    "FrequencyView",
    "SpectrumView",
    "frequency_at",
    "frequency_view",
    "spectrum_view",
]

SPECTRUM_MAX_N = 3000
FULL_SPECTRUM_BELOW = 600  # below this every eigenpair is cheap (one eigh)
TOP_K = 40  # eigenpairs kept for larger n: enough to see the decay and the crossing trend
# Tolerances of the top-k solver: residuals ‖K v − λ v‖ ≤ 1e-4·λ_1 and ≤ 1e-2·λ_i. The
# relative one keeps the small eigenvalues' vectors right (deep nets at small s have
# λ_40 ≈ 1e-7·λ_1); 1e-1 was measured to give a wrong crossing count (39 for v_37, random
# points, depth 2, s = 0.1), 1e-2 the same counts as a full eigh in 24 settings. Started
# from the previous view's basis, one product with K usually meets both.
TOP_K_TOL, TOP_K_RTOL = 1e-4, 1e-2
_CACHED_SPECTRA = 6


def _frozen(*arrays):
    for a in arrays:
        a.setflags(write=False)
    return arrays


@dataclass(frozen=True)
class SpectrumView:
    """Leading eigenpairs of the infinite-width NTK Gram matrix K(X, X) (seed 003, Fig. 1.1).

    Attributes:
        x: sample points X, sorted, shape (n,).
        lam: eigenvalues λ_1 ≥ … ≥ λ_k, shape (k,).
        V: eigenvectors over the sorted x, ``V[:, i]`` belongs to ``lam[i]``, shape (n, k).
        crossings: number of zero crossings of each eigenvector, shape (k,).
        depth: L, hidden layers.   init_scale: s.
        basis: the solver's final block over x (:func:`ntklab.analytic.spectrum.leading_basis`),
            shape (n, b), b ≥ k; a later view starts from it (``previous=``).
    """

    x: np.ndarray
    lam: np.ndarray
    V: np.ndarray
    crossings: np.ndarray
    depth: int
    init_scale: float
    basis: np.ndarray = field(repr=False, compare=False, default=None)


class _Recent:
    """A small thread-safe cache of the most recent results (least recently used out)."""

    def __init__(self, size):
        self._size, self._items, self._lock = size, OrderedDict(), threading.Lock()

    def get(self, key):
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
            return self._items.get(key)

    def put(self, key, value):
        with self._lock:
            self._items[key] = value
            while len(self._items) > self._size:
                self._items.popitem(last=False)

    def clear(self):
        with self._lock:
            self._items.clear()


_spectra = _Recent(_CACHED_SPECTRA)


def _start_block(previous, x, b):
    """The previous view's basis as a start block over the points x (interpolated in x:
    the leading eigenvectors are smooth in x, so this is a good start for any n)."""
    basis = previous.basis[:, :b]
    if previous.x.shape == x.shape and np.array_equal(previous.x, x):
        return basis
    return np.column_stack([np.interp(x, previous.x, col) for col in basis.T])


def _spectrum(n, kind, seed, depth, init_scale, k, previous):
    key = (n, kind, seed, depth, init_scale, k)
    hit = _spectra.get(key)
    if hit is not None:
        return hit
    x = sample_points(n, kind=kind, seed=seed)
    K = ntk(x, depth=depth, init_scale=init_scale)
    start = None
    if previous is not None and previous.basis is not None \
            and not _full_decomposition(n, k):  # (a full eigh needs no start: 10 ms saved)
        start = _start_block(previous, x, _block_size(n, k))
    lam, V, basis = _leading_basis(K, k, TOP_K_TOL, TOP_K_RTOL, start=start)
    # x is sorted (sample_points), so V is already in order of x
    result = _frozen(x, lam, V, zero_crossings(V), np.ascontiguousarray(basis))
    _spectra.put(key, result)
    return result


def spectrum_view(n, *, kind="grid", seed=0, depth=1, init_scale=1.0, k=None, previous=None):
    """Top-k eigenpairs and zero crossings of the NTK Gram matrix on n sample points.

    Args:
        n: sample count, 2 ≤ n ≤ 3000 (the seed's figure uses n = 3000).
        kind: ``"grid"`` (uniform on [−1, 1]) or ``"random"`` (uniform, seeded).
        seed: seed for ``kind="random"`` (ignored for the grid).
        depth: hidden layers L.   init_scale: s.
        k: eigenpairs to keep; ``None`` means all of them below n = 600, else 40.
        previous: the :class:`SpectrumView` shown before (any settings), or ``None``. Its
            eigenvectors start the solver: a dashboard's next view then costs about one
            product with K instead of five (n = 3000: 0.05 s against 0.2 s). Results meet
            the same tolerances with or without it.

    For depth 1 the kernel is exactly s²·K(s = 1) (:func:`ntklab.ntk`), so eigenvectors do
    not depend on s and λ scales as s²: the decomposition at s = 1 is reused. For deeper
    nets s changes the shape of the kernel and everything is recomputed.
    """
    n = as_int(n, "n", 2, SPECTRUM_MAX_N)
    depth = as_int(depth, "depth", 1, MAX_DEPTH)
    s = as_positive(init_scale, "init_scale", hi=1e3)
    if kind not in ("grid", "random"):
        raise ValueError(f"kind must be 'grid' or 'random', got {kind!r}")
    seed = as_int(seed, "seed", 0, 2**32 - 1) if kind == "random" else None
    if k is None:
        k = n if n < FULL_SPECTRUM_BELOW else TOP_K
    k = as_int(k, "k", 1, n)
    if previous is not None and not isinstance(previous, SpectrumView):
        raise ValueError(f"previous must be a SpectrumView or None, got {type(previous)}")
    x, lam, V, crossings, basis = _spectrum(n, kind, seed, depth, 1.0 if depth == 1 else s,
                                            k, previous)
    if depth == 1:
        lam = lam * s**2
    return SpectrumView(x=x, lam=lam, V=V, crossings=crossings, depth=depth, init_scale=s,
                        basis=basis)


# ---------------------------------------------------------------------------------------
# Frequency principle (SCIENCE.md §5)

FREQUENCY_MAX_N = 500  # one full eigh per (target, n): ≤ 0.1 s
N_TEST = 400
MAX_FREQS = 16  # rows of the heat map: the lowest frequencies the target really contains
STRONG = 1e-2  # ... i.e. with |ŷ_k| ≥ 1% of the largest (grid leakage stays below it)
T_MIN, T_MAX, T_PER_DECADE = 1e-4, 1e4, 8  # fixed log grid of times t = η·steps


@dataclass(frozen=True)
class FrequencyView:
    """What the frequency-principle view needs for one (target, n): the linearized
    (infinite-width, f_0 = 0) model trained by gradient flow on a uniform grid.

    Attributes:
        target: the expression of the target in x.   lo, hi: the interval.
        x, y: training grid X (uniform, shape (n,)) and targets Y.
        x_test, y_test: a finer uniform grid (shape (400,)) and the target there.
        K: K(X, X); lam, V: its full eigendecomposition (descending); K_test: K(x_test, X).
        t_grid: log-spaced times, shape (T,).
        freqs: frequency indices k shown (k oscillations over [lo, hi]), shape (F,).
        delta: relative error Δ_k(t) = |ĥ_k − ŷ_k|/|ŷ_k| of the training output on the grid
            (complex difference, the papers' definition), shape (T, F).
    """

    target: str
    lo: float
    hi: float
    x: np.ndarray
    y: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    K: np.ndarray
    lam: np.ndarray
    V: np.ndarray
    K_test: np.ndarray
    t_grid: np.ndarray
    freqs: np.ndarray
    delta: np.ndarray


@dataclass(frozen=True)
class FrequencySnapshot:
    """The linearized model at one time t.

    Attributes:
        t: the time.   train: f_t(X), shape (n,).   test: f_t(x_test), shape (400,).
        alpha: residual components α_i(t) = v_iᵀ(f_t(X) − Y), shape (n,), ordered like λ.
        alpha0: α_i(0) (with f_0 = 0, α_i(0) = −v_iᵀY), shape (n,).
    """

    t: float
    train: np.ndarray
    test: np.ndarray
    alpha: np.ndarray
    alpha0: np.ndarray


def _resolve_target(target):
    if not isinstance(target, str):
        raise ValueError(f"target must be a preset name or an expression, got {target!r}")
    if target in TARGETS:
        preset = TARGETS[target]
        return preset.expr, float(preset.lo), float(preset.hi)
    return parse_target(target).expr, -1.0, 1.0


@lru_cache(maxsize=4)
def _frequency(expr, lo, hi, n):
    f = parse_target(expr)
    x = sample_points(n, kind="grid", lo=lo, hi=hi)
    x_test = np.linspace(lo, hi, N_TEST)
    y, y_test = f(x), f(x_test)
    if np.max(np.abs(y)) == 0:
        raise ValueError(f"target {expr!r} is zero on every sample point: nothing to learn")
    K = ntk(x)
    lam, V = eigenpairs(K)
    K_test = ntk(x_test, x)
    decades = np.log10(T_MAX) - np.log10(T_MIN)
    t_grid = np.logspace(np.log10(T_MIN), np.log10(T_MAX), int(decades * T_PER_DECADE) + 1)
    flow = gradient_flow(K, y, t_grid, eig=(lam, V))
    y_hat = np.abs(np.fft.rfft(y))
    strong = np.flatnonzero(y_hat >= STRONG * y_hat.max())[:MAX_FREQS]
    freqs, delta = frequency_error(flow.train, y, strong)
    return _frozen(x, y, x_test, y_test, K, lam, V, K_test, t_grid, freqs, delta)


def frequency_view(target, n=200):
    """The linearized model's fit of ``target`` on an n-point grid, and Δ_k(t) over time.

    Args:
        target: a name in :data:`ntklab.TARGETS` (its own interval) or an expression in x
            (on [−1, 1]), parsed safely by :func:`ntklab.parse_target`.
        n: grid size, 8 ≤ n ≤ 500 (a full eigendecomposition is needed for α_i(t)).
    """
    n = as_int(n, "n", 8, FREQUENCY_MAX_N)
    expr, lo, hi = _resolve_target(target)
    x, y, x_test, y_test, K, lam, V, K_test, t_grid, freqs, delta = _frequency(expr, lo, hi, n)
    return FrequencyView(target=expr, lo=lo, hi=hi, x=x, y=y, x_test=x_test, y_test=y_test,
                         K=K, lam=lam, V=V, K_test=K_test, t_grid=t_grid, freqs=freqs,
                         delta=delta)


def frequency_at(view: FrequencyView, t) -> FrequencySnapshot:
    """Outputs and residual components of ``view``'s model at time t (one closed-form call,
    reusing the view's eigendecomposition)."""
    t = as_positive(t, "t", hi=1e12)
    flow = gradient_flow(view.K, view.y, [0.0, t], K_test=view.K_test, eig=(view.lam, view.V))
    return FrequencySnapshot(t=t, train=flow.train[1], test=flow.test[1], alpha=flow.alpha[1],
                             alpha0=flow.alpha[0])


# ---------------------------------------------------------------------------------------
# Training dashboards (issue 4): lazy training, initialization tricks, prior and ensemble.
# Thin wrappers over the finite-width core (ntklab.lazy / ntklab.train, JAX, imported on
# first call) and the closed forms (ntklab.analytic.dynamics). Each bounds its total work, so that no
# combination of a dashboard's controls trains for more than a few seconds.

__all__ += [
    "EnsembleStart",
    "EnsembleView",
    "InitStart",
    "InitView",
    "LazyRun",
    "LazyStart",
    "LazySweep",
    "ensemble_view",
    "init_view",
    "lazy_run",
    "lazy_sweep",
]

TRAIN_N_TEST = 200  # test grid of the training views
LAZY_TARGET = "sin(3*x)"
LAZY_RECORDS = 41
LAZY_SWEEP_WIDTHS = (64, 256, 1024, 4096)
INIT_TARGET = "sin(4*x)"  # seed 003, Fig. 1.4
INIT_N_TRAIN = 10
ENSEMBLE_TARGET = "sin(3*x)"
DATA_SEED = 0  # the training points are the same for every net seed
# Work budget of one training view, in multiply-adds ≈ 6·n·P per GD step summed over nets
# (P parameters, n training points rounded up to their width bucket): about 1.5e10 is 5 s
# on one loaded core of the shared CPU in float32 (benchmarks/bench_finite.py).
WORK_BUDGET = 1.5e10


def _check_work(nets_params: float, n: int, steps: int, what: str) -> None:
    from .finite.training import bucket_size

    work = 6.0 * bucket_size(n) * float(nets_params) * steps
    if work > WORK_BUDGET:
        raise ValueError(
            f"{what} would take about {work / WORK_BUDGET * 5:.0f} s here (work "
            f"{work:.2g} over the budget {WORK_BUDGET:.2g}); use fewer steps, points or a "
            "smaller width")


def _train_data(target, n_train, *, kind="random"):
    seed = DATA_SEED if kind == "random" else None
    x = sample_points(n_train, kind=kind, seed=seed)
    f = parse_target(target)
    x_test = sample_points(TRAIN_N_TEST)
    return x, f(x), x_test, f(x_test)


@dataclass(frozen=True)
class LazyStart:
    """What is known before the first GD step: data, the net's output at init f_0 on the
    test grid, and the step η = lr_factor/λ_max (λ_max of the net's empirical NTK at init).

    Attributes: x_train, y_train (n,); x_test, y_test (200,); f0_train (n,), f0_test (200,);
    lr; lam_max; steps; t_end = η·steps; width; init_scale.
    """

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    f0_test: np.ndarray
    lr: float
    lam_max: float
    steps: int
    t_end: float
    width: int
    init_scale: float
    f0_train: np.ndarray

    def limit_at(self, t) -> np.ndarray:
        """f_∞(x_test, t): the infinite-width net's prediction at time t from this net's
        own f_0 (closed form, SCIENCE.md §4), for frames drawn while the net trains."""
        K = ntk(self.x_train, init_scale=self.init_scale)
        K_test = ntk(self.x_test, self.x_train, init_scale=self.init_scale)
        return gradient_flow(K, self.y_train, [float(t)], f0=self.f0_train, K_test=K_test,
                             f0_test=self.f0_test).test[0]


@dataclass(frozen=True)
class LazyRun:
    """A net, its linearization and the infinite-width prediction over time (seeds 000–002).

    Attributes:
        start: the :class:`LazyStart`.
        t: recorded times η·k, shape (R,).
        f_net, f_lin, f_inf: outputs on the test grid, shape (R, 200); f_inf is gradient
            flow with the analytic NTK Θ from the net's own f_0.
        loss_net, loss_lin: ½Σ(f − y)² on the training points, shape (R,).
        rmse_net_lin: RMSE over the test grid of f_net − f_lin, shape (R,).
        rmse_lin_inf: RMSE of f_lin − f_inf (finite vs infinite kernel), shape (R,).
        weight_change: ‖θ_t − θ₀‖/‖θ₀‖ of the net, shape (R,).
        kernel_drift: ‖K_t − K₀‖_F/‖K₀‖_F of the net's empirical NTK on X, shape (R,).
        completed, diverged: as in :class:`ntklab.TrainResult`.
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
    completed: bool
    diverged: bool


def lazy_run(width, *, init_scale=1.0, n_train=16, lr_factor=1.0, steps=1000, seed=0,
             target=LAZY_TARGET, on_start=None, progress=None, stop=None) -> LazyRun:
    """Train one two-layer net beside its linearization (:func:`ntklab.train_beside_limit`,
    float32) on ``n_train`` random points of ``target``, with η = lr_factor/λ_max.

    ``on_start(LazyStart)`` is called before the first step (the JAX compile), so a
    dashboard can draw the initial state at once; ``progress``/``stop`` go to
    :func:`ntklab.train`. Returns :class:`LazyRun` (``completed`` False when stopped).
    """
    from .lazy import _lam_max, train_beside_limit
    from .finite.model import _n_params, apply, init_params

    width = as_int(width, "width", 1, 100_000)
    steps = as_int(steps, "steps", 1, 1_000_000)
    n_train = as_int(n_train, "n_train", 1, 1000)
    lr_factor = as_positive(lr_factor, "lr_factor", hi=1.99)
    _check_work(_n_params((width,), 1), n_train, steps, f"training width {width} for {steps} "
                f"steps on {n_train} points")
    x, y, x_test, y_test = _train_data(target, n_train)
    p = init_params(seed, width, init_scale=init_scale)
    lam_max = float(_lam_max([p], x)[0])
    lr = lr_factor / lam_max
    start = LazyStart(x_train=x, y_train=y, x_test=x_test, y_test=y_test,
                      f0_test=np.asarray(apply(p, x_test), dtype=np.float64), lr=lr,
                      lam_max=lam_max, steps=steps, t_end=lr * steps, width=width,
                      init_scale=float(init_scale),
                      f0_train=np.asarray(apply(p, x), dtype=np.float64))
    if on_start is not None:
        on_start(start)
    out = train_beside_limit(x, y, x_test, width=width, seed=seed, init_scale=init_scale,
                             steps=steps, lr=lr, record=LAZY_RECORDS, kernel_drift=True,
                             progress=progress, stop=stop)
    run = out.run
    R = run.t.shape[0]
    return LazyRun(
        start=start, t=run.t, f_net=run.f_net, f_lin=run.f_lin, f_inf=out.f_inf[:R],
        loss_net=run.loss_net, loss_lin=run.loss_lin,
        rmse_net_lin=_rmse(run.f_net, run.f_lin), rmse_lin_inf=_rmse(run.f_lin, out.f_inf[:R]),
        weight_change=run.weight_change_net, kernel_drift=run.kernel_drift,
        completed=run.completed, diverged=run.diverged)


@dataclass(frozen=True)
class LazySweep:
    """RMSE(f_NN, f_lin) and ‖θ_t − θ₀‖/‖θ₀‖ at t_end against width m, with measured slopes.

    Attributes: widths (W,); rmse, weight_change (W,) (one net per width); slope_rmse,
    slope_weight_change: least-squares log-log slopes (measured, never imposed);
    fit_rmse, fit_weight_change (W,): the fitted power laws at the widths; lr; steps; t_end.
    """

    widths: np.ndarray
    rmse: np.ndarray
    weight_change: np.ndarray
    slope_rmse: float
    slope_weight_change: float
    fit_rmse: np.ndarray
    fit_weight_change: np.ndarray
    lr: float
    steps: int
    t_end: float


def lazy_sweep(widths=LAZY_SWEEP_WIDTHS, *, init_scale=1.0, n_train=16, steps=1000, seed=0,
               target=LAZY_TARGET, progress=None, stop=None) -> LazySweep | None:
    """:func:`ntklab.convergence_vs_width` for one net seed on the dashboard's data (float64;
    one η = 1/λ_max shared by every width). ``None`` when stopped early."""
    from .lazy import convergence_vs_width
    from .finite.model import _n_params

    steps = as_int(steps, "steps", 1, 1_000_000)
    n_train = as_int(n_train, "n_train", 1, 1000)
    total = sum(_n_params((int(m),), 1) for m in widths)
    _check_work(total, n_train, steps, f"the width sweep {tuple(widths)}")
    res = convergence_vs_width(widths, seeds=(seed,), n_train=n_train, n_test=TRAIN_N_TEST,
                               target=target, steps=steps, init_scale=init_scale,
                               data_seed=DATA_SEED, progress=progress, stop=stop)
    if res is None:
        return None
    rmse, change = res.rmse.mean(1), res.weight_change.mean(1)
    slope_r, fit_r = fit_power_law(res.widths, rmse)
    slope_w, fit_w = fit_power_law(res.widths, change)
    return LazySweep(widths=res.widths, rmse=rmse, weight_change=change, slope_rmse=slope_r,
                     slope_weight_change=slope_w, fit_rmse=fit_r, fit_weight_change=fit_w,
                     lr=res.lr, steps=res.steps, t_end=res.t_end)


# ntklab.lazy.TRICK_NAMES, spelled out: importing lazy here would load JAX with every dashboard
TRICK_ORDER = ("plain", "asi", "doubling", "rnd")


@dataclass(frozen=True)
class InitStart:
    """Before training: data, each net's output at init, and the shared step η.

    Attributes: x_train, y_train (10,); x_test, y_test (200,); f0_test (4, 200) outputs at
    init in :data:`TRICK_ORDER` (0 for ASI and doubling by construction); lr = 1/λ_max
    over the four nets' empirical NTKs at init; steps; t_end = η·steps.
    """

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    f0_test: np.ndarray
    lr: float
    steps: int
    t_end: float


@dataclass(frozen=True)
class InitView:
    """Seed 003, Fig. 1.4 at dashboard sizes: the four nets and eq. 1.14.

    Attributes:
        start: the :class:`InitStart`.
        result: the :class:`ntklab.ASIResult` (loss (4, R), test_output (4, 200), h_ini,
            prediction, zero_init, prior, ...), tricks in :data:`TRICK_ORDER`.
        plain_minus_asi: trained plain net minus trained ASI net on the test grid (200,):
            by eq. 1.14 about the prior term, since both share the kernel at init.
    """

    start: InitStart
    result: object
    plain_minus_asi: np.ndarray


def init_view(width, *, depth=1, init_scale=10.0, steps=1000, seed=0, target=INIT_TARGET,
              on_start=None, progress=None, stop=None) -> InitView:
    """:func:`ntklab.asi_experiment` (plain, ASI, doubling, RND trained one after the other
    with one shared η = 1/λ_max) on 10 random points of sin 4x, tested on a grid of 200.

    ``on_start(InitStart)`` is called before training (outputs at init, η).
    """
    from .lazy import _shared_lr, _trick_nets, asi_experiment
    from .finite.model import _n_params, apply

    width = as_int(width, "width", 1, 100_000)
    depth = as_int(depth, "depth", 1, 2)
    steps = as_int(steps, "steps", 1, 1_000_000)
    last = (width,) * (depth - 1)
    work = (3 * _n_params((width,) * depth, 1)  # plain, and ASI's two copies
            + 2 * _n_params((*last, 2 * width), 1))  # doubling and RND: last layer 2m
    _check_work(work, INIT_N_TRAIN, steps, f"training four nets of width {width}, depth {depth}")
    x, y, x_test, y_test = _train_data(target, INIT_N_TRAIN)
    nets = _trick_nets(seed, width, depth, init_scale)  # in TRICK_ORDER
    lr = _shared_lr(nets, x)
    f0 = np.stack([np.asarray(apply(p, x_test), dtype=np.float64) for p in nets])
    start = InitStart(x_train=x, y_train=y, x_test=x_test, y_test=y_test, f0_test=f0, lr=lr,
                      steps=steps, t_end=lr * steps)
    if on_start is not None:
        on_start(start)
    res = asi_experiment(width=width, depth=depth, init_scale=init_scale,
                         n_train=INIT_N_TRAIN, n_test=TRAIN_N_TEST, target=target, steps=steps,
                         lr=lr, record=LAZY_RECORDS, seed=seed, data_seed=DATA_SEED,
                         progress=progress, stop=stop)
    return InitView(start=start, result=res,
                    plain_minus_asi=res.test_output[0] - res.test_output[1])


@dataclass(frozen=True)
class EnsembleStart:
    """The closed forms (infinite width) of the prior and of the trained ensemble.

    Attributes: x_train, y_train (n,); x_test, y_test (200,); prior_std: √Σ(x, x) of the
    NNGP (the band at init is 0 ± 2·prior_std); mean, std: closed-form trained-ensemble
    mean and standard deviation at t_end (:func:`ntklab.ensemble_moments`); lr = 1/λ_max
    of Θ(X, X); steps; t_end = η·steps.
    """

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    prior_std: np.ndarray
    mean: np.ndarray
    std: np.ndarray
    lr: float
    steps: int
    t_end: float


@dataclass(frozen=True)
class EnsembleView:
    """E finite nets at init and after training, beside the closed forms.

    Attributes: start (:class:`EnsembleStart`); f0 (E, 200) outputs at init; f_end
    (E, 200) outputs at t_end; f0_mean, f0_std, f_end_mean, f_end_std (200,): their mean
    and standard deviation over the E nets (ddof 1); width; members; completed.
    """

    start: EnsembleStart
    f0: np.ndarray
    f_end: np.ndarray
    f0_mean: np.ndarray
    f0_std: np.ndarray
    f_end_mean: np.ndarray
    f_end_std: np.ndarray
    width: int
    members: int
    completed: bool


def ensemble_view(width, *, members=16, init_scale=1.0, n_train=8, steps=1000, seed=0,
                  target=ENSEMBLE_TARGET, on_start=None, progress=None,
                  stop=None) -> EnsembleView:
    """Prior (NNGP band) and trained ensemble (:func:`ntklab.ensemble_moments`) in closed
    form, and ``members`` two-layer nets (seeds seed…seed+E−1) trained together (vmap,
    float32, no linearization) with η = 1/λ_max of the analytic Θ(X, X) for ``steps``.

    ``on_start(EnsembleStart)`` is called before training, so the bands can be drawn at once.
    """
    from .analytic.dynamics import ensemble_moments
    from .analytic.kernels import nngp, ntk_and_nngp
    from .finite.model import _n_params, init_params
    from .finite.training import bucket_size, train

    width = as_int(width, "width", 1, 100_000)
    members = as_int(members, "members", 2, 1000)
    steps = as_int(steps, "steps", 1, 1_000_000)
    n_train = as_int(n_train, "n_train", 1, 1000)
    s = as_positive(init_scale, "init_scale", hi=1e3)
    # The ensemble is a leading axis of the compiled program: train a bucket's worth of nets
    # (8, 12, 16, 24, 32, ...) and keep the first ``members``, so that moving E within a
    # bucket reuses the compiled program instead of recompiling (seconds) for every E.
    trained = bucket_size(members)
    _check_work(trained * _n_params((width,), 1), n_train, steps,
                f"training {members} nets of width {width}")
    x, y, x_test, y_test = _train_data(target, n_train)
    K, Sigma = ntk_and_nngp(x, init_scale=s)
    K_test, Sigma_test_train = ntk_and_nngp(x_test, x, init_scale=s)
    prior_var = np.diag(nngp(x_test, init_scale=s)).copy()
    lam, V = eigenpairs(K)
    lr = 1.0 / float(lam[0])
    t_end = lr * steps
    mom = ensemble_moments(K, Sigma, y, [t_end], K_test=K_test, Sigma_test=prior_var,
                           Sigma_test_train=Sigma_test_train, eig=(lam, V))
    start = EnsembleStart(x_train=x, y_train=y, x_test=x_test, y_test=y_test,
                          prior_std=np.sqrt(prior_var), mean=mom.mean[0],
                          std=np.sqrt(mom.var[0]), lr=lr, steps=steps, t_end=t_end)
    if on_start is not None:
        on_start(start)
    params = [init_params(seed + i, width, init_scale=s) for i in range(trained)]
    res = train(params, x, y, x_eval=x_test, steps=steps, lr=lr, record=2, linear=False,
                progress=progress, stop=stop)
    f0 = res.f_net[:members, 0]
    f_end = res.f_net[:members, -1] if res.f_net.shape[1] == 2 else np.full_like(f0, np.nan)
    return EnsembleView(start=start, f0=f0, f_end=f_end, f0_mean=f0.mean(0),
                        f0_std=f0.std(0, ddof=1), f_end_mean=f_end.mean(0),
                        f_end_std=f_end.std(0, ddof=1), width=width, members=members,
                        completed=res.completed)


# ---------------------------------------------------------------------------------------
# Frequency principle for a trained finite net (the frequency dashboard's button): the
# same Δ_k(t) as :func:`frequency_view`, measured on a two-layer net trained by GD.

__all__ += ["FrequencyFinite", "frequency_finite", "strongest_freqs"]

FINITE_MAX_WIDTH = 100_000


@dataclass(frozen=True)
class FrequencyFinite:
    """A two-layer ReLU net of width m trained by full-batch GD on a :class:`FrequencyView`'s
    grid, recorded at the view's log-spaced times up to t_end (SCIENCE.md §2, §5).

    Attributes:
        t: recorded times t = η·k, shape (R,) (starts at 0, the net at init).
        steps: the recorded GD steps k, shape (R,).
        f_train: f_NN(X, t) on the view's training grid, shape (R, n).
        f_test: f_NN(x_test, t) on the view's test grid, shape (R, 400).
        freqs: the view's frequency indices k, shape (F,).
        delta: Δ_k(t) = |ĥ_k − ŷ_k|/|ŷ_k| of f_train (the view's definition and
            frequencies), shape (R, F).
        width: m.   seed: the net's seed.   lr: η = 1/λ_max of the net's empirical NTK at
            init.
        t_end: the time asked for.   t_reached: the last recorded time.
        capped: True when t_end needed more GD steps than the work budget allows: the net
            was trained to the largest affordable time instead.
        completed: False when stopped early (or diverged).   diverged: a loss became
            non-finite.
    """

    t: np.ndarray
    steps: np.ndarray
    f_train: np.ndarray
    f_test: np.ndarray
    freqs: np.ndarray
    delta: np.ndarray
    width: int
    seed: int
    lr: float
    t_end: float
    t_reached: float
    capped: bool
    completed: bool
    diverged: bool

    def index_at(self, t) -> int:
        """Index of the latest record at a time ≤ t, to the nearest GD step (so t_end itself
        shows the last record); 0, the net at init, for earlier t."""
        step = np.round(float(t) / self.lr)
        return max(int(np.searchsorted(self.steps, step, side="right")) - 1, 0)


def strongest_freqs(view: FrequencyView, count=3) -> np.ndarray:
    """Positions in ``view.freqs`` (columns of ``view.delta``) of the ``count``
    frequencies with the largest |ŷ_k|, in increasing k."""
    if not isinstance(view, FrequencyView):
        raise ValueError(f"view must be a FrequencyView, got {type(view).__name__}")
    count = as_int(count, "count", 1, MAX_FREQS)
    y_hat = np.abs(np.fft.rfft(view.y))[view.freqs]
    return np.sort(np.argsort(-y_hat, kind="stable")[:count])


def frequency_finite(view: FrequencyView, t_end, *, width=1024, seed=0, progress=None,
                     stop=None) -> FrequencyFinite:
    """Train a two-layer ReLU net (:func:`ntklab.init_params`, s = 1, so f_0 ≠ 0) on
    ``view``'s grid by full-batch GD (:func:`ntklab.train`, float32, η = 1/λ_max) up to
    time ``t_end`` = η·steps, and measure Δ_k(t) like :func:`frequency_view`.

    Args:
        view: a :class:`FrequencyView` (its grid X, targets Y and frequencies k).
        t_end: the time to reach; steps = ⌈t_end/η⌉. When that is more than the work
            budget allows (:data:`WORK_BUDGET`, about 5 s), the net is trained to the
            largest affordable time and the result says ``capped``.
        width: m.   seed: seed of θ₀.
        progress, stop: passed to :func:`ntklab.train` (called after every compiled chunk).

    Outputs are recorded at the view's time grid (rounded to whole steps), at step 0 and
    at the last step.
    """
    from .lazy import _lam_max
    from .finite.model import _n_params, init_params
    from .finite.training import bucket_size, train

    if not isinstance(view, FrequencyView):
        raise ValueError(f"view must be a FrequencyView, got {type(view).__name__}")
    t_end = as_positive(t_end, "t_end", hi=T_MAX)
    width = as_int(width, "width", 1, FINITE_MAX_WIDTH)
    seed = as_int(seed, "seed", 0, 2**32 - 1)
    n = view.x.shape[0]
    n_params = _n_params((width,), 1)
    what = f"training width {width} on {n} points"
    _check_work(n_params, n, 1, what)  # refuse only a net too big for a single step
    max_steps = int(WORK_BUDGET // (6.0 * bucket_size(n) * n_params))

    p = init_params(seed, width, init_scale=1.0)
    lr = 1.0 / float(_lam_max([p], view.x)[0])
    steps = max(int(np.ceil(t_end / lr)), 1)
    capped = steps > max_steps
    steps = min(steps, max_steps)
    grid = np.round(view.t_grid[view.t_grid <= t_end] / lr).astype(np.int64)
    record = np.unique(np.concatenate([[0], grid[grid <= steps], [steps]]))
    res = train(p, view.x, view.y, x_eval=np.concatenate([view.x, view.x_test]), steps=steps,
                lr=lr, record=record, linear=False, progress=progress, stop=stop)
    f_train, f_test = res.f_net[:, :n], res.f_net[:, n:]
    if f_train.shape[0]:
        _, delta = frequency_error(f_train, view.y, view.freqs)
    else:
        delta = np.empty((0, view.freqs.shape[0]))
    return FrequencyFinite(
        t=res.t, steps=res.steps, f_train=f_train, f_test=f_test, freqs=view.freqs,
        delta=delta, width=width, seed=seed, lr=res.lr, t_end=t_end,
        t_reached=float(res.t[-1]) if res.t.shape[0] else 0.0, capped=capped,
        completed=res.completed, diverged=res.diverged)
