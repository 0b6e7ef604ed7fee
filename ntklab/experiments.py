"""One function per dashboard question, returning plain results (SCIENCE.md §3, §5).

These are the "experiments" layer of DESIGN.md: each function makes the one core call a
dashboard (or notebook) needs and returns a small frozen dataclass of arrays, ready for
:mod:`ntklab.figures`. Nothing here imports plotly, ipywidgets or JAX.

Results that cost a kernel and an eigendecomposition are memoized (a few recent settings),
so moving a control back, picking other eigenvectors or moving the time t is cheap. The
cached arrays are read-only.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ._validate import as_int, as_positive
from .data import TARGETS, parse_target, sample_points
from .dynamics import gradient_flow
from .kernels import MAX_DEPTH, ntk
from .spectrum import eigenpairs, frequency_error, zero_crossings

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
# Residual tolerance of the top-k solver, relative to λ_1. At n = 3000 this keeps every
# zero-crossing count of the top 40 eigenvectors exact while halving the time of 1e-8.
TOP_K_TOL = 1e-6


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
    """

    x: np.ndarray
    lam: np.ndarray
    V: np.ndarray
    crossings: np.ndarray
    depth: int
    init_scale: float


@lru_cache(maxsize=6)
def _spectrum(n, kind, seed, depth, init_scale, k):
    x = sample_points(n, kind=kind, seed=seed)
    K = ntk(x, depth=depth, init_scale=init_scale)
    lam, V = eigenpairs(K, k, tol=TOP_K_TOL)
    return _frozen(x, lam, V, zero_crossings(V, x))


def spectrum_view(n, *, kind="grid", seed=0, depth=1, init_scale=1.0, k=None):
    """Top-k eigenpairs and zero crossings of the NTK Gram matrix on n sample points.

    Args:
        n: sample count, 2 ≤ n ≤ 3000 (the seed's figure uses n = 3000).
        kind: ``"grid"`` (uniform on [−1, 1]) or ``"random"`` (uniform, seeded).
        seed: seed for ``kind="random"`` (ignored for the grid).
        depth: hidden layers L.   init_scale: s.
        k: eigenpairs to keep; ``None`` means all of them below n = 600, else 40.

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
    if depth == 1:
        x, lam, V, crossings = _spectrum(n, kind, seed, 1, 1.0, k)
        lam = lam * s**2
    else:
        x, lam, V, crossings = _spectrum(n, kind, seed, depth, s, k)
    return SpectrumView(x=x, lam=lam, V=V, crossings=crossings, depth=depth, init_scale=s)


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
