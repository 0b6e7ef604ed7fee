"""Claim: at initialization a wide net is its infinite-width limit — the empirical NTK
concentrates around the formula K_∞ (its error and spread shrink like 1/√m), and the output
at init is a Gaussian process with the NNGP covariance Σ (Jacot et al. 2018; Lee et al.
2019; docs/science.md §2, §3).

Questions: :func:`kernel_convergence` (K_m against K_∞ over widths and seeds) and
:func:`outputs_at_init` (f(x₀; θ₀) over many initializations against N(0, Σ(x₀, x₀))).
Notebook 01 and the exercises ask them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..analytic.data import sample_points
from ..analytic.kernels import ntk, ntk_and_nngp
from ..analytic.metrics import fit_power_law
from ..analytic.validate import as_int
from .common import Progress, frozen, int_list, say

__all__ = ["KernelConvergence", "OutputsAtInit", "kernel_convergence", "outputs_at_init",
           "summary"]


@dataclass(frozen=True)
class KernelConvergence:
    """Empirical NTK at init against the infinite-width formula, over widths and seeds.

    Attributes: widths (W,); rel_error (W, S) ‖K_m − K_∞‖_F/‖K_∞‖_F; entries (W, S) one
    kernel entry K_m(x_a, x_b) per net; entry_inf: K_∞(x_a, x_b); pair: (x_a, x_b);
    slope_error, slope_spread: log-log slopes of the mean error and of the std of entries;
    fit_error (W,): the fitted power law of the mean error at the widths.
    """

    widths: np.ndarray
    rel_error: np.ndarray
    entries: np.ndarray
    entry_inf: float
    pair: tuple
    slope_error: float
    slope_spread: float
    fit_error: np.ndarray


def kernel_convergence(widths=(16, 64, 256, 1024, 4096), seeds=8, n=50,
                       pair=(-0.5, 0.7), progress: Progress = None) -> KernelConvergence:
    """Empirical NTK at init on n grid points (plus the pair) for each width and seed,
    against :func:`ntklab.ntk`; the log-log slopes of the mean error and of the spread of
    one entry are fitted (expected about −½ each)."""
    from ..finite.empirical import empirical_ntk
    from ..finite.model import init_params

    widths = np.asarray(int_list(widths, "widths", 1, 1_000_000, min_len=2), dtype=np.int64)
    seeds = as_int(seeds, "seeds", 2, 10_000)
    x = np.concatenate([sample_points(n), np.asarray(pair, dtype=np.float64)])
    K_inf = ntk(x)
    err = np.empty((widths.shape[0], seeds))
    entries = np.empty_like(err)
    for i, m in enumerate(widths):
        say(progress, f"width {m}")
        for s in range(seeds):
            K = empirical_ntk(init_params(s, int(m)), x)
            err[i, s] = np.linalg.norm(K[:n, :n] - K_inf[:n, :n]) / np.linalg.norm(K_inf[:n, :n])
            entries[i, s] = K[n, n + 1]
    slope_error, fit_error = fit_power_law(widths, err.mean(axis=1))
    return frozen(KernelConvergence(
        widths=widths, rel_error=err, entries=entries, entry_inf=float(K_inf[n, n + 1]),
        pair=tuple(float(p) for p in pair), slope_error=slope_error,
        slope_spread=fit_power_law(widths, entries.std(axis=1, ddof=1))[0],
        fit_error=fit_error))


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
    """f(x₀; θ₀) of ``inits`` nets (seeds 0…inits−1) against the NNGP variance Σ(x₀, x₀)."""
    from ..finite.model import apply, init_params

    inits = as_int(inits, "inits", 10, 1_000_000)
    out = np.array([float(apply(init_params(s, width, init_scale=init_scale), [x0])[0])
                    for s in range(inits)])
    _, sigma = ntk_and_nngp([x0], init_scale=init_scale)
    z = (out - out.mean()) / out.std()
    return frozen(OutputsAtInit(x0=float(x0), width=int(width), init_scale=float(init_scale),
                                outputs=out, var_nngp=float(sigma[0, 0]),
                                var_measured=float(out.var(ddof=1)),
                                kurtosis=float(np.mean(z**4) - 3.0)))


def summary(result) -> dict:
    """The numbers a caption or a notebook quotes: the fitted slopes of a
    :class:`KernelConvergence`; the measured and NNGP variances of :class:`OutputsAtInit`."""
    if isinstance(result, KernelConvergence):
        return {"widths": result.widths.tolist(),
                "mean_rel_error": result.rel_error.mean(axis=1).tolist(),
                "slope_error": result.slope_error, "slope_spread": result.slope_spread}
    if isinstance(result, OutputsAtInit):
        return {"width": result.width, "inits": int(result.outputs.shape[0]),
                "var_measured": result.var_measured, "var_nngp": result.var_nngp,
                "kurtosis": result.kurtosis}
    raise ValueError(f"no summary for {type(result).__name__}")
