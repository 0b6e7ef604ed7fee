"""Closed-form gradient flow of the linearized model (docs/science.md §2, §4).

Loss L = ½ Σ_i (f(x_i) − y_i)², gradient flow dθ/dt = −∇L, time t = η·(GD steps).
With K = K(X, X) = V diag(λ) Vᵀ and K_x = K(x, X), the residual u = f(X) − Y obeys
du/dt = −K u, so along eigenvector v_i its component α_i(t) = α_i(0)·e^{−λ_i t} and

    f_t(X) = Y + V diag(e^{−λ t}) Vᵀ (f_0(X) − Y)
    f_t(x) = f_0(x) + K_x V diag(g_t) Vᵀ (Y − f_0(X)),   g_t = (1 − e^{−λ t})/λ

g_t is computed as −expm1(−λ t)/λ, which tends to t as λ → 0 (no 0/0). At t = ∞, g = 1/λ
for λ > rcond·λ_max and 0 otherwise: a pseudo-inverse with a stated cut-off, and those
null directions keep their initial residual.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .spectrum import eigenpairs
from .validate import as_matrix, as_times, as_vector, check_memory

__all__ = [
    "EnsembleResult",
    "FlowResult",
    "PriorDecomposition",
    "default_lr",
    "ensemble_moments",
    "gradient_flow",
    "prior_decomposition",
]

RCOND = 1e-12


def default_lr(*kernels, factor=1.0) -> float:
    """The default GD step η = factor/λ_max, λ_max the largest eigenvalue over the Gram
    matrices ``kernels`` (docs/science.md §2).

    Every experiment that trains takes its step from here: one kernel gives a net's own step,
    several give the step shared by nets that must reach the same time t = η·steps (each is
    then stable, η < 2/λ_max, for ``factor`` < 2). The default factor 1 is half the stability
    bound, leaving room for the kernel's drift during training.

    >>> default_lr(np.diag([4.0, 1.0]), np.diag([2.0]))
    0.25
    """
    if not kernels:
        raise ValueError("default_lr needs at least one kernel matrix")
    factor = float(factor)
    if not (np.isfinite(factor) and factor > 0):
        raise ValueError(f"factor must be a positive number, got {factor}")
    lam_max = max(float(np.linalg.eigvalsh(as_matrix(K, "kernel", square=True))[-1])
                  for K in kernels)
    if not lam_max > 0:
        raise ValueError(f"the largest eigenvalue must be positive for a step, got {lam_max}")
    return factor / lam_max


@dataclass(frozen=True)
class FlowResult:
    """Predictions of the linearized model under gradient flow.

    Attributes:
        t: times, shape (T,).
        train: f_t(X), shape (T, n).
        test: f_t(x) on the test points, shape (T, n_test); ``None`` without test points.
        alpha: residual components α_i(t) = v_iᵀ (f_t(X) − Y), shape (T, n), ordered like lam.
        lam: eigenvalues of K(X, X), descending, shape (n,).
        V: eigenvectors (columns), shape (n, n).
    """

    t: np.ndarray
    train: np.ndarray
    test: np.ndarray | None
    alpha: np.ndarray
    lam: np.ndarray
    V: np.ndarray


def _eig(K, eig):
    if eig is None:
        return eigenpairs(K)
    lam, V = (np.asarray(a, dtype=np.float64) for a in eig)
    n = K.shape[0]
    if lam.shape != (n,) or V.shape != (n, n):
        raise ValueError(
            f"eig must be the full (lam, V) of K with shapes ({n},), ({n}, {n}); "
            f"got {lam.shape}, {V.shape}"
        )
    return lam, V


def _decay_and_gain(lam, t, rcond):
    """e^{−λt} and g_t = (1 − e^{−λt})/λ, shape (T, n); t = ∞ handled by the cut-off."""
    lam = np.clip(lam, 0.0, None)  # round-off can make a PSD kernel's tiny λ negative
    cut = rcond * max(float(lam.max()), 1e-300)
    active = lam > cut
    lt = np.multiply.outer(np.where(np.isfinite(t), t, 0.0), lam)
    decay = np.exp(-lt)
    safe = np.where(lam > 0, lam, 1.0)
    gain = np.where(lam > 0, -np.expm1(-lt) / safe, np.where(np.isfinite(t), t, 0.0)[:, None])
    inf_rows = ~np.isfinite(t)
    if inf_rows.any():
        decay[inf_rows] = np.where(active, 0.0, 1.0)
        gain[inf_rows] = np.where(active, 1.0 / safe, 0.0)
    return decay, gain


def gradient_flow(K, y, t, *, f0=None, K_test=None, f0_test=None, eig=None, rcond=RCOND):
    """Train and test predictions of the linearized model at every time in ``t``.

    Args:
        K: K(X, X), symmetric (n, n) (e.g. ``ntk(X)`` or an empirical NTK).
        y: targets Y, shape (n,).
        t: times, scalar or shape (T,), t ≥ 0; ``np.inf`` gives the converged limit.
        f0: initial outputs f_0(X), shape (n,); ``None`` means 0 (the infinite-width mean).
        K_test: K(x, X), shape (n_test, n), for predictions on test points x.
        f0_test: initial outputs f_0(x), shape (n_test,); ``None`` means 0.
        eig: ``(lam, V)`` from ``eigenpairs(K)`` to reuse a decomposition (e.g. while a
            slider moves t); computed here otherwise.
        rcond: eigenvalues ≤ rcond·λ_max are treated as 0 at t = ∞.

    The decomposition is done once; each extra time costs two small matrix products.

    >>> flow = gradient_flow([[2.0]], [1.0], [0.0, np.inf])
    >>> flow.train[:, 0].tolist()
    [0.0, 1.0]
    """
    K = as_matrix(K, "K", square=True, symmetric=True)
    n = K.shape[0]
    y = as_vector(y, "y", n)
    t = as_times(t)
    f0 = np.zeros(n) if f0 is None else as_vector(f0, "f0", n)
    lam, V = _eig(K, eig)
    check_memory(3.0 * t.shape[0] * n, f"predictions at {t.shape[0]} times for {n} points")
    decay, gain = _decay_and_gain(lam, t, rcond)
    alpha0 = V.T @ (f0 - y)
    alpha = decay * alpha0
    train = y + alpha @ V.T
    test = None
    if K_test is not None:
        K_test = as_matrix(K_test, "K_test")
        if K_test.shape[1] != n:
            raise ValueError(f"K_test must have shape (n_test, {n}), got {K_test.shape}")
        n_test = K_test.shape[0]
        f0_test = np.zeros(n_test) if f0_test is None else as_vector(f0_test, "f0_test", n_test)
        check_memory(1.0 * t.shape[0] * n_test, f"test predictions at {t.shape[0]} times")
        # f_t(x) = f_0(x) − (K_x V) (g_t ⊙ α_0)
        test = f0_test - (gain * alpha0) @ (K_test @ V).T
    return FlowResult(t=t, train=train, test=test, alpha=alpha, lam=lam, V=V)


@dataclass(frozen=True)
class EnsembleResult:
    """Mean and variance over initializations f_0 ~ GP(0, Σ) of the trained linearized model.

    Attributes:
        t: times, shape (T,).
        mean: mean_t(x) = A_t(x) Y, shape (T, n_test).
        var: cov_t(x, x), shape (T, n_test) (≥ 0 up to round-off; clipped at 0).
    """

    t: np.ndarray
    mean: np.ndarray
    var: np.ndarray


def ensemble_moments(K, Sigma, y, t, *, K_test, Sigma_test, Sigma_test_train, eig=None,
                     rcond=RCOND):
    """Closed-form trained-ensemble mean and variance (docs/science.md §4; Lee et al. 2019).

    With A_t(x) = K_x V diag(g_t) Vᵀ:

        mean_t(x)     = A_t(x) Y
        cov_t(x, x)   = Σ(x, x) + A_t(x) Σ_XX A_t(x)ᵀ − 2 A_t(x) Σ(X, x)

    Args:
        K: NTK K(X, X), (n, n).     Sigma: NNGP Σ(X, X), (n, n).    y: targets, (n,).
        t: times, (T,) (``np.inf`` allowed).
        K_test: K(x, X), (n_test, n).   Sigma_test: Σ(x, x) diagonal, (n_test,).
        Sigma_test_train: Σ(x, X), (n_test, n).
    """
    K = as_matrix(K, "K", square=True, symmetric=True)
    n = K.shape[0]
    Sigma = as_matrix(Sigma, "Sigma", square=True, symmetric=True)
    if Sigma.shape != K.shape:
        raise ValueError(f"Sigma must have shape {K.shape} like K, got {Sigma.shape}")
    y = as_vector(y, "y", n)
    t = as_times(t)
    K_test = as_matrix(K_test, "K_test")
    n_test = K_test.shape[0]
    Sigma_test_train = as_matrix(Sigma_test_train, "Sigma_test_train")
    if K_test.shape[1] != n or Sigma_test_train.shape != K_test.shape:
        raise ValueError(
            f"K_test and Sigma_test_train must both have shape (n_test, {n}); "
            f"got {K_test.shape} and {Sigma_test_train.shape}"
        )
    Sigma_test = as_vector(Sigma_test, "Sigma_test", n_test)
    lam, V = _eig(K, eig)
    check_memory(2.0 * t.shape[0] * n_test * n, "the ensemble variance")
    _, gain = _decay_and_gain(lam, t, rcond)
    P = K_test @ V  # K_x V
    S = V.T @ Sigma @ V  # Σ_XX in the eigenbasis
    C = Sigma_test_train @ V  # Σ(x, X) V
    Vy = V.T @ y
    mean = (gain * Vy) @ P.T
    var = np.empty((t.shape[0], n_test))
    for i, g in enumerate(gain):
        PG = P * g  # rows: A_t(x) expressed in the eigenbasis
        var[i] = Sigma_test + np.einsum("ij,ij->i", PG @ S, PG) - 2.0 * np.einsum("ij,ij->i", PG, C)
    return EnsembleResult(t=t, mean=mean, var=np.clip(var, 0.0, None))


@dataclass(frozen=True)
class PriorDecomposition:
    """The eq. 1.14 split of a trained output with non-zero initial output (Xu's lecture
    notes, §1.4).

    h(·; h_ini, X, Y) = h(·; 0, X, Y) + [h_ini − h(·; 0, X, h_ini(X))]

    Attributes (each shape (T, n_test)):
        total: h(·; h_ini, X, Y), the trained output from the actual initial output.
        zero_init: h(·; 0, X, Y), what a zero-output initialization would learn.
        prior: h_ini − h(·; 0, X, h_ini(X)), the part of the initial output training never
            removes (it vanishes on the training points as t → ∞).
    """

    t: np.ndarray
    total: np.ndarray
    zero_init: np.ndarray
    prior: np.ndarray


def prior_decomposition(K, y, t, *, f0, K_test, f0_test, eig=None, rcond=RCOND):
    """Eq. 1.14 terms for the linearized model at times ``t`` (exact by linearity)."""
    K = as_matrix(K, "K", square=True, symmetric=True)
    eig = _eig(K, eig)
    common = dict(K_test=K_test, eig=eig, rcond=rcond)
    total = gradient_flow(K, y, t, f0=f0, f0_test=f0_test, **common)
    zero = gradient_flow(K, y, t, **common)
    # h(·; 0, X, h_ini(X)): fit the initial output itself from a zero start
    fit_ini = gradient_flow(K, f0, t, **common)
    prior = np.asarray(f0_test, dtype=np.float64) - fit_ini.test
    return PriorDecomposition(t=total.t, total=total.test, zero_init=zero.test, prior=prior)
