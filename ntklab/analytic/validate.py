"""Input checks shared by every public function.

Each check raises ``ValueError`` naming the argument, the value it got and what is
allowed, so a student (or a URL preset) sees exactly what to change.
"""

from __future__ import annotations

import numbers

import numpy as np

# Largest float64 array any single analytic call may allocate (bytes). Requests above it
# are refused *before* allocation, with the estimate in the message.
MEMORY_BUDGET_BYTES = 2 * 1024**3


class Refusal(ValueError):
    """A request refused before any work (too large for the budget), with its numbers.

    The message is English; ``key`` and ``fields`` let an interface say the same in another
    language (:mod:`ntklab.app.strings` has ``error.<key>``)."""

    def __init__(self, message: str, key: str, **fields):
        super().__init__(message)
        self.key, self.fields = key, fields


def _short(value) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def as_points(x, name: str = "x", *, min_len: int = 1, max_len: int = 200_000) -> np.ndarray:
    """A 1-D float64 array of finite sample points."""
    try:
        arr = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be a 1-D array of numbers, got {_short(x)}") from exc
    if arr.ndim == 0:
        arr = arr.reshape(1)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be 1-D of shape (n,), got shape {arr.shape}")
    if not min_len <= arr.shape[0] <= max_len:
        raise ValueError(
            f"{name} must have between {min_len} and {max_len} points, got {arr.shape[0]}"
        )
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite (no NaN or inf)")
    return arr


def as_matrix(a, name: str, *, square: bool = False, symmetric: bool = False) -> np.ndarray:
    """A finite 2-D float64 array; optionally square and symmetric (to round-off)."""
    try:
        arr = np.asarray(a, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be a 2-D array of numbers, got {_short(a)}") from exc
    if arr.ndim != 2 or arr.size == 0:
        raise ValueError(f"{name} must be a non-empty 2-D array, got shape {arr.shape}")
    if square and arr.shape[0] != arr.shape[1]:
        raise ValueError(f"{name} must be square, got shape {arr.shape}")
    # max and min propagate NaN, so both finite ⇔ every entry finite; two passes without
    # temporaries (an n = 3000 kernel: 12 ms, against 65 ms for isfinite and abs)
    hi, lo = arr.max(), arr.min()
    if not (np.isfinite(hi) and np.isfinite(lo)):
        raise ValueError(f"{name} must be finite (no NaN or inf)")
    if symmetric:
        # Compare K r with Kᵀ r for a fixed probe vector: O(n²) and cache friendly, unlike
        # forming K − Kᵀ. An asymmetry that cancels against this probe is vanishingly rare.
        probe = np.cos(np.arange(arr.shape[0]) * 0.7071)
        gap = np.max(np.abs(arr @ probe - arr.T @ probe))
        scale = max(hi, -lo) * np.sum(np.abs(probe))
        if gap > 1e-10 * max(scale, 1e-300):
            raise ValueError(f"{name} must be symmetric")
    return arr


def as_vector(v, name: str, n: int | None = None) -> np.ndarray:
    """A finite 1-D float64 array, of length n when given."""
    arr = as_points(v, name)
    if n is not None and arr.shape[0] != n:
        raise ValueError(f"{name} must have length {n}, got {arr.shape[0]}")
    return arr


def as_int(value, name: str, lo: int, hi: int) -> int:
    """An integer in [lo, hi] (bools refused)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be an integer in [{lo}, {hi}], got {_short(value)}")
    value = int(value)
    if not lo <= value <= hi:
        raise ValueError(f"{name} must be an integer in [{lo}, {hi}], got {value}")
    return value


def as_positive(value, name: str, hi: float = 1e6) -> float:
    """A finite float in (0, hi]."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a number in (0, {hi:g}], got {_short(value)}")
    value = float(value)
    if not (np.isfinite(value) and 0 < value <= hi):
        raise ValueError(f"{name} must be a number in (0, {hi:g}], got {value}")
    return value


def as_times(t, name: str = "t") -> np.ndarray:
    """A 1-D array of times t >= 0; ``np.inf`` is allowed (the converged limit)."""
    try:
        arr = np.atleast_1d(np.asarray(t, dtype=np.float64))
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be times >= 0, got {_short(t)}") from exc
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{name} must be a scalar or 1-D array of times, got shape {arr.shape}")
    if np.any(np.isnan(arr)) or np.any(arr < 0):
        raise ValueError(f"{name} must be >= 0 (np.inf allowed), got {_short(t)}")
    return arr


def check_memory(n_floats: float, what: str, budget: int = MEMORY_BUDGET_BYTES) -> None:
    """Refuse a float64 allocation of ``n_floats`` numbers over ``budget`` bytes."""
    need = 8.0 * float(n_floats)
    if need > budget:
        raise Refusal(
            f"{what} would need about {need / 2**30:.2f} GiB, over the "
            f"{budget / 2**30:.2f} GiB budget; use fewer points or a smaller width",
            "memory", need_gib=need / 2**30, budget_gib=budget / 2**30)
