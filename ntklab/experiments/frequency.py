"""Claim: along eigenvector v_i of K the residual decays as e^{−λ_i t}, and large eigenvalues
belong to low frequencies, so a net learns the low frequencies of a target first — the
frequency principle (Xu et al.; Xu's lecture notes, *Understanding deep learning*, 2023,
§1.1; docs/science.md §3, §5).

Questions:

* :func:`frequency_view` / :func:`frequency_at`: the linearized (infinite-width, f_0 = 0)
  model on an n-point grid, its fit at time t and the per-frequency error Δ_k(t);
* :func:`frequency_finite`: a finite two-layer net trained by GD on the same grid, with the
  same Δ_k(t);
* :func:`residual_decay`: α_i(t) measured by GD on the linear model against α_i(0)e^{−λ_i t};
* :func:`frequency_decay_rates`: how fast each frequency ξ is learnt, against the linear
  frequency-principle theory c₁/ξ⁴ + c₂/ξ².

The Frequency dashboard, notebook 02 and ``ntklab figures`` ask these at their own sizes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.optimize import nnls

from ..analytic.data import parse_target, resolve_target, sample_points
from ..analytic.dynamics import default_lr, gradient_flow
from ..analytic.kernels import ntk
from ..analytic.metrics import fit_power_law
from ..analytic.spectrum import eigenpairs, frequency_error
from ..analytic.validate import as_int, as_positive
from .common import (
    WORK_BUDGET,
    Progress,
    RecentResults,
    check_work,
    frozen,
    step_callback,
    work,
)

__all__ = [
    "FREQUENCY_MAX_N",
    "LEARNT",
    "STRONG",
    "T_MAX",
    "T_MIN",
    "VANISHED",
    "DecayRates",
    "FrequencyFinite",
    "FrequencySnapshot",
    "FrequencyView",
    "ResidualDecay",
    "claims",
    "forget",
    "frequency_at",
    "frequency_decay_rates",
    "frequency_finite",
    "frequency_view",
    "passage_times",
    "residual_decay",
    "strongest_freqs",
    "summary",
    "time_below",
]

FREQUENCY_MAX_N = 500  # one full eigh per (target, n): ≤ 0.1 s
N_TEST = 400
MAX_FREQS = 16  # rows of the heat map: the lowest frequencies the target really contains
STRONG = 1e-2  # ... i.e. with |ŷ_k| ≥ 1% of the largest (on one period, see _period)
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
        freqs: frequency indices k shown (k oscillations over [lo, hi]): the lowest
            :data:`MAX_FREQS` with |ŷ_k| ≥ :data:`STRONG` × the largest, shape (F,).
        delta: relative error Δ_k(t) = |ĥ_k − ŷ_k|/|ŷ_k| of the training output (complex
            difference, the papers' definition), shape (T, F). The DFTs are taken over one
            period: x = hi is x = lo again, so the two ends become one sample, their mean,
            and a sine with k periods over [lo, hi] is exactly frequency k.
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


_recent = RecentResults(4)  # recent views: moving t, or a control back, is free


def _period(values):
    """One period of samples on a uniform grid that includes both ends: x = hi is x = lo again,
    so the two ends become one sample, their mean (the midpoint of the jump where the target
    does not repeat over [lo, hi]), and the last is dropped. The DFT of these puts a sine with
    k periods over [lo, hi] exactly in bin k, and a step's low even harmonics below 0.2 % of
    the largest from n = 64 (aliasing near the Nyquist frequency: up to 2.3 %). Over all n
    points a sine leaked into every bin (3.6 % of the largest into k = 6 for
    sin x + sin 3x + sin 5x at n = 200), and the relative error of such a
    nearly empty bin rose to 5 and fell below 0.1 out of order. Dropping the last point
    alone made a step's mean and even bins 2.5 % of the largest at n = 64."""
    arr = np.array(values, dtype=np.float64)[..., :-1]
    arr[..., 0] = 0.5 * (arr[..., 0] + np.asarray(values, dtype=np.float64)[..., -1])
    return arr


def forget() -> None:
    """Drop the cached views (a benchmark times uncached calls)."""
    _recent.clear()


def frequency_view(target, n=200) -> FrequencyView:
    """The linearized model's fit of ``target`` on an n-point grid, and Δ_k(t) over time.

    Args:
        target: a name in :data:`ntklab.TARGETS` (its own interval) or an expression in x
            (on [−1, 1]), parsed safely by :func:`ntklab.parse_target`.
        n: grid size, 8 ≤ n ≤ 500 (a full eigendecomposition is needed for α_i(t)).
    """
    n = as_int(n, "n", 8, FREQUENCY_MAX_N)
    tg = resolve_target(target)
    expr, lo, hi = tg.expr, float(tg.lo), float(tg.hi)
    key = (expr, lo, hi, n)
    hit = _recent.get(key)
    if hit is not None:
        return hit
    f = parse_target(expr)
    x = sample_points(n, kind="grid", lo=lo, hi=hi)
    x_test = np.linspace(lo, hi, N_TEST)
    y, y_test = f(x), f(x_test)
    if np.max(np.abs(y)) == 0:
        raise ValueError(f"target {expr!r} is zero on every sample point: nothing to learn")
    K = ntk(x)
    lam, V = eigenpairs(K)
    decades = np.log10(T_MAX) - np.log10(T_MIN)
    t_grid = np.logspace(np.log10(T_MIN), np.log10(T_MAX), int(decades * T_PER_DECADE) + 1)
    flow = gradient_flow(K, y, t_grid, eig=(lam, V))
    y_hat = np.abs(np.fft.rfft(_period(y)))
    if y_hat.max() == 0:
        raise ValueError(f"target {expr!r} is zero on one period of the grid: nothing to learn")
    strong = np.flatnonzero(y_hat >= STRONG * y_hat.max())[:MAX_FREQS]
    freqs, delta = frequency_error(_period(flow.train), _period(y), strong)
    return _recent.put(key, frozen(FrequencyView(
        target=expr, lo=lo, hi=hi, x=x, y=y, x_test=x_test, y_test=y_test, K=K, lam=lam, V=V,
        K_test=ntk(x_test, x), t_grid=t_grid, freqs=freqs, delta=delta)))


def frequency_at(view: FrequencyView, t) -> FrequencySnapshot:
    """Outputs and residual components of ``view``'s model at time t (one closed-form call,
    reusing the view's eigendecomposition)."""
    t = as_positive(t, "t", hi=1e12)
    flow = gradient_flow(view.K, view.y, [0.0, t], K_test=view.K_test, eig=(view.lam, view.V))
    return FrequencySnapshot(t=t, train=flow.train[1], test=flow.test[1], alpha=flow.alpha[1],
                             alpha0=flow.alpha[0])



FINITE_MAX_WIDTH = 100_000


@dataclass(frozen=True)
class FrequencyFinite:
    """A two-layer ReLU net of width m trained by full-batch GD on a :class:`FrequencyView`'s
    grid, recorded at the view's log-spaced times up to t_end (docs/science.md §2, §5).

    Attributes:
        t: recorded times t = η·k, shape (R,) (starts at 0, the net at init).
        steps: the recorded GD steps k, shape (R,).
        f_train: f_NN(X, t) on the view's training grid, shape (R, n).
        f_test: f_NN(x_test, t) on the view's test grid, shape (R, 400).
        freqs: the view's frequency indices k, shape (F,).
        delta: Δ_k(t) = |ĥ_k − ŷ_k|/|ŷ_k| of f_train (the view's definition and
            frequencies), shape (R, F).
        weight_change: ‖θ_t − θ₀‖/‖θ₀‖ of the net, shape (R,) (how far from the lazy
            regime it went).
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
    weight_change: np.ndarray
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
    y_hat = np.abs(np.fft.rfft(_period(view.y)))[view.freqs]
    return np.sort(np.argsort(-y_hat, kind="stable")[:count])


def frequency_finite(view: FrequencyView, t_end=None, *, steps=None, width=1024, seed=0,
                     budget=WORK_BUDGET, progress: Progress = None, on_step=None,
                     stop=None) -> FrequencyFinite:
    """Train a two-layer ReLU net (:func:`ntklab.init_params`, s = 1, so f_0 ≠ 0) on
    ``view``'s grid by full-batch GD (:func:`ntklab.train`, float32, its default step
    η = 1/λ_max) up to time ``t_end`` = η·steps, and measure Δ_k(t) like
    :func:`frequency_view`.

    Args:
        view: a :class:`FrequencyView` (its grid X, targets Y and frequencies k).
        t_end: the time to reach; steps = ⌈t_end/η⌉.   steps: or the number of GD steps
            (then t_end = η·steps). Give exactly one.
        width: m.   seed: seed of θ₀.
        budget: the work allowed (:data:`~ntklab.experiments.common.WORK_BUDGET`, about 5 s,
            for a dashboard; ``None``: no limit). When the steps need more, the net is
            trained to the largest affordable time and the result says ``capped``.
        progress: a callable taking status lines (``print``).
        on_step, stop: passed to :func:`ntklab.train` (called after every compiled chunk).

    Outputs are recorded at the view's time grid (rounded to whole steps), at step 0 and
    at the last step.
    """
    from ..finite.model import init_params, n_params
    from ..finite.training import shared_lr, train

    if not isinstance(view, FrequencyView):
        raise ValueError(f"view must be a FrequencyView, got {type(view).__name__}")
    if (t_end is None) == (steps is None):
        raise ValueError("give exactly one of t_end and steps")
    width = as_int(width, "width", 1, FINITE_MAX_WIDTH)
    seed = as_int(seed, "seed", 0, 2**32 - 1)
    n = view.x.shape[0]
    size = n_params((width,), 1)
    check_work(size, n, 1, f"training width {width} on {n} points", budget)  # one step

    p = init_params(seed, width, init_scale=1.0)
    lr = shared_lr([p], view.x)
    if steps is None:
        t_end = as_positive(t_end, "t_end", hi=T_MAX)
        steps = max(int(np.ceil(t_end / lr)), 1)
    else:
        steps = as_int(steps, "steps", 1, 10_000_000)
        t_end = lr * steps
    max_steps = steps if budget is None else int(budget // work(size, n, 1))
    capped = steps > max_steps
    steps = min(steps, max_steps)
    grid = np.round(view.t_grid[view.t_grid <= t_end] / lr).astype(np.int64)
    record = np.unique(np.concatenate([[0], grid[grid <= steps], [steps]]))
    res = train(p, view.x, view.y, x_eval=np.concatenate([view.x, view.x_test]), steps=steps,
                lr=lr, record=record, linear=False, progress=step_callback(progress, on_step),
                stop=stop)
    f_train, f_test = res.f_net[:, :n], res.f_net[:, n:]
    if f_train.shape[0]:
        _, delta = frequency_error(_period(f_train), _period(view.y), view.freqs)
    else:
        delta = np.empty((0, view.freqs.shape[0]))
    return frozen(FrequencyFinite(
        t=res.t, steps=res.steps, f_train=f_train, f_test=f_test, freqs=view.freqs,
        delta=delta, weight_change=res.weight_change_net, width=width, seed=seed,
        lr=res.lr, t_end=t_end, t_reached=float(res.t[-1]) if res.t.shape[0] else 0.0,
        capped=capped, completed=res.completed, diverged=res.diverged))


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
    lr = default_lr(K, factor=as_positive(lr_fraction, "lr_fraction", hi=1.9))
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
    return frozen(ResidualDecay(t=t, indices=idx, lam=lam[idx - 1], measured=measured,
                                 predicted=predicted, rates=rates, lr=float(lr)))


def time_below(t, delta, level=0.1):
    """First time at which each column of ``delta`` (T, F) is ≤ ``level`` (NaN if never)."""
    t, delta = np.asarray(t, dtype=np.float64), np.asarray(delta, dtype=np.float64)
    hit = delta <= level
    first = np.argmax(hit, axis=0)
    return np.where(hit.any(axis=0), t[first], np.nan)



@dataclass(frozen=True)
class DecayRates:
    """Measured convergence rate of the linearized model per frequency ξ, and the fitted
    linear frequency-principle theory rate(ξ) ≈ c₁/ξ⁴ + c₂/ξ² (docs/science.md §5).

    Attributes: xi (F,); rate (F,) = 1/t_e, t_e the first time Δ_ξ(t) ≤ 1/e when learning
    sin(ξx) alone; c1, c2 ≥ 0 from a non-negative least-squares fit of rate/rate (relative
    residuals); theory (F,) = c₁ξ⁻⁴ + c₂ξ⁻²; slope: the plain power-law log-log slope,
    fit (F,) that power law at ξ; n: the grid size.
    """

    xi: np.ndarray
    rate: np.ndarray
    c1: float
    c2: float
    theory: np.ndarray
    slope: float
    fit: np.ndarray
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
        flow = gradient_flow(K, y, t, eig=(lam, V))
        _, d = frequency_error(_period(flow.train), _period(y), [int(k)])
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
    slope, fit = fit_power_law(xi, rate)
    return frozen(DecayRates(xi=xi, rate=rate, c1=float(c1), c2=float(c2), theory=theory,
                             slope=slope, fit=fit, n=n))




def summary(result) -> dict:
    """The numbers a caption or a notebook quotes, for any result of this module: for a
    :class:`FrequencyView`, the time at which each frequency's Δ_k first falls to 0.1;
    for a :class:`FrequencyFinite`, the same for the net, its final Δ_k and weight change;
    for :class:`ResidualDecay`, the measured rates against λ_i; for :class:`DecayRates`,
    the fitted c₁, c₂ and slope."""
    if isinstance(result, FrequencyView):
        return {"target": result.target, "n": int(result.x.shape[0]),
                "freqs": result.freqs.tolist(),
                "strongest": result.freqs[strongest_freqs(result, 3)].tolist(),
                "t_delta_below_0.1": time_below(result.t_grid, result.delta, 0.1).tolist()}
    if isinstance(result, FrequencyFinite):
        return {"width": result.width, "lr": result.lr, "t_reached": result.t_reached,
                "capped": result.capped, "freqs": result.freqs.tolist(),
                "t_delta_below_0.1": time_below(result.t, result.delta, 0.1).tolist(),
                "final_delta": result.delta[-1].tolist() if result.delta.shape[0] else [],
                "weight_change": float(result.weight_change[-1])
                if result.weight_change.shape[0] else None}
    if isinstance(result, ResidualDecay):
        return {"indices": result.indices.tolist(), "lam": result.lam.tolist(),
                "rates": result.rates.tolist(), "rate_over_lam": (result.rates
                                                                  / result.lam).tolist()}
    if isinstance(result, DecayRates):
        return {"xi": result.xi.tolist(), "rate": result.rate.tolist(), "c1": result.c1,
                "c2": result.c2, "slope": result.slope}
    raise ValueError(f"no summary for {type(result).__name__}")


# --- claims: what the Frequency captions may say about a view, a snapshot and a net -----
LEARNT = 0.1  # a frequency is "learnt" once Δ_k ≤ 0.1 (the time quoted is the first such)
VANISHED = 0.01  # a residual component has "vanished" once |α_i(t)| ≤ 1 % of |α_i(0)|
ALPHA_SHOWN = 60  # components in the residual plot (residual_components_fig's max_index)
WEAK = 0.1  # a frequency with |ŷ_k| below 10 % of the largest is "weak": its relative error
# Δ_k divides by a small number, and it may fall out of order (0.03·sin(πx) + sin(6πx))
PRESENT = 1e-8  # ... among those with |α_i(0)| above PRESENT × the largest (a target's
# symmetry makes the others 0 up to round-off, e.g. the even v_i for an odd target)


def passage_times(t, delta, level=LEARNT) -> np.ndarray:
    """The first time at which each column of ``delta`` (T, F) falls to ``level``,
    interpolated linearly in log t and log Δ between the two records around it (in t alone
    when the earlier one is at t = 0); ``inf`` where it never does.

    Finer than :func:`time_below`, which gives the record's time: two frequencies that
    cross between the same two records (8 per decade) are still told apart.
    """
    t, delta = np.asarray(t, dtype=np.float64), np.asarray(delta, dtype=np.float64)
    out = np.full(delta.shape[1], np.inf)
    for j in range(delta.shape[1]):
        hit = np.flatnonzero(delta[:, j] <= level)
        if not hit.size:
            continue
        i = int(hit[0])
        if i == 0:
            out[j] = t[0]
            continue
        d0, d1 = delta[i - 1, j], delta[i, j]
        if t[i - 1] > 0 and d1 > 0:
            lt0, lt1 = np.log(t[i - 1]), np.log(t[i])
            frac = (np.log(level) - np.log(d0)) / (np.log(d1) - np.log(d0))
            out[j] = float(np.exp(lt0 + frac * (lt1 - lt0)))
        else:
            out[j] = float(t[i - 1] + (level - d0) / (d1 - d0) * (t[i] - t[i - 1]))
    return out


def _in_order(freqs, times, final):
    """Whether the frequencies are learnt in order of k: passage times strictly increasing
    with k, those never learnt last and, among them, the final Δ_k increasing. Returns
    (holds, first pair out of order as (k_low, k_high) positions, or None)."""
    for a in range(len(freqs) - 1):
        ta, tb = times[a], times[a + 1]
        if np.isfinite(ta) and np.isfinite(tb):
            ok = ta < tb
        elif np.isfinite(ta) or np.isfinite(tb):
            ok = np.isfinite(ta)  # a learnt frequency before one never learnt
        else:
            ok = final[a] < final[a + 1]  # neither learnt: the lower k nearer to it
        if not ok:
            return False, (a, a + 1)
    return True, None


def _state(done):
    """``"early"`` (none done), ``"done"`` (all), ``"ok"`` (the done ones are the first
    ones) or ``"order"`` (one is done after one that is not)."""
    m = int(np.sum(done))
    return ("early" if m == 0 else "done" if m == len(done) else
            "ok" if np.all(done[:m]) else "order")


def _order_claim(name, figure, t, delta, freqs, weights, extra):
    from .common import Claim

    times = passage_times(t, delta, LEARNT)
    final = delta[-1] if delta.shape[0] else np.full(delta.shape[1], np.inf)
    holds, pair = _in_order(freqs, times, final)
    values = {"freqs": tuple(int(k) for k in freqs), "times": tuple(float(v) for v in times),
              "final": tuple(float(v) for v in final), "level": LEARNT, **extra}
    if pair is not None:
        a, b = pair
        values.update(k_low=int(freqs[a]), t_low=float(times[a]), d_low=float(final[a]),
                      k_high=int(freqs[b]), t_high=float(times[b]), d_high=float(final[b]),
                      weight=float(weights[a]), weak=bool(weights[a] < WEAK))
    return Claim(name, figure, holds, values)


def claims(view: FrequencyView, snap: FrequencySnapshot, net: FrequencyFinite | None = None,
           *, bands=3) -> tuple:
    """The checked statements the Frequency captions make about the linearized model's
    ``view`` at the snapshot ``snap`` (the slider's t) and, after the button, the trained
    ``net``.

    - ``low_first`` (heat map): the times at which Δ_k first falls to :data:`LEARNT`
      (:func:`passage_times`) strictly increase with k over the rows shown;
    - ``outline_first`` (fit at t): at the snapshot's t the frequencies already learnt
      (Δ_k ≤ :data:`LEARNT`) are the lowest ones, and some are learnt and some are not;
    - ``small_i_first`` (residual plot): at t the components that have vanished
      (|α_i(t)| ≤ :data:`VANISHED`·|α_i(0)|) are the first ones among the
      :data:`ALPHA_SHOWN` shown, and some have and some have not;
    - ``bands_low_first`` (bands, linearized): ``low_first`` for the ``bands`` strongest
      frequencies (:func:`strongest_freqs`);
    - ``net_low_first`` (bands, with a net): the same for the trained net, over its record;
      frequencies it has not learnt by its last record come last, the nearer to learnt
      (smaller final Δ_k) first.
    """
    from .common import Claim

    if not isinstance(view, FrequencyView) or not isinstance(snap, FrequencySnapshot):
        raise ValueError("claims needs a FrequencyView and a FrequencySnapshot")
    if snap.train.shape != view.y.shape:
        raise ValueError(f"the snapshot has {snap.train.shape[0]} points, the view "
                         f"{view.y.shape[0]}: pass frequency_at(view, t)")
    y_hat = np.abs(np.fft.rfft(_period(view.y)))
    weights = y_hat[view.freqs] / y_hat.max()
    out = [_order_claim("frequency.low_first", "heat", view.t_grid, view.delta, view.freqs,
                        weights, {"rows": int(view.freqs.shape[0]),
                                  "weakest": float(weights.min()), "strong": STRONG})]

    _, now = frequency_error(_period(snap.train), _period(view.y), view.freqs)
    learnt = now <= LEARNT
    out.append(Claim("frequency.outline_first", "fit", _state(learnt) == "ok", {
        "t": snap.t, "state": _state(learnt), "level": LEARNT,
        "learnt": tuple(int(k) for k in view.freqs[learnt]),
        "pending": tuple(int(k) for k in view.freqs[~learnt]),
        "delta_low": float(now[0]), "delta_high": float(now[-1]),
        "k_low": int(view.freqs[0]), "k_high": int(view.freqs[-1])}))

    a0, a = np.abs(snap.alpha0[:ALPHA_SHOWN]), np.abs(snap.alpha[:ALPHA_SHOWN])
    present = np.flatnonzero(a0 > PRESENT * a0.max())
    left = a[present] / a0[present]
    gone = left <= VANISHED
    k_gone, state = int(gone.sum()), _state(gone)
    values = {"t": snap.t, "state": state, "level": VANISHED, "shown": ALPHA_SHOWN,
              "present": int(present.size), "gone": k_gone}
    if 0 < k_gone:
        values["last_gone"] = int(present[np.flatnonzero(gone)[-1]]) + 1
    if k_gone < gone.size:
        kept = int(np.flatnonzero(~gone)[0])
        values.update(first_kept=int(present[kept]) + 1, kept_left=float(left[kept]),
                      top_left=float(left[-1]), top=int(present[-1]) + 1)
    out.append(Claim("frequency.small_i_first", "alpha", state == "ok", values))

    cols = strongest_freqs(view, bands)
    out.append(_order_claim("frequency.bands_low_first", "bands", view.t_grid,
                            view.delta[:, cols], view.freqs[cols], weights[cols], {}))
    if net is not None and net.t.shape[0]:
        delta = net.delta[:, cols]
        if not np.all(np.isfinite(delta)):
            delta = np.where(np.isfinite(delta), delta, np.inf)
        out.append(_order_claim("frequency.net_low_first", "bands", net.t, delta,
                                view.freqs[cols], weights[cols],
                                {"width": net.width, "t_end": net.t_reached,
                                 "capped": net.capped, "diverged": net.diverged,
                                 "weight_change": float(net.weight_change[-1])}))
    return tuple(out)
