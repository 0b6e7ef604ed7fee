"""The Gaussian-process limit (NNGP) of a wide recurrent ReLU net (docs/science.md §3.13).

Yang (2019), "Scaling limits of wide neural networks with weight sharing: Gaussian process
behavior, gradient independence, and neural tangent kernel derivation", shows that wide
random nets of essentially any architecture are Gaussian processes at init. ntklab's
recurrent net, on scalar sequences x = (x₁, …, x_T)::

    h₀ = 0,   h_t = W relu(h_{t−1})/√m + u x_t + b   (t = 1 … T),   f(x) = a·relu(h_T)/√m

every entry of W (m × m), u, b, a (m) ~ N(0, s²) (s = ``init_scale``, a standard deviation),
**W shared across time**, no output bias; only W and a carry 1/√m (the input is a scalar).
With E(q, q′, c) = E[relu(z)relu(z′)] for centred Gaussians of variances q, q′ and
covariance c, i.e. √(qq′)(sin φ + (π − φ) cos φ)/(2π) with cos φ = c/√(qq′), the
covariance of the pre-activations at the same time t obeys

    C₁(x, x′) = s²(x₁x′₁ + 1)
    C_t(x, x′) = s²·E(C_{t−1}(x, x), C_{t−1}(x′, x′), C_{t−1}(x, x′)) + s²(x_t x′_t + 1)
    Σ(x, x′)   = s²·E(C_T(x, x), C_T(x′, x′), C_T(x, x′)).

For sequences of **equal length** only same-time covariances enter, so the limit is the
same with a fresh W at every step: weight sharing does not change this kernel (checked by
Monte Carlo in tests/analytic/test_rnn.py). For sequences of different lengths the output
times differ and the cross-time covariances of the shared W would enter; :func:`rnn_nngp`
refuses them. At T = 1 the net is the two-layer MLP and Σ is :func:`ntklab.nngp` at depth 1.
"""

from __future__ import annotations

import numpy as np

from .validate import as_positive, check_memory

__all__ = ["MAX_LENGTH", "as_sequences", "rnn_nngp"]

MAX_LENGTH = 10_000  # longest sequence accepted (time steps T)
_TWO_PI = 2.0 * np.pi


def as_sequences(X, name: str = "X") -> np.ndarray:
    """A finite float64 array of n ≥ 1 sequences of length T, shape (n, T) (1-D refused)."""
    try:
        arr = np.asarray(X, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be a 2-D array of numbers of shape (n, T), got "
                         f"{X!r}"[:200]) from exc
    if arr.ndim != 2:
        raise ValueError(f"{name} must be 2-D of shape (n, T) (n sequences of length T; one "
                         f"sequence is shape (1, T)), got shape {arr.shape}")
    n, T = arr.shape
    if n < 1 or not 1 <= T <= MAX_LENGTH:
        raise ValueError(f"{name} must have n ≥ 1 sequences of length T in [1, {MAX_LENGTH}], "
                         f"got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite (no NaN or inf)")
    return arr


def _e_relu(q1, q2, c):
    """E[relu(z)relu(z′)] for variances q1 (rows), q2 (columns) and covariance c."""
    norm = np.sqrt(np.multiply.outer(q1, q2))
    cos = np.clip(c / norm, -1.0, 1.0)
    phi = np.arccos(cos)
    return norm * (np.sin(phi) + (np.pi - phi) * cos) / _TWO_PI


def rnn_nngp(X, X2=None, *, init_scale=1.0):
    """Infinite-width prior covariance Σ(x, x′) of the recurrent ReLU net's output at init,
    shape (n, n2), float64 (the recursion of the module docstring).

    Args:
        X: sequences, shape (n, T) (a 1-D array is refused, not read as one sequence).
        X2: second set of sequences, shape (n2, T) (the same length T); ``None`` means X.
        init_scale: s, the standard deviation of every parameter at init.

    >>> float(rnn_nngp([[1.0]])[0, 0])  # T = 1: the two-layer net's s⁴(x² + 1)/2
    1.0
    """
    X = as_sequences(X, "X")
    X2 = X if X2 is None else as_sequences(X2, "X2")
    if X2.shape[1] != X.shape[1]:
        raise ValueError(
            f"X2 must hold sequences of the same length as X (T = {X.shape[1]}), got length "
            f"{X2.shape[1]}: for unequal lengths the cross-time covariances of the shared "
            "weights enter and this recursion does not apply")
    s = as_positive(init_scale, "init_scale", hi=1e3)
    s2 = s * s
    n, n2 = X.shape[0], X2.shape[0]
    check_memory(6.0 * n * n2, f"a {n} × {n2} recurrent kernel")
    c = s2 * (np.multiply.outer(X[:, 0], X2[:, 0]) + 1.0)
    q1, q2 = s2 * (X[:, 0] ** 2 + 1.0), s2 * (X2[:, 0] ** 2 + 1.0)
    for t in range(1, X.shape[1]):
        c = s2 * _e_relu(q1, q2, c) + s2 * (np.multiply.outer(X[:, t], X2[:, t]) + 1.0)
        q1 = s2 * q1 / 2.0 + s2 * (X[:, t] ** 2 + 1.0)  # E[relu(z)²] = q/2
        q2 = s2 * q2 / 2.0 + s2 * (X2[:, t] ** 2 + 1.0)
    return s2 * _e_relu(q1, q2, c)
