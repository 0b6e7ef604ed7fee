"""Experiments behind the teaching notebooks and the seed-figure reproductions (SCIENCE.md §3).

One function per figure or measurement; each returns a small frozen dataclass of numpy
arrays (no plotting: :mod:`ntklab.figures_seed` draws them). Every measured number comes
from running the model: nothing here encodes a seed's claim. Functions that train accept
``progress``, a callable receiving a short status string, so notebooks can show progress.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.optimize import nnls

from .analytic.metrics import fit_slope
from .analytic.metrics import rmse as _rmse
from .analytic.validate import as_int, as_positive
from .analytic.data import TARGETS, make_dataset, parse_target, sample_points
from .analytic.dynamics import PriorDecomposition, ensemble_moments, gradient_flow, prior_decomposition
from .analytic.kernels import ntk, ntk_and_nngp
from .analytic.spectrum import eigenpairs, frequency_error, zero_crossings

__all__ = [
    "DecayRates",
    "EnsembleComparison",
    "FrequencyErrors",
    "InitComparison",
    "KernelConvergence",
    "KernelRegression",
    "Linearization",
    "OutputsAtInit",
    "ResidualDecay",
    "SpectrumFigure",
    "TrickComparison",
    "ensemble_comparison",
    "fit_slope",
    "frequency_decay_rates",
    "frequency_errors",
    "init_scale_comparison",
    "kernel_convergence",
    "kernel_regression_check",
    "linearization_vs_width",
    "outputs_at_init",
    "residual_decay",
    "spectrum_figure",
    "time_below",
    "trick_comparison",
]

Progress = Callable[[str], object] | None


def _say(progress: Progress, text: str) -> None:
    if progress is not None:
        progress(text)


def _slope(u, v) -> float:
    """fit_slope, or NaN for fewer than two points."""
    return fit_slope(u, v) if len(u) >= 2 else float("nan")


def _frozen(obj):
    for value in vars(obj).values():
        if isinstance(value, np.ndarray):
            value.setflags(write=False)
    return obj


# ------------------------------------------------------------------ seed 003, Fig. 1.1


@dataclass(frozen=True)
class SpectrumFigure:
    """Eigenpairs of the NTK Gram matrix on n grid points of [−1, 1] (seed 003, Fig. 1.1).

    Attributes: x (n,); lam (k,) descending; V (n, k); crossings (k,) zero crossings of
    each eigenvector; shown: 1-based indices chosen for the eigenvector panel.
    """

    x: np.ndarray
    lam: np.ndarray
    V: np.ndarray
    crossings: np.ndarray
    shown: tuple


def spectrum_figure(n=3000, k=40, shown=(1, 2, 3, 10, 20),
                    progress: Progress = None) -> SpectrumFigure:
    """Top-k eigenpairs of K(X, X) (two-layer net, s = 1) and their zero crossings."""
    n = as_int(n, "n", 2, 20_000)
    k = as_int(k, "k", 1, n)
    _say(progress, f"NTK Gram matrix on {n} points and its top {k} eigenpairs")
    x = sample_points(n)
    lam, V = eigenpairs(ntk(x), k, tol=1e-6)
    shown = tuple(int(i) for i in shown if 1 <= int(i) <= k)
    return _frozen(SpectrumFigure(x=x, lam=lam, V=V, crossings=zero_crossings(V, x),
                                  shown=shown))


# ------------------------------------------------------------------ residual decay, FP


@dataclass(frozen=True)
class ResidualDecay:
    """Residual components α_i along eigenvectors during gradient descent on the
    linearized (infinite-width) model, and the prediction α_i(0)·e^{−λ_i t}.

    Attributes: t (T,); indices (k,) 1-based; lam (k,); measured (T, k) α_i from the GD
    iteration u ← u − ηKu; predicted (T, k); rates (k,) measured decay rates (least-squares
    slope of −log|α_i| against t); lr: the step η.
    """

    t: np.ndarray
    indices: np.ndarray
    lam: np.ndarray
    measured: np.ndarray
    predicted: np.ndarray
    rates: np.ndarray
    lr: float


def residual_decay(n=200, target="exp(x)", indices=(1, 2, 3, 4, 5), steps=300,
                   lr_fraction=0.02) -> ResidualDecay:
    """Run GD on the linear model (f_0 = 0) and measure each component's decay rate.

    η = lr_fraction/λ_max; GD multiplies α_i by (1 − ηλ_i) per step, so the measured rate
    −log(1 − ηλ_i)/η approaches λ_i as η → 0 (1 % high for lr_fraction = 0.02 at i = 1).
    The default target has even and odd parts so that no α_i(0) vanishes.
    """
    n = as_int(n, "n", 4, 3000)
    steps = as_int(steps, "steps", 2, 100_000)
    x = sample_points(n)
    y = parse_target(target)(x)
    K = ntk(x)
    idx = np.asarray(indices, dtype=np.int64)
    lam, V = eigenpairs(K, int(idx.max()))
    lr = as_positive(lr_fraction, "lr_fraction", hi=1.9) / lam[0]
    u = -y.copy()
    rows = [u]
    for _ in range(steps):
        u = u - lr * (K @ u)
        rows.append(u)
    t = lr * np.arange(steps + 1)
    Vk = V[:, idx - 1]
    measured = np.asarray(rows) @ Vk
    predicted = measured[0] * np.exp(-np.outer(t, lam[idx - 1]))
    rates = np.array([-np.polyfit(t, np.log(np.abs(measured[:, j])), 1)[0]
                      for j in range(idx.shape[0])])
    return _frozen(ResidualDecay(t=t, indices=idx, lam=lam[idx - 1], measured=measured,
                                 predicted=predicted, rates=rates, lr=float(lr)))


def _target_interval(target):
    if target in TARGETS:
        tg = TARGETS[target]
        return tg.expr, tg.lo, tg.hi
    return parse_target(target).expr, -1.0, 1.0


@dataclass(frozen=True)
class FrequencyErrors:
    """Relative error Δ_k(t) = |ĥ_k − ŷ_k|/|ŷ_k| (complex DFT difference) over time.

    Attributes: t (T,); freqs (F,) frequency indices (k oscillations over the interval);
    delta_lin (T, F) for the infinite-width linearized model (closed form, f_0 = 0);
    t_net (R,) and delta_net (R, F) for a finite net trained by GD (``None`` if not run),
    weight_change_net its final ‖θ_t − θ_0‖/‖θ_0‖ (how far from the lazy regime it went);
    target, lo, hi, n: the setting; width: the finite net's width (or None).
    """

    t: np.ndarray
    freqs: np.ndarray
    delta_lin: np.ndarray
    t_net: np.ndarray | None
    delta_net: np.ndarray | None
    weight_change_net: float | None
    target: str
    lo: float
    hi: float
    n: int
    width: int | None


def frequency_errors(target="three_sines", n=201, freqs=(1, 3, 5), t=None, width=None,
                     steps=20_000, seed=0, progress: Progress = None) -> FrequencyErrors:
    """Per-frequency error of the fit on an n-point uniform grid, over training time.

    The linearized model is solved in closed form; with ``width`` a two-layer net of that
    width (s = 1) is also trained by full-batch GD (η = 1/λ_max) on the same grid.
    """
    from .finite.model import init_params
    from .finite.training import train

    expr, lo, hi = _target_interval(target)
    n = as_int(n, "n", 8, 3000)
    x = sample_points(n, lo=lo, hi=hi)
    y = parse_target(expr)(x)
    freqs = np.asarray(freqs, dtype=np.int64)
    t = np.logspace(-3, 4, 57) if t is None else np.asarray(t, dtype=np.float64)
    _say(progress, "linearized model: kernel and closed form")
    flow = gradient_flow(ntk(x), y, t)
    _, delta_lin = frequency_error(flow.train, y, freqs)
    t_net = delta_net = weight_change = None
    if width is not None:
        _say(progress, f"training a width-{width} net for {steps} steps")
        record = np.unique(np.geomspace(1, steps, 60).astype(np.int64))
        res = train(init_params(seed, width), x, y, steps=steps, record=np.r_[0, record],
                    linear=False, progress=_train_progress(progress))
        t_net = res.t
        _, delta_net = frequency_error(res.f_net, y, freqs)
        weight_change = float(res.weight_change_net[-1])
    return _frozen(FrequencyErrors(t=t, freqs=freqs, delta_lin=delta_lin, t_net=t_net,
                                   delta_net=delta_net, weight_change_net=weight_change,
                                   target=expr, lo=lo, hi=hi, n=n,
                                   width=width))


def time_below(t, delta, level=0.1):
    """First time at which each column of ``delta`` (T, F) is ≤ ``level`` (NaN if never)."""
    t, delta = np.asarray(t, dtype=np.float64), np.asarray(delta, dtype=np.float64)
    hit = delta <= level
    first = np.argmax(hit, axis=0)
    return np.where(hit.any(axis=0), t[first], np.nan)


def _train_progress(progress: Progress, every=0.1, runs=()):
    """A ``train`` callback forwarding a status line each time another ``every`` of the
    steps is done (so a notebook prints about ten lines per training run).

    One callback may serve consecutive runs (a step count not above the last one seen
    starts a new run); with ``runs``, each run's label is said as it starts.
    """
    if progress is None:
        return None
    state = {"next": every, "last": None, "run": 0}

    def report(p):
        if state["last"] is None or p.step <= state["last"]:  # a new run
            if state["last"] is not None:
                state["run"] += 1
            state["next"] = every
            if state["run"] < len(runs):
                progress(runs[state["run"]])
        state["last"] = p.step
        if p.step >= state["next"] * p.steps or p.step == p.steps:
            progress(f"  step {p.step}/{p.steps}, loss {p.loss_net:.3g}")
            while state["next"] * p.steps <= p.step:
                state["next"] += every

    return report


@dataclass(frozen=True)
class DecayRates:
    """Measured convergence rate of the linearized model per frequency ξ, and the fitted
    linear frequency-principle theory rate(ξ) ≈ c₁/ξ⁴ + c₂/ξ² (SCIENCE.md §5).

    Attributes: xi (F,); rate (F,) = 1/t_e, t_e the first time Δ_ξ(t) ≤ 1/e when learning
    sin(ξx) alone; c1, c2 ≥ 0 from a non-negative least-squares fit of rate/rate (relative
    residuals); theory (F,) = c₁ξ⁻⁴ + c₂ξ⁻²; slope: the plain power-law log-log slope.
    """

    xi: np.ndarray
    rate: np.ndarray
    c1: float
    c2: float
    theory: np.ndarray
    slope: float
    n: int


def frequency_decay_rates(xi=tuple(range(1, 16)), n=401) -> DecayRates:
    """Measure how fast each frequency is learned: targets sin(ξx) on [−π, π], f_0 = 0."""
    n = as_int(n, "n", 8, 3000)
    xi = np.asarray(xi, dtype=np.int64)
    x = sample_points(n, lo=-np.pi, hi=np.pi)
    K = ntk(x)
    lam, V = eigenpairs(K)
    t = np.logspace(-5, 5, 801)
    rates = []
    for k in xi:
        y = np.sin(k * x)
        _, d = frequency_error(gradient_flow(K, y, t, eig=(lam, V)).train, y, [int(k)])
        below = np.flatnonzero(d[:, 0] <= math.exp(-1.0))
        if below.size == 0 or below[0] == 0:
            raise ValueError(f"frequency {k}: Δ never crosses 1/e on the time grid")
        j = below[0]  # interpolate log Δ linearly in log t between grid points j−1 and j
        lt = np.log(t[j - 1 : j + 1])
        ld = np.log(d[j - 1 : j + 1, 0])
        te = math.exp(lt[0] + (-1.0 - ld[0]) * (lt[1] - lt[0]) / (ld[1] - ld[0]))
        rates.append(1.0 / te)
    rate = np.asarray(rates)
    A = np.stack([xi**-4.0, xi**-2.0], axis=1) / rate[:, None]
    (c1, c2), _ = nnls(A, np.ones_like(rate))
    theory = c1 * xi**-4.0 + c2 * xi**-2.0
    return _frozen(DecayRates(xi=xi, rate=rate, c1=float(c1), c2=float(c2), theory=theory,
                              slope=fit_slope(xi, rate), n=n))


# ------------------------------------------------------------------ notebook 1


@dataclass(frozen=True)
class KernelConvergence:
    """Empirical NTK at init against the infinite-width formula, over widths and seeds.

    Attributes: widths (W,); rel_error (W, S) ‖K_m − K_∞‖_F/‖K_∞‖_F; entries (W, S) one
    kernel entry K_m(x_a, x_b) per net; entry_inf: K_∞(x_a, x_b); pair: (x_a, x_b);
    slope_error, slope_spread: log-log slopes of the mean error and of the std of entries.
    """

    widths: np.ndarray
    rel_error: np.ndarray
    entries: np.ndarray
    entry_inf: float
    pair: tuple
    slope_error: float
    slope_spread: float


def kernel_convergence(widths=(16, 64, 256, 1024, 4096), seeds=8, n=50,
                       pair=(-0.5, 0.7), progress: Progress = None) -> KernelConvergence:
    from .finite.empirical import empirical_ntk
    from .finite.model import init_params

    widths = np.asarray(widths, dtype=np.int64)
    seeds = as_int(seeds, "seeds", 2, 10_000)
    x = np.concatenate([sample_points(n), np.asarray(pair, dtype=np.float64)])
    K_inf = ntk(x)
    err = np.empty((widths.shape[0], seeds))
    entries = np.empty_like(err)
    for i, m in enumerate(widths):
        _say(progress, f"width {m}")
        for s in range(seeds):
            K = empirical_ntk(init_params(s, int(m)), x)
            err[i, s] = np.linalg.norm(K[:n, :n] - K_inf[:n, :n]) / np.linalg.norm(K_inf[:n, :n])
            entries[i, s] = K[n, n + 1]
    return _frozen(KernelConvergence(
        widths=widths, rel_error=err, entries=entries, entry_inf=float(K_inf[n, n + 1]),
        pair=tuple(float(p) for p in pair), slope_error=fit_slope(widths, err.mean(axis=1)),
        slope_spread=fit_slope(widths, entries.std(axis=1, ddof=1))))


@dataclass(frozen=True)
class OutputsAtInit:
    """Outputs f(x₀; θ₀) over many initializations vs the NNGP prediction N(0, Σ(x₀, x₀)).

    Attributes: x0; width; outputs (S,); var_nngp: Σ(x₀, x₀); var_measured; kurtosis: excess
    kurtosis of the outputs (0 for a Gaussian).
    """

    x0: float
    width: int
    init_scale: float
    outputs: np.ndarray
    var_nngp: float
    var_measured: float
    kurtosis: float


def outputs_at_init(width=1024, inits=2000, x0=0.5, init_scale=1.0) -> OutputsAtInit:
    from .finite.model import apply, init_params

    inits = as_int(inits, "inits", 10, 1_000_000)
    out = np.array([float(apply(init_params(s, width, init_scale=init_scale), [x0])[0])
                    for s in range(inits)])
    _, sigma = ntk_and_nngp([x0], init_scale=init_scale)
    z = (out - out.mean()) / out.std()
    return _frozen(OutputsAtInit(x0=float(x0), width=int(width), init_scale=float(init_scale),
                                 outputs=out, var_nngp=float(sigma[0, 0]),
                                 var_measured=float(out.var(ddof=1)),
                                 kurtosis=float(np.mean(z**4) - 3.0)))


# ------------------------------------------------------------------ notebook 3


@dataclass(frozen=True)
class Linearization:
    """A net and its linearization trained side by side, over widths (seeds 000–002).

    Attributes: widths (W,); t (R,); x_eval (n_eval,); f_net, f_lin (W, R, n_eval);
    rmse (W, R) RMSE(f_net − f_lin) on x_eval over time; weight_change (W, R);
    kernel_drift (W, R); slope_rmse, slope_weight, slope_drift: log-log slopes against
    width at the end of training; x_train, y_train; steps; lr (W,).
    """

    widths: np.ndarray
    t: np.ndarray
    x_eval: np.ndarray
    f_net: np.ndarray
    f_lin: np.ndarray
    rmse: np.ndarray
    weight_change: np.ndarray
    kernel_drift: np.ndarray
    slope_rmse: float
    slope_weight: float
    slope_drift: float
    x_train: np.ndarray
    y_train: np.ndarray
    steps: int
    lr: np.ndarray


def linearization_vs_width(widths=(64, 256, 1024, 4096), target="sin(3*x)", n_train=16,
                           n_eval=200, steps=1000, seed=0, lr=None,
                           progress: Progress = None) -> Linearization:
    """Train each width's net and linearization from the same θ₀ (``seed``) with GD.

    ``lr=None`` uses each net's default η = 1/λ_max(K₀); a number uses it for all widths.
    Times differ between widths with the default η; records are at the same steps.
    """
    from .finite.model import init_params
    from .finite.training import train

    widths = np.asarray(widths, dtype=np.int64)
    data = make_dataset(target, n_train, n_eval)
    rows = []
    for m in widths:
        _say(progress, f"width {m}: {steps} steps")
        rows.append(train(init_params(seed, int(m)), data.x_train, data.y_train,
                          x_eval=data.x_test, steps=steps, lr=lr, record=41,
                          kernel_drift=True))
    f_net = np.stack([r.f_net for r in rows])
    f_lin = np.stack([r.f_lin for r in rows])
    rmse = _rmse(f_net, f_lin)
    wc = np.stack([r.weight_change_net for r in rows])
    drift = np.stack([r.kernel_drift for r in rows])
    return _frozen(Linearization(
        widths=widths, t=rows[0].t, x_eval=data.x_test, f_net=f_net, f_lin=f_lin, rmse=rmse,
        weight_change=wc, kernel_drift=drift, slope_rmse=_slope(widths, rmse[:, -1]),
        slope_weight=_slope(widths, wc[:, -1]), slope_drift=_slope(widths, drift[:, -1]),
        x_train=data.x_train, y_train=data.y_train, steps=int(steps),
        lr=np.array([r.lr for r in rows])))


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


def kernel_regression_check(width=4096, target="sin(3*x)", n_train=16, n_test=200,
                            steps=2000, seed=0, progress: Progress = None) -> KernelRegression:
    from .finite.model import init_params
    from .finite.training import train

    data = make_dataset(target, n_train, n_test)
    K = ntk(data.x_train)
    lam = eigenpairs(K, 1)[0]
    lr = 1.0 / float(lam[0])
    _say(progress, f"training an ASI net of width {width} for {steps} steps")
    res = train(init_params(seed, width, trick="asi"), data.x_train, data.y_train,
                x_eval=data.x_test, steps=steps, lr=lr, record=2, linear=False,
                progress=_train_progress(progress))
    t = lr * steps
    f_kernel = gradient_flow(K, data.y_train, [t], K_test=ntk(data.x_test, data.x_train)).test[0]
    f_net = res.f_net[-1]
    return _frozen(KernelRegression(
        x_train=data.x_train, y_train=data.y_train, x_test=data.x_test, f_net=f_net,
        f_kernel=f_kernel, rmse=float(_rmse(f_net, f_kernel)),
        width=int(width), t=float(t)))


# ------------------------------------------------------------------ notebook 4: Fig. 1.2, 1.4


@dataclass(frozen=True)
class InitComparison:
    """Two-layer nets trained from large and small init (seed 003, Fig. 1.2).

    For each init scale s (axis 0): f0_test (S, n_test) output at init on the test points;
    f_train (S, n_train), f_test (S, n_test) at the end of training; loss (S, R) training
    loss over the recorded steps; test_rmse (S,); roughness (S,) the RMS second difference
    of the trained output on the uniform test grid (oscillation between training points),
    roughness_target the same for the target. Plus the eq. 1.14 decomposition of the
    first scale's linearized model (``decomposition``), and the setting.
    """

    scales: np.ndarray
    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    f0_test: np.ndarray
    f_train: np.ndarray
    f_test: np.ndarray
    steps_recorded: np.ndarray
    loss: np.ndarray
    test_rmse: np.ndarray
    roughness: np.ndarray
    roughness_target: float
    lr: np.ndarray
    decomposition: PriorDecomposition | None
    target: str
    width: int
    steps: int


def init_scale_comparison(scales=(10.0, 0.1), target="sin(3*x) + 0.5*sin(6*x)", n_train=600,
                          n_test=1200, width=1000, steps=20_000, seed=0, decompose=True,
                          step_scale_min=1.0, progress: Progress = None) -> InitComparison:
    """Train a two-layer net from each init scale on the same data.

    The seed gives no target, width, optimizer or step count: these defaults are ours.
    Each net's step is η = 1/λ_max(K₀) of the same seed's net drawn at init scale
    max(s, ``step_scale_min``). For s ≥ 1 that is the net's own kernel at init (it stays
    near it). A small-init net does not: its K₀ ∝ s² is tiny, and it grows out of it as
    its weights grow to fit the data. With its own 1/λ_max(K₀) (``step_scale_min=0``),
    an s = 0.1 net takes steps 100× those of s = 1 and stalls (measured: training loss
    194 → 122 in 20 000 steps, against 1.0 with the s = 1 step).
    With ``decompose``, eq. 1.14 is evaluated for the first scale's linearized model
    with its empirical NTK at init (t = the training time of that net).
    """
    from .finite.empirical import empirical_ntk
    from .lazy import _shared_lr
    from .finite.model import apply, init_params
    from .finite.training import train

    data = make_dataset(target, n_train, n_test, kind="random", seed=seed)
    out = {k: [] for k in ("f0", "ftr", "fte", "loss", "lr", "steps")}
    decomposition = None
    for i, s in enumerate(scales):
        _say(progress, f"s = {s}: {steps} steps")
        p0 = init_params(seed, width, init_scale=float(s))
        lr = None  # train's default: 1/λ_max of p0's K₀
        if float(s) < step_scale_min:
            lr = _shared_lr([init_params(seed, width, init_scale=float(step_scale_min))],
                            data.x_train)
        res = train(p0, data.x_train, data.y_train,
                    x_eval=np.concatenate([data.x_train, data.x_test]), steps=steps, lr=lr,
                    record=41, linear=False, progress=_train_progress(progress))
        out["f0"].append(np.asarray(apply(p0, data.x_test)))
        out["ftr"].append(res.f_net[-1, :n_train])
        out["fte"].append(res.f_net[-1, n_train:])
        out["loss"].append(res.loss_net)
        out["lr"].append(res.lr)
        out["steps"] = res.steps
        if i == 0 and decompose:
            _say(progress, "eq. 1.14 with the empirical NTK at init")
            K = empirical_ntk(p0, data.x_train)
            decomposition = prior_decomposition(
                K, data.y_train, [res.t[-1]], f0=np.asarray(apply(p0, data.x_train)),
                K_test=empirical_ntk(p0, data.x_test, data.x_train), f0_test=out["f0"][-1])
    f_test = np.stack(out["fte"])
    return InitComparison(
        scales=np.asarray(scales, dtype=np.float64), x_train=data.x_train,
        y_train=data.y_train, x_test=data.x_test, y_test=data.y_test,
        f0_test=np.stack(out["f0"]), f_train=np.stack(out["ftr"]), f_test=f_test,
        steps_recorded=out["steps"], loss=np.stack(out["loss"]),
        test_rmse=_rmse(f_test, data.y_test), roughness=_rmse(np.diff(f_test, 2, axis=1)),
        roughness_target=float(_rmse(np.diff(data.y_test, 2))),
        lr=np.asarray(out["lr"]), decomposition=decomposition, target=data.target,
        width=int(width), steps=int(steps))


@dataclass(frozen=True)
class TrickComparison:
    """Plain, ASI, doubling and RND nets trained with one shared η (seed 003, Fig. 1.4).

    Attributes: tricks; steps_recorded (R,); loss (4, R) training loss; f_test (4, n_test)
    final test outputs; f0_test (4, n_test) outputs at init; eq114 (n_test,) the right-hand
    side of eq. 1.14 for the plain net's linearized model (empirical NTK at init);
    prior (n_test,) its prior term h_ini − h(·; 0, X, h_ini(X)); lr: the shared η;
    lam_max (4,) of each net's K₀; test_rmse (4,); the setting.
    """

    tricks: tuple
    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    steps_recorded: np.ndarray
    loss: np.ndarray
    f0_test: np.ndarray
    f_test: np.ndarray
    eq114: np.ndarray
    prior: np.ndarray
    fit_ini: np.ndarray
    lr: float
    lam_max: np.ndarray
    test_rmse: np.ndarray
    width: int
    depth: int
    init_scale: float
    steps: int
    target: str


def trick_comparison(width=5000, depth=2, init_scale=10.0, target="sin4x", n_train=10,
                     n_test=500, steps=1000, lr_fraction=1.0, seed=0, dtype="float32",
                     progress: Progress = None) -> TrickComparison:
    """Seed 003 Fig. 1.4 setting: 1-m-m-1 ReLU nets, s = 10, sin 4x, 10 random / 500 points.

    The seed uses m = 5000, and so does the default (``ntklab.train`` pads it to 5120; the
    two-copy ASI net then needs about 1.7 GB). Pass m = 4096 on a small machine or Binder.
    The seed gives no optimizer, step or step count. Ours: full-batch GD, the same
    η = lr_fraction / max_j λ_max(K₀ of net j) for all four nets (so that every one is
    stable), ``steps`` steps. Training runs in ``dtype`` (float32 halves the time of the
    wide nets); kernels are float64.

    :func:`ntklab.asi_experiment` with ``seed`` for both the nets and the training points,
    on the target's own interval, recorded at 50 log-spaced steps.
    """
    from .lazy import TRICK_NAMES, asi_experiment

    expr, lo, hi = _target_interval(target)
    _say(progress, "initializing and measuring λ_max of each net")
    res = asi_experiment(
        width=width, depth=depth, init_scale=init_scale, n_train=n_train, n_test=n_test,
        target=expr, steps=steps, lr_factor=lr_fraction,
        record=np.unique(np.geomspace(1, steps, 50).astype(np.int64)), seed=seed,
        data_seed=seed, lo=lo, hi=hi, dtype=dtype,
        progress=_train_progress(progress, runs=[f"{t}: {steps} steps" for t in TRICK_NAMES]))
    return TrickComparison(
        tricks=res.names, x_train=res.x_train, y_train=res.y_train, x_test=res.x_test,
        y_test=res.y_test, steps_recorded=res.steps, loss=res.loss, f0_test=res.f0_test,
        f_test=res.test_output, eq114=res.prediction, prior=res.prior,
        fit_ini=res.h_ini - res.prior, lr=res.lr, lam_max=res.lam_max,
        test_rmse=res.test_rmse, width=res.width, depth=int(depth),
        init_scale=res.init_scale, steps=int(steps), target=expr)


# ------------------------------------------------------------------ notebook 5


@dataclass(frozen=True)
class EnsembleComparison:
    """Closed-form trained-ensemble mean ± 2σ against an ensemble of finite nets.

    Attributes: x_test (n_test,); mean, std (n_test,) closed form at time t; nets
    (E, n_test) outputs of E trained finite nets; net_mean, net_std (n_test,);
    t: the training time; width; members.
    """

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    mean: np.ndarray
    std: np.ndarray
    nets: np.ndarray
    net_mean: np.ndarray
    net_std: np.ndarray
    t: float
    width: int
    members: int


def ensemble_comparison(width=1024, members=64, target="sin(3*x)", n_train=8, n_test=200,
                        steps=2000, lr=None, seed=0,
                        progress: Progress = None) -> EnsembleComparison:
    """Train ``members`` nets (seeds seed…seed+members−1) together and compare their mean
    and spread at the final time with :func:`ntklab.ensemble_moments` (infinite width).

    ``lr=None``: η = 1/λ_max of the analytic NTK K(X, X) (the finite nets' kernels are
    close to it); the closed form is evaluated at the same time t = η·steps.
    """
    from .finite.model import init_params
    from .finite.training import train

    data = make_dataset(target, n_train, n_test)
    K, Sigma = ntk_and_nngp(data.x_train)
    lam, V = eigenpairs(K)
    lr = 1.0 / float(lam[0]) if lr is None else float(lr)
    t = lr * steps
    K_test, Sigma_test_train = ntk_and_nngp(data.x_test, data.x_train)
    _, Sigma_test = ntk_and_nngp(data.x_test)
    moments = ensemble_moments(K, Sigma, data.y_train, [t], K_test=K_test,
                               Sigma_test=np.diag(Sigma_test).copy(),
                               Sigma_test_train=Sigma_test_train, eig=(lam, V))
    _say(progress, f"training {members} nets of width {width} together")
    params = [init_params(seed + i, width) for i in range(members)]
    res = train(params, data.x_train, data.y_train, x_eval=data.x_test, steps=steps, lr=lr,
                record=2, linear=False, progress=_train_progress(progress))
    nets = res.f_net[:, -1]
    return EnsembleComparison(
        x_train=data.x_train, y_train=data.y_train, x_test=data.x_test, y_test=data.y_test,
        mean=moments.mean[0], std=np.sqrt(moments.var[0]), nets=nets,
        net_mean=nets.mean(axis=0), net_std=nets.std(axis=0, ddof=1), t=float(t),
        width=int(width), members=int(members))

