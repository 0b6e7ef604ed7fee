"""Limit laws of random-matrix spectra: Wigner's semicircle and Marchenko–Pastur
(docs/science.md §3.13).

Yang (2019), "Scaling limits of wide neural networks with weight sharing", re-derives both
with the same tensor-program machinery that gives a wide net's Gaussian-process limit. The
conventions here (unit-variance entries):

* **semicircle**: eigenvalues of (G + Gᵀ)/√(2n), G an n × n matrix of N(0, 1) entries
  (off-diagonal entries of variance 1/n). As n → ∞ their distribution has the density

      ρ_sc(λ) = √(4 − λ²)/(2π)  on [−2, 2],   E λ = 0,  E λ² = 1.

* **Marchenko–Pastur**: eigenvalues of XᵀX/n, X of shape n × p with N(0, 1) entries and
  ratio c = p/n ∈ (0, 1] (the p × p matrix, divided by n: not the /p or XXᵀ convention).
  As n, p → ∞ with p/n → c, with λ± = (1 ± √c)²,

      ρ_MP(λ) = √((λ₊ − λ)(λ − λ₋))/(2π c λ)  on (λ₋, λ₊],   E λ = 1,  E λ² = 1 + c.

  At c = 1 the support is (0, 4] and the density grows as 1/√λ near 0 (integrable).

Both densities are 0 outside their support and keep the shape of their input; their
cumulative distribution functions are closed forms (for the Kolmogorov–Smirnov distance of
sampled eigenvalues).
"""

from __future__ import annotations

import numbers

import numpy as np

__all__ = ["marchenko_pastur_cdf", "marchenko_pastur_pdf", "semicircle_cdf", "semicircle_pdf"]


def _values(lam, name="lam"):
    try:
        arr = np.asarray(lam, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be a number or an array of numbers, got {lam!r}"[:200]) \
            from exc
    if np.isnan(arr).any():
        raise ValueError(f"{name} must not contain NaN")
    return arr


def _ratio(ratio):
    if isinstance(ratio, bool) or not isinstance(ratio, numbers.Real):
        raise ValueError(f"ratio must be a number p/n in (0, 1], got {ratio!r}")
    c = float(ratio)
    if not (np.isfinite(c) and 0.0 < c <= 1.0):
        raise ValueError(f"ratio must be a number p/n in (0, 1], got {c}")
    return c


def semicircle_pdf(lam):
    """Wigner's semicircle density √(4 − λ²)/(2π) on [−2, 2], 0 outside; same shape as
    ``lam`` (±inf allowed, NaN refused).

    >>> round(float(semicircle_pdf(0.0)), 6), float(semicircle_pdf(2.5))  # 1/π inside
    (0.31831, 0.0)
    """
    lam = _values(lam)
    inside = np.abs(lam) < 2.0
    return np.where(inside, np.sqrt(np.clip(4.0 - lam * lam, 0.0, None)) / (2.0 * np.pi), 0.0)


def semicircle_cdf(lam):
    """P(λ' ≤ λ) under the semicircle law: ½ + λ√(4 − λ²)/(4π) + arcsin(λ/2)/π on
    [−2, 2]; same shape as ``lam``.

    >>> float(semicircle_cdf(0.0)), float(semicircle_cdf(3.0))
    (0.5, 1.0)
    """
    lam = np.clip(_values(lam), -2.0, 2.0)
    return 0.5 + lam * np.sqrt(4.0 - lam * lam) / (4.0 * np.pi) + np.arcsin(lam / 2.0) / np.pi


def marchenko_pastur_pdf(lam, ratio):
    """The Marchenko–Pastur density of the eigenvalues of XᵀX/n (X: n × p, N(0, 1) entries,
    ``ratio`` c = p/n ∈ (0, 1]): √((λ₊ − λ)(λ − λ₋))/(2π c λ) on (λ₋, λ₊], λ± = (1 ± √c)²,
    0 outside; same shape as ``lam``.

    >>> round(float(marchenko_pastur_pdf(1.0, 1.0)), 6)  # √3/(2π)
    0.275664
    """
    lam, c = _values(lam), _ratio(ratio)
    lo, hi = (1.0 - np.sqrt(c)) ** 2, (1.0 + np.sqrt(c)) ** 2
    inside = (lam > lo) & (lam <= hi)
    safe = np.where(inside, lam, 1.0)
    dens = np.sqrt(np.clip((hi - safe) * (safe - lo), 0.0, None)) / (2.0 * np.pi * c * safe)
    return np.where(inside, dens, 0.0)


def marchenko_pastur_cdf(lam, ratio):
    """P(λ' ≤ λ) under the Marchenko–Pastur law of :func:`marchenko_pastur_pdf`, in closed
    form: with λ = 1 + c + 2√c·cos θ (θ ∈ [0, π]), F = (2/π)(H(π) − H(θ)) for
    H(t) = −sin t/(2√c) + (1 + c)t/(4c) − (1 − c)/(2c)·arctan(r·tan(t/2)), r = (1 − √c)/(1 + √c).

    >>> float(marchenko_pastur_cdf(0.0, 0.5)), float(marchenko_pastur_cdf(10.0, 0.5))
    (0.0, 1.0)
    """
    lam, c = _values(lam), _ratio(ratio)
    root = np.sqrt(c)
    cos = np.clip((lam - 1.0 - c) / (2.0 * root), -1.0, 1.0)
    theta = np.arccos(cos)
    r = (1.0 - root) / (1.0 + root)

    def h(t):
        # arctan(r tan(t/2)) written with arctan2: continuous up to t = π
        return (-np.sin(t) / (2.0 * root) + (1.0 + c) * t / (4.0 * c)
                - (1.0 - c) / (2.0 * c) * np.arctan2(r * np.sin(t / 2.0), np.cos(t / 2.0)))

    out = 2.0 / np.pi * (h(np.pi) - h(theta))
    return np.clip(out, 0.0, 1.0)
