"""Measurements shared by the experiment modules (lazy, reproduce, experiments, checks).

Plain numpy, no JAX: RMSE along the last axis, and least-squares power laws on log-log
axes (the measured slopes of docs/science.md §3; a slope is always fitted, never imposed).
"""

from __future__ import annotations

import numpy as np

__all__ = ["fit_power_law", "fit_slope", "rmse"]


def rmse(a, b=0.0):
    """√mean((a − b)²) along the last axis (the RMS of ``a`` when ``b`` is omitted).

    >>> float(rmse([3.0, -3.0], [0.0, 0.0]))
    3.0
    """
    return np.sqrt(np.mean((np.asarray(a) - np.asarray(b)) ** 2, axis=-1))


def fit_power_law(u, v):
    """Least-squares line of log v against log u, unchecked: (slope, the fitted power law
    c·u^slope evaluated at u)."""
    slope, icpt = np.polyfit(np.log(u), np.log(v), 1)
    return float(slope), np.exp(icpt) * np.asarray(u, dtype=np.float64) ** slope


def fit_slope(u, v) -> float:
    """Least-squares slope of log v against log u (a power law v ∝ u^slope).

    >>> round(fit_slope([1, 10, 100], [1.0, 0.1, 0.01]), 6)
    -1.0
    """
    u, v = np.asarray(u, dtype=np.float64), np.asarray(v, dtype=np.float64)
    if u.shape != v.shape or u.ndim != 1 or u.shape[0] < 2:
        raise ValueError(f"u and v must be 1-D of equal length ≥ 2, got {u.shape}, {v.shape}")
    if np.any(u <= 0) or np.any(v <= 0):
        raise ValueError("u and v must be positive for a log-log fit")
    return fit_power_law(u, v)[0]
