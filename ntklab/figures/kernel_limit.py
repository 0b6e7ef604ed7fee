"""Figures of the kernel-limit claim (:mod:`ntklab.experiments.kernel_limit`): the empirical
NTK's error and spread against width, and outputs at init against the NNGP density."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from .shared import loglog_fig
from .style import COLORS, layout, make_figure, merge_labels, scatter

__all__ = ["kernel_convergence_fig", "outputs_at_init_fig"]


def kernel_convergence_fig(res, *, labels=None) -> tuple[go.Figure, go.Figure]:
    """From a :class:`~ntklab.experiments.kernel_limit.KernelConvergence`: (a) the relative
    error of the empirical NTK against width, with its fitted slope; (b) one kernel entry per
    net against width, beside its infinite-width value."""
    a = loglog_fig(res.widths, [dict(name="mean over seeds", y=res.rel_error.mean(axis=1),
                                     fit=res.fit_error, slope=res.slope_error)],
                   labels=merge_labels({
                       "title": "Empirical NTK at init vs the infinite-width formula",
                       "y": "‖K_m − K_∞‖_F / ‖K_∞‖_F"}, labels))
    W, S = res.entries.shape
    lab = merge_labels({"title": f"The NTK at init concentrates (std slope "
                                 f"{res.slope_spread:.2f})", "x": "width m",
                        "y": f"K(x = {res.pair[0]}, x' = {res.pair[1]})"}, None)
    b = make_figure([
        scatter(x=np.repeat(res.widths, S), y=res.entries.ravel(), mode="markers",
                marker=dict(color=COLORS[0], size=6, opacity=0.6), name="one net per seed"),
        scatter(x=res.widths, y=np.full(W, res.entry_inf), mode="lines",
                line=dict(color=COLORS[1], dash="dash"), name="infinite width"),
    ], layout(lab, xlog=True))
    return a, b


def outputs_at_init_fig(res, *, labels=None) -> go.Figure:
    """Histogram of f(x₀) over initializations with the N(0, Σ(x₀, x₀)) density, from an
    :class:`~ntklab.experiments.kernel_limit.OutputsAtInit`."""
    lab = merge_labels({"title": f"Outputs at init: measured variance {res.var_measured:.3g}",
                        "x": f"f(x₀ = {res.x0}; θ₀)", "y": "density"}, labels)
    sd = np.sqrt(res.var_nngp)
    grid = np.linspace(-4 * sd, 4 * sd, 200)
    pdf = np.exp(-grid**2 / (2 * res.var_nngp)) / np.sqrt(2 * np.pi * res.var_nngp)
    return go.Figure([
        go.Histogram(x=res.outputs, histnorm="probability density", nbinsx=50,
                     name=f"{res.outputs.shape[0]} nets of width {res.width}",
                     marker=dict(color=COLORS[0], opacity=0.6)),
        go.Scatter(x=grid, y=pdf, mode="lines", line=dict(color=COLORS[1]),
                   name=f"N(0, Σ(x₀, x₀) = {res.var_nngp:.3g})"),
    ], layout(lab))
