"""Claim: whether a wide two-layer ReLU net trains lazily (like its linearization) or not
depends on how it is initialized. Luo, Xu, Ma & Zhang, "Phase diagram for two-layer ReLU
neural networks at infinite-width limit" (JMLR 22(71), 2021) write the net as
f(x) = (1/α) Σ_k a_k relu(w_k x + b_k), a_k ~ N(0, β₁²), (w_k, b_k) ~ N(0, β₂²), with the
exponents γ = lim −log(β₁β₂/α)/log m and γ′ = lim −log(β₁/β₂)/log m, and tell three regimes
apart by RD = sup_t ‖θ_w(t) − θ_w(0)‖/‖θ_w(0)‖ of the input weights and biases θ_w = (w, b)
as the width m → ∞: RD → 0 in the **linear** regime (γ < 1 or γ′ > γ − 1), RD → ∞ in the
**condensed** regime (γ > 1 and γ′ < γ − 1, where active neurons gather at a few
orientations), RD = O(1) on the **critical** boundary between them (mean-field is its
corner (1, 0)). docs/science.md §3.11 has the definitions, the protocol and what was measured.

Questions, each sized by its arguments (the Regimes dashboard, notebook 06 and exercise 6
ask them at their own sizes):

* :func:`regime_run`: one net trained to convergence beside its linearization, with its
  neurons (the orientation and output mass of each (w_k, b_k)) at every record;
* :func:`rd_vs_width`: RD against m (several seeds) and its fitted log-log slope;
* :func:`phase_diagram`: that slope over a grid of (γ, γ′) (a coarse grid runs in about a
  minute; :func:`load_phase_diagram` reads the shipped one);
* helpers: :func:`relative_distance` (RD of two parameter sets), :func:`neurons`,
  :func:`concentration` (the fraction of the output mass within a small angle of the top
  few orientations), :func:`theory_regime` (the theorem's regime of (γ, γ′)).

The protocol (every function here; docs/science.md §3.11): the targets sin(3x) at
:data:`N_TRAIN` = 6 grid points on [−1, 1]; full-batch GD of ½Σ(f − y)² (float32) with the
adaptive step η_k = :data:`LR_FACTOR`/(λ_max(K_t) + λ_res(θ_t)) re-estimated every
:data:`LR_EVERY` steps (``ntklab.train(..., lr="adaptive", lr_bound="hessian")``: a bound on
the loss Hessian, needed in the condensed regime, where 1/λ_max(K_t) does not follow
gradient flow); stopped at the first record where every net's loss is ≤ :data:`TOL`
(records every 1/40 of the step cap and on a geometric grid), or at the cap; RD is the
largest relative change of (w, b) over the records and the end.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..analytic.data import make_dataset
from ..analytic.metrics import fit_power_law, fit_slope, rmse
from ..analytic.validate import as_int, as_positive
from .common import WORK_BUDGET, Progress, check_work, frozen, int_list, say, step_callback

__all__ = [
    "DELTA",
    "MAP_GAMMAS",
    "MAP_GAMMA_PRIMES",
    "NAMED",
    "RD_WIDTHS",
    "TOP",
    "PhaseDiagram",
    "RDWidth",
    "RegimeRun",
    "claims",
    "concentration",
    "load_phase_diagram",
    "neurons",
    "phase_diagram",
    "rd_vs_width",
    "regime_run",
    "relative_distance",
    "save_phase_diagram",
    "summary",
    "theory_regime",
]

TARGET = "sin(3*x)"
N_TRAIN = 6  # grid points on [−1, 1]
N_TEST = 200
TOL = 1e-4  # converged: ½Σ(f − y)² ≤ TOL at the training points (RMS error ≈ 0.006)
LR_FACTOR = 0.25  # η_k = LR_FACTOR/(λ_max(K_t) + λ_res): RD within ~0.15 % of a 4× smaller step
LR_EVERY = 100  # steps between estimates (50 and 200 gave RD equal to 0.03 %)
MAX_STEPS = 16_000  # the step cap of a run and of an RD point
RD_WIDTHS = (256, 1024, 4096)
SEEDS = (0, 1, 2)
MAP_GAMMAS = (0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 1.75)
MAP_GAMMA_PRIMES = (-0.75, -0.5, -0.25, 0.0, 0.25, 0.5, 0.75)
MAP_MAX_STEPS = 16_000  # the coarse map's cap (9 linear cells with γ′ > γ − 1 reach it)
RECORDS = 40  # evenly spaced records over the cap (plus a geometric grid early on)
DELTA = math.radians(5.0)  # the concentration's half-angle
TOP = 4  # ... around this many orientations
# named initializations at their (γ, γ′), from their rules with d = 1 input (and a bias):
# NTK α = √m, β₁ = β₂ = 1; mean-field α = m, β₁ = β₂ = 1; LeCun (standard, He alike) α = 1,
# β₁ = 1/√m (He √(2/m)), β₂ = 1 (He √2); Xavier α = 1, β₁ = β₂ = √(2/(m + 1)).
NAMED = (("NTK", 0.5, 0.0), ("mean-field / Xavier", 1.0, 0.0),
         ("LeCun / He / standard", 0.5, 0.5))
_DATA = Path(__file__).with_name("data") / "phase_diagram.json"


# ---------------------------------------------------------------- helpers


def theory_regime(gamma: float, gamma_prime: float, *, tol: float = 1e-9) -> str:
    """The regime Luo et al.'s theorems give to (γ, γ′): ``"linear"`` (γ < 1 or
    γ′ > γ − 1), ``"condensed"`` (γ > 1 and γ′ < γ − 1) or ``"critical"`` (the boundary
    {γ = 1, γ′ ≤ 0} ∪ {γ′ = γ − 1, γ ≥ 1}), with ``tol`` for being on a line.

    >>> theory_regime(0.5, 0.0), theory_regime(1.0, 0.0), theory_regime(1.5, 0.0)
    ('linear', 'critical', 'condensed')
    """
    if gamma < 1 - tol or gamma_prime > gamma - 1 + tol:
        return "linear"
    if gamma > 1 + tol and gamma_prime < gamma - 1 - tol:
        return "condensed"
    return "critical"


def _input_layer(params):
    return (np.asarray(params.w[0][0], dtype=np.float64),
            np.asarray(params.b[0][0], dtype=np.float64))


def relative_distance(params0, params) -> float:
    """RD = ‖θ_w − θ_w(0)‖/‖θ_w(0)‖ of the input weights and biases θ_w = (w, b) of a
    two-layer net (Luo et al. 2021; the output weights a are not counted).

    >>> import ntklab
    >>> p = ntklab.init_params(0, 8)
    >>> relative_distance(p, p)
    0.0
    """
    (w0, b0), (w, b) = _input_layer(params0), _input_layer(params)
    return float(np.sqrt((np.sum((w - w0) ** 2) + np.sum((b - b0) ** 2))
                         / (np.sum(w0**2) + np.sum(b0**2))))


def neurons(params) -> tuple[np.ndarray, np.ndarray]:
    """Each neuron's orientation φ_k = atan2(b_k, w_k) ∈ (−π, π] (its kink sits at
    x = −b_k/w_k) and output mass |a_k|·‖(w_k, b_k)‖ (the size of its term in f, up to
    1/α), two arrays of shape (m,)."""
    w, b = _input_layer(params)
    a = np.asarray(params.a[0], dtype=np.float64)
    return np.arctan2(b, w), np.abs(a) * np.hypot(w, b)


def concentration(angle, mass, *, delta: float = DELTA, top: int = TOP) -> float:
    """The fraction of the output mass within ±``delta`` of ``top`` orientations chosen
    greedily (the heaviest window first, its neurons removed, and so on): near 1 when the
    neurons are condensed at ≤ ``top`` orientations; for uniform random orientations about
    top·2·delta/2π (11 % at the defaults) plus what the greedy choice of the heaviest windows
    adds by chance (1 % for m = 20 000; 15–27 % in all at init for m = 4096–256).

    >>> round(concentration(np.array([0.1, 0.11, 2.0, -1.0]), np.array([1.0, 1.0, 1.0, 1.0]),
    ...                     top=1), 2)
    0.5
    """
    angle = np.asarray(angle, dtype=np.float64)
    mass = np.asarray(mass, dtype=np.float64).copy()
    total = float(mass.sum())
    if total <= 0:
        return 0.0
    order = np.argsort(angle)
    angle, mass = angle[order], mass[order]
    twice = np.concatenate([angle, angle + 2 * np.pi])
    got = 0.0
    for _ in range(top):
        cum = np.concatenate([[0.0], np.cumsum(np.concatenate([mass, mass]))])
        lo_a = angle - delta
        shift = np.where(lo_a < -np.pi, 2 * np.pi, 0.0)  # windows across −π start one turn on
        lo = np.searchsorted(twice, lo_a + shift, side="left")
        hi = np.searchsorted(twice, angle + delta + shift, side="right")
        window = cum[hi] - cum[lo]
        i = int(np.argmax(window))
        got += float(window[i])
        gap = np.abs((angle - angle[i] + np.pi) % (2 * np.pi) - np.pi)
        mass[gap <= delta] = 0.0
    return min(got / total, 1.0)


def _data(target, n_train, n_test=N_TEST):
    n_train = as_int(n_train, "n_train", 2, 64)
    return make_dataset(target, n_train, as_int(n_test, "n_test", 2, 10_000), kind="grid")


def _label(parameterization):
    """The parameterization as init_params stores it, and its (γ, γ′)."""
    from ..finite.model import exponents

    gamma, gamma_prime = exponents(parameterization)
    label = parameterization if isinstance(parameterization, str) else (gamma, gamma_prime)
    return label, gamma, gamma_prime


def _records(max_steps):
    """Record steps: every 1/:data:`RECORDS` of the cap and a geometric grid from step 1."""
    even = np.linspace(0, max_steps, RECORDS + 1)
    geometric = np.geomspace(1, max_steps, RECORDS)
    return np.unique(np.round(np.concatenate([even, geometric])).astype(np.int64))


def _until(tol, inner):
    """A train callback: ``inner(progress)`` (may raise to cancel), then stop at the first
    record at which every net's loss is ≤ tol."""
    def callback(p):
        if inner is not None:
            inner(p)
        return not (p.record_step == p.step and p.loss_worst is not None
                    and p.loss_worst <= tol)

    return callback


def _train(nets, x, y, *, x_eval=None, lr_factor, tol, max_steps, linear, record_params=False,
           progress=None, on_step=None, stop=None, runs=()):
    from ..finite.training import train

    return train(nets, x, y, x_eval=x_eval, steps=max_steps, lr="adaptive",
                 lr_factor=lr_factor, lr_every=LR_EVERY, lr_bound="hessian",
                 record=_records(max_steps), linear=linear, record_params=record_params,
                 progress=_until(tol, step_callback(progress, on_step, runs=runs)), stop=stop)


def _end_losses(nets, x, y):
    from ..finite.model import apply

    return np.array([0.5 * float(np.sum((np.asarray(apply(p, x)) - y) ** 2)) for p in nets])


# ---------------------------------------------------------------- one run


@dataclass(frozen=True)
class RegimeRun:
    """One net trained to convergence (or to the cap) beside its linearization.

    Attributes:
        parameterization: as stored by :func:`ntklab.init_params`; gamma, gamma_prime its
            exponents; theory: :func:`theory_regime` of them.
        width, seed, init_scale; x_train, y_train (n,); x_test, y_test (200,).
        steps, t: records (GD steps, time Σ η_k), shape (R,).
        f_net, f_lin: outputs on the test grid, shape (R, 200).
        loss_net, loss_lin: ½Σ(f − y)² on the training points, shape (R,).
        rd: the relative change of (w, b) at each record, shape (R,); rd_max its largest.
        angle, mass: each neuron's orientation and output mass (:func:`neurons`) at each
            record, shape (R, m).
        concentration: :func:`concentration` at each record, shape (R,).
        kernel_growth: λ_max(K_t)/λ_max(K₀) at the last estimate.
        converged: the loss reached :data:`TOL` (else the cap stopped it).
        lr_factor, tol, max_steps: the protocol.   params: the trained parameters.
    """

    parameterization: object
    gamma: float
    gamma_prime: float
    theory: str
    width: int
    seed: int
    init_scale: float
    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    steps: np.ndarray
    t: np.ndarray
    f_net: np.ndarray
    f_lin: np.ndarray
    loss_net: np.ndarray
    loss_lin: np.ndarray
    rd: np.ndarray
    rd_max: float
    angle: np.ndarray = field(repr=False)
    mass: np.ndarray = field(repr=False)
    concentration: np.ndarray = field(repr=False)
    kernel_growth: float
    converged: bool
    lr_factor: float
    tol: float
    max_steps: int
    params: object = field(repr=False)


def regime_run(parameterization=(1.5, 0.0), width=1024, *, seed=0, init_scale=1.0,
               n_train=N_TRAIN, target=TARGET, lr_factor=LR_FACTOR, tol=TOL,
               max_steps=MAX_STEPS, budget=WORK_BUDGET, on_start=None,
               progress: Progress = None, on_step=None, stop=None) -> RegimeRun | None:
    """Train one two-layer net of this ``parameterization`` (any of
    :func:`ntklab.init_params`'s) and its linearization by the module's protocol, keeping
    the neurons at every record.

    ``on_start(x_train, y_train, x_test, y_test)`` is called before training (a dashboard
    draws the data at once); ``on_step`` receives every :class:`ntklab.Progress` (its
    ``params``: the latest recorded net); ``stop`` ends training early (then ``None`` is
    returned); ``budget`` refuses more work than that before starting (``None``: any).
    """
    from ..finite.model import init_params, n_params

    label, gamma, gamma_prime = _label(parameterization)
    width = as_int(width, "width", 2, 100_000)
    max_steps = as_int(max_steps, "max_steps", 1, 10_000_000)
    lr_factor = as_positive(lr_factor, "lr_factor", hi=1.99)
    tol = as_positive(tol, "tol", hi=1e6)
    data = _data(target, n_train)
    x, y = data.x_train, data.y_train
    p0 = init_params(seed, width, init_scale=init_scale, parameterization=label)
    check_work(n_params(p0.widths), x.shape[0], max_steps,
               f"training width {width} for up to {max_steps} steps", budget)
    if on_start is not None:
        on_start(x, y, data.x_test, data.y_test)
    res = _train(p0, x, y, x_eval=data.x_test, lr_factor=lr_factor, tol=tol,
                 max_steps=max_steps, linear=True, record_params=True, progress=progress,
                 on_step=on_step, stop=stop)
    if stop is not None and stop.is_set():
        return None
    if res.diverged:
        raise ValueError(f"training diverged at (gamma, gamma') = ({gamma:g}, {gamma_prime:g})")
    shape = [neurons(p) for p in res.params_record]
    angle, mass = (np.stack([s[i] for s in shape]) for i in (0, 1))
    lam = res.estimate_lam_max
    return frozen(RegimeRun(
        parameterization=label, gamma=gamma, gamma_prime=gamma_prime,
        theory=theory_regime(gamma, gamma_prime), width=width, seed=int(seed),
        init_scale=float(init_scale), x_train=x, y_train=y, x_test=data.x_test,
        y_test=data.y_test, steps=res.steps, t=res.t, f_net=res.f_net, f_lin=res.f_lin,
        loss_net=res.loss_net, loss_lin=res.loss_lin, rd=res.input_change_net,
        rd_max=float(res.input_change_net.max()), angle=angle, mass=mass,
        concentration=np.array([concentration(a, w) for a, w in zip(angle, mass, strict=True)]),
        kernel_growth=float(lam[-1] / lam[0]), converged=bool(res.loss_net[-1] <= tol),
        lr_factor=lr_factor, tol=tol, max_steps=max_steps, params=res.params_record[-1]))


# ---------------------------------------------------------------- RD against width


@dataclass(frozen=True)
class RDWidth:
    """RD against width for one (γ, γ′), several seeds.

    Attributes:
        parameterization, gamma, gamma_prime, theory: as in :class:`RegimeRun`.
        widths (W,), seeds (S,).
        rd: RD of every net, shape (W, S).   loss: its final loss, (W, S).
        steps: GD steps taken per width (the seeds train together), shape (W,).
        converged: every net of the width reached :data:`TOL`, shape (W,).
        kernel_growth: λ_max(K_end)/λ_max(K₀), shape (W, S).
        slope: the least-squares log-log slope of the mean RD over random seeds against m; fit: that
            power law at the widths, (W,).   seed_slopes: the slope of each random seed, (S,).
        lr_factor, tol, max_steps: the protocol.
    """

    parameterization: object
    gamma: float
    gamma_prime: float
    theory: str
    widths: np.ndarray
    seeds: np.ndarray
    rd: np.ndarray
    loss: np.ndarray
    steps: np.ndarray
    converged: np.ndarray
    kernel_growth: np.ndarray
    slope: float
    fit: np.ndarray
    seed_slopes: np.ndarray
    lr_factor: float
    tol: float
    max_steps: int


def rd_vs_width(parameterization=(1.5, 0.0), widths=RD_WIDTHS, *, seeds=SEEDS, init_scale=1.0,
                n_train=N_TRAIN, target=TARGET, lr_factor=LR_FACTOR, tol=TOL,
                max_steps=MAX_STEPS, budget=None, progress: Progress = None, on_step=None,
                stop=None) -> RDWidth | None:
    """RD = sup_t ‖θ_w(t) − θ_w(0)‖/‖θ_w(0)‖ at each width (the seeds trained together, one
    step for all) by the module's protocol, and its fitted log-log slope against m: about
    −1/2 for NTK, 0 on the critical line, positive in the condensed regime
    (docs/science.md §3.11). Returns :class:`RDWidth`, or ``None`` if stopped.
    """
    from ..finite.model import init_params, n_params

    label, gamma, gamma_prime = _label(parameterization)
    widths = int_list(widths, "widths", 2, 100_000, min_len=2)
    seeds = int_list(seeds, "seeds", 0, 2**32 - 1)
    max_steps = as_int(max_steps, "max_steps", 1, 10_000_000)
    lr_factor = as_positive(lr_factor, "lr_factor", hi=1.99)
    tol = as_positive(tol, "tol", hi=1e6)
    data = _data(target, n_train, 2)
    x, y = data.x_train, data.y_train
    check_work(len(seeds) * sum(n_params([m]) for m in widths), x.shape[0], max_steps,
               f"RD at widths {tuple(widths)} for {len(seeds)} seed(s)", budget)
    rd, loss, steps, growth = [], [], [], []
    runs = [f"width {m}: up to {max_steps} steps" for m in widths]
    for m in widths:
        nets = [init_params(s, m, init_scale=init_scale, parameterization=label) for s in seeds]
        res = _train(nets, x, y, lr_factor=lr_factor, tol=tol, max_steps=max_steps,
                     linear=False, progress=progress, on_step=on_step, stop=stop, runs=runs)
        if stop is not None and stop.is_set():
            return None
        if res.diverged:
            raise ValueError(f"training diverged at width {m}")
        ends = [relative_distance(p, q) for p, q in zip(nets, res.params, strict=True)]
        rd.append(np.maximum(res.input_change_net.max(axis=1), ends))
        loss.append(_end_losses(res.params, x, y))
        steps.append(res.params_step)
        growth.append(res.estimate_lam_max[:, -1] / res.estimate_lam_max[:, 0])
        runs = runs[1:]
    rd, loss = np.array(rd), np.array(loss)
    u = np.asarray(widths, dtype=np.float64)
    slope, fit = fit_power_law(u, rd.mean(axis=1))
    return frozen(RDWidth(
        parameterization=label, gamma=gamma, gamma_prime=gamma_prime,
        theory=theory_regime(gamma, gamma_prime), widths=np.asarray(widths),
        seeds=np.asarray(seeds), rd=rd, loss=loss, steps=np.asarray(steps),
        converged=(loss <= tol * (1 + 1e-6)).all(axis=1), kernel_growth=np.array(growth),
        slope=float(slope), fit=fit,
        seed_slopes=np.array([fit_slope(u, rd[:, i]) for i in range(len(seeds))]),
        lr_factor=lr_factor, tol=tol, max_steps=max_steps))


# ---------------------------------------------------------------- the phase diagram


@dataclass(frozen=True)
class PhaseDiagram:
    """RD's slope against width over a grid of (γ, γ′), one seed.

    Attributes:
        gammas (G,), gamma_primes (P,), widths (W,), seed.
        slope: fitted log-log slope of RD against m, shape (G, P).
        rd: RD, shape (G, P, W).   steps: GD steps taken, (G, P, W).
        converged: every width reached :data:`TOL` within the cap, (G, P).
        lr_factor, tol, max_steps: the protocol; seconds: the time it took to compute.
        named: the named initializations (name, γ, γ′) (:data:`NAMED`).
    """

    gammas: np.ndarray
    gamma_primes: np.ndarray
    widths: np.ndarray
    seed: int
    slope: np.ndarray
    rd: np.ndarray
    steps: np.ndarray
    converged: np.ndarray
    lr_factor: float
    tol: float
    max_steps: int
    seconds: float
    named: tuple = NAMED

    def at(self, gamma, gamma_prime) -> float:
        """The slope of the cell (γ, γ′) (``KeyError`` if it is not on the grid)."""
        i = np.flatnonzero(np.isclose(self.gammas, gamma))
        j = np.flatnonzero(np.isclose(self.gamma_primes, gamma_prime))
        if not i.size or not j.size:
            raise KeyError(f"({gamma}, {gamma_prime}) is not a cell of this map")
        return float(self.slope[i[0], j[0]])


def phase_diagram(gammas=MAP_GAMMAS, gamma_primes=MAP_GAMMA_PRIMES, widths=RD_WIDTHS, *,
                  seed=0, n_train=N_TRAIN, target=TARGET, lr_factor=LR_FACTOR, tol=TOL,
                  max_steps=MAP_MAX_STEPS, progress: Progress = None, on_cell=None,
                  stop=None) -> PhaseDiagram | None:
    """RD's slope against width at every (γ, γ′) of the grid (one seed, the module's protocol
    with the step cap ``max_steps``): the measured phase diagram. The 7 × 7 default took
    46 s (float32, 3 widths) on an idle 2-core machine here.

    ``progress`` gets one status line per row of γ; ``on_cell(done, total)`` is called after
    every cell (a progress bar; it may raise to cancel); ``stop`` ends it (``None``).
    """
    import time

    from ..finite.model import init_params

    gammas = [float(g) for g in gammas]
    gamma_primes = [float(g) for g in gamma_primes]
    for g in (*gammas, *gamma_primes):
        if not math.isfinite(g):
            raise ValueError(f"gammas and gamma_primes must be finite numbers, got {g!r}")
    widths = int_list(widths, "widths", 2, 100_000, min_len=2)
    max_steps = as_int(max_steps, "max_steps", 1, 10_000_000)
    data = _data(target, n_train, 2)
    x, y = data.x_train, data.y_train
    u = np.asarray(widths, dtype=np.float64)
    G, P, W = len(gammas), len(gamma_primes), len(widths)
    slope, rd, steps = np.zeros((G, P)), np.zeros((G, P, W)), np.zeros((G, P, W), np.int64)
    converged = np.zeros((G, P), bool)
    start = time.perf_counter()
    for i, g in enumerate(gammas):
        for j, gp in enumerate(gamma_primes):
            ok = True
            for k, m in enumerate(widths):
                p0 = init_params(seed, m, parameterization=(g, gp))
                res = _train(p0, x, y, lr_factor=lr_factor, tol=tol, max_steps=max_steps,
                             linear=False, stop=stop)
                if stop is not None and stop.is_set():
                    return None
                rd[i, j, k] = max(float(res.input_change_net.max()),
                                  relative_distance(p0, res.params))
                steps[i, j, k] = res.params_step
                ok = ok and not res.diverged and _end_losses([res.params], x, y)[0] <= tol
            slope[i, j] = fit_slope(u, np.maximum(rd[i, j], np.finfo(float).tiny))
            converged[i, j] = ok
            if on_cell is not None:
                on_cell(i * P + j + 1, G * P)
        say(progress, f"gamma = {g:g}: slopes " + ", ".join(f"{s:+.2f}" for s in slope[i])
            + f" ({time.perf_counter() - start:.0f} s)")
    return frozen(PhaseDiagram(
        gammas=np.array(gammas), gamma_primes=np.array(gamma_primes), widths=np.array(widths),
        seed=int(seed), slope=slope, rd=rd, steps=steps, converged=converged,
        lr_factor=float(lr_factor), tol=float(tol), max_steps=max_steps,
        seconds=time.perf_counter() - start))


def save_phase_diagram(result: PhaseDiagram, path=_DATA) -> Path:
    """Write a :class:`PhaseDiagram` as JSON (the shipped map is
    ``ntklab/experiments/data/phase_diagram.json``)."""
    out = {"gammas": result.gammas.tolist(), "gamma_primes": result.gamma_primes.tolist(),
           "widths": result.widths.tolist(), "seed": result.seed,
           "slope": result.slope.tolist(), "rd": result.rd.tolist(),
           "steps": result.steps.tolist(), "converged": result.converged.tolist(),
           "lr_factor": result.lr_factor, "tol": result.tol, "max_steps": result.max_steps,
           "seconds": result.seconds,
           "protocol": f"sin(3x) at {N_TRAIN} grid points on [-1, 1]; float32 GD with "
                       "lr='adaptive', lr_bound='hessian'; stop at loss <= tol or the cap"}
    path = Path(path)
    path.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    return path


def load_phase_diagram(path=_DATA) -> PhaseDiagram:
    """The :class:`PhaseDiagram` written by :func:`save_phase_diagram` (default: the map
    shipped with ntklab, computed by :func:`phase_diagram` at its defaults)."""
    raw = json.loads(Path(path).read_text(encoding="utf-8"))
    return frozen(PhaseDiagram(
        gammas=np.array(raw["gammas"]), gamma_primes=np.array(raw["gamma_primes"]),
        widths=np.array(raw["widths"]), seed=int(raw["seed"]), slope=np.array(raw["slope"]),
        rd=np.array(raw["rd"]), steps=np.array(raw["steps"], dtype=np.int64),
        converged=np.array(raw["converged"], dtype=bool), lr_factor=float(raw["lr_factor"]),
        tol=float(raw["tol"]), max_steps=int(raw["max_steps"]), seconds=float(raw["seconds"])))


# ---------------------------------------------------------------- summary and claims


def measured_regime(slope: float) -> str:
    """The regime a fitted slope of RD against m says: ``"linear"`` below −:data:`SLOPE_EPS`,
    ``"condensed"`` above +:data:`SLOPE_EPS`, else ``"critical"``."""
    if slope < -SLOPE_EPS:
        return "linear"
    return "condensed" if slope > SLOPE_EPS else "critical"


def summary(result) -> dict:
    """The numbers a caption or a notebook quotes, for any result of this module."""
    if isinstance(result, RegimeRun):
        return {"gamma": result.gamma, "gamma_prime": result.gamma_prime,
                "theory": result.theory, "width": result.width,
                "steps": int(result.steps[-1]), "t_end": float(result.t[-1]),
                "loss_net": float(result.loss_net[-1]), "loss_lin": float(result.loss_lin[-1]),
                "rd_max": result.rd_max,
                "concentration_init": float(result.concentration[0]),
                "concentration_end": float(result.concentration[-1]),
                "gap_lin": float(rmse(result.f_net[-1], result.f_lin[-1])),
                "kernel_growth": result.kernel_growth, "converged": result.converged}
    if isinstance(result, RDWidth):
        return {"gamma": result.gamma, "gamma_prime": result.gamma_prime,
                "theory": result.theory, "widths": result.widths.tolist(),
                "rd": result.rd.mean(axis=1).tolist(), "slope": result.slope,
                "seed_slopes": result.seed_slopes.tolist(),
                "converged": bool(result.converged.all()),
                "kernel_growth": result.kernel_growth.mean(axis=1).tolist()}
    if isinstance(result, PhaseDiagram):
        agree, total = _map_agreement(result)
        return {"gammas": result.gammas.tolist(), "gamma_primes": result.gamma_primes.tolist(),
                "widths": result.widths.tolist(), "slope": np.round(result.slope, 3).tolist(),
                "converged": int(result.converged.sum()), "cells": int(result.converged.size),
                "agree": agree, "off_boundary": total, "seconds": result.seconds}
    raise ValueError(f"no summary for {type(result).__name__}")


SLOPE_EPS = 0.1  # a fitted slope of RD against m "is" 0 within ±0.1 (the slopes of different
# random seeds spread by ≤ 0.07 at the named settings: docs/science.md §3.11)
SMALL_RD = 0.1  # the input weights "barely move": RD ≤ 10 %
CLOSE = 0.1  # f_NN "follows" its linearization: RMSE(f_NN, f_lin) ≤ 10 % of RMS(f_NN)
CONDENSED = 0.9  # "condensed": ≥ 90 % of the output mass within ±DELTA of TOP orientations
GROWN = 2.0  # the kernel "grew": λ_max(K_end)/λ_max(K₀) ≥ 2


def _map_agreement(diagram, *, boundary=False):
    """(cells whose measured regime matches the theorem, converged cells) off the boundary
    lines, or on them with ``boundary`` (then also the largest |slope| there)."""
    agree = total = 0
    worst = 0.0
    for i, g in enumerate(diagram.gammas):
        for j, gp in enumerate(diagram.gamma_primes):
            theory = theory_regime(g, gp)
            if (theory == "critical") != boundary or not diagram.converged[i, j]:
                continue
            total += 1
            agree += measured_regime(diagram.slope[i, j]) == theory
            worst = max(worst, abs(float(diagram.slope[i, j])))
    return (agree, total, worst) if boundary else (agree, total)


def claims(result: RegimeRun, sweep: RDWidth | None = None,
           diagram: PhaseDiagram | None = None) -> tuple:
    """The checked statements the Regimes captions make about a :class:`RegimeRun` and,
    when given, the :func:`rd_vs_width` sweep at the same (γ, γ′) and the phase diagram:

    - ``fits`` (fit plot): the loss reached :data:`TOL` within the cap;
    - ``follows_lin`` (fit plot): RMSE(f_NN, f_lin) ≤ :data:`CLOSE` × RMS(f_NN) at the end;
    - ``moved_little`` (neurons plot): RD ≤ :data:`SMALL_RD`;
    - ``condensed`` (neurons plot): the concentration at the end is ≥ :data:`CONDENSED`
      (and was below it at init);
    - ``kernel_grew`` (RD plot): λ_max(K_end)/λ_max(K₀) ≥ :data:`GROWN`;
    - with a sweep, ``slope_as_theory`` (map plot): the regime the fitted slope says
      (:func:`measured_regime`) is the theorem's;
    - with a map, ``map_agrees`` (map plot): every converged cell off the boundary lines
      has the theorem's regime.
    """
    from .common import Claim

    label = {"gamma": result.gamma, "gamma_prime": result.gamma_prime, "m": result.width,
             "theory": result.theory}
    loss, steps, t = float(result.loss_net[-1]), int(result.steps[-1]), float(result.t[-1])
    out = [Claim("regimes.fits", "fit", result.converged,
                 {**label, "loss": loss, "steps": steps, "t": t, "tol": result.tol,
                  "cap": result.max_steps})]
    size = float(rmse(result.f_net[-1]))
    gap = float(rmse(result.f_net[-1], result.f_lin[-1]))
    out.append(Claim("regimes.follows_lin", "fit", gap <= CLOSE * size,
                     {**label, "gap": gap, "percent": 100 * gap / size,
                      "loss_lin": float(result.loss_lin[-1])}))
    out.append(Claim("regimes.moved_little", "neurons", result.rd_max <= SMALL_RD,
                     {**label, "rd": result.rd_max, "percent": 100 * result.rd_max,
                      "limit": 100 * SMALL_RD}))
    c0, c1 = float(result.concentration[0]), float(result.concentration[-1])
    out.append(Claim("regimes.condensed", "neurons", c1 >= CONDENSED > c0,
                     {**label, "init": 100 * c0, "end": 100 * c1, "top": TOP,
                      "delta": math.degrees(DELTA), "limit": 100 * CONDENSED}))
    out.append(Claim("regimes.kernel_grew", "rd", result.kernel_growth >= GROWN,
                     {**label, "growth": result.kernel_growth, "limit": GROWN}))
    if sweep is not None:
        said = measured_regime(sweep.slope)
        out.append(Claim("regimes.slope_as_theory", "map", said == sweep.theory,
                         {"gamma": sweep.gamma, "gamma_prime": sweep.gamma_prime,
                          "slope": sweep.slope, "seeds": int(sweep.seeds.size),
                          "lo": float(sweep.seed_slopes.min()),
                          "hi": float(sweep.seed_slopes.max()), "said": said,
                          "theory": sweep.theory, "eps": SLOPE_EPS,
                          "widths": tuple(int(m) for m in sweep.widths)}))
    if diagram is not None:
        agree, total = _map_agreement(diagram)
        on_line, line_total, line_worst = _map_agreement(diagram, boundary=True)
        out.append(Claim("regimes.map_agrees", "map", agree == total,
                         {"agree": agree, "total": total, "eps": SLOPE_EPS,
                          "line_agree": on_line, "line_total": line_total,
                          "line_worst": line_worst,
                          "converged": int(diagram.converged.sum()),
                          "cells": int(diagram.converged.size)}))
    return tuple(out)
