"""Figures of the every-architecture-has-a-kernel claim
(:mod:`ntklab.experiments.architectures`; Yang 2019): the outputs of random recurrent nets
against N(0, Σ), measured covariances against the recurrent NNGP, errors and NTK spreads
against width, sampled spectra against the semicircle and Marchenko–Pastur laws, and the
backward pass with and without the gradient independence assumption. Notebook 08 draws
these figures.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from ..analytic.random_matrix import marchenko_pastur_pdf, semicircle_pdf
from .shared import loglog_fig
from .style import COLORS, GREY, layout, line, make_figure, merge_labels, scatter, train_layout

__all__ = ["covariance_fig", "histogram_fig", "independence_fig", "ks_fig", "ntk_fig",
           "spectrum_fig", "width_fig"]

BINS = 60


def _histogram(values, name, color):
    return go.Histogram(x=np.asarray(values), histnorm="probability density", name=name,
                        nbinsx=BINS, marker=dict(color=color), opacity=0.55)


def histogram_fig(gp, *, labels=None) -> go.Figure:
    """f(x₀) over the random recurrent nets of an :class:`~ntklab.experiments.architectures.RNNGP`
    (histogram, density) against the density of N(0, Σ(x₀, x₀)): two traces."""
    lab = merge_labels({"title": "", "x": "f(x₀)", "y": "density",
                        "nets": f"{gp.f.shape[0]} nets, m = {gp.width}",
                        "limit": "N(0, Σ(x₀, x₀))"}, labels)
    var = float(gp.sigma[0, 0])
    grid = np.linspace(-4.5, 4.5, 301) * np.sqrt(var)
    dens = np.exp(-grid**2 / (2 * var)) / np.sqrt(2 * np.pi * var)
    return make_figure([_histogram(gp.f[:, 0], lab["nets"], COLORS[0]),
                        line(grid, dens, lab["limit"], COLORS[1], width=2.5)],
                       layout(lab, barmode="overlay"))


def covariance_fig(gp, *, labels=None) -> go.Figure:
    """Every entry (i ≤ j) of the measured covariances against Σ(xᵢ, xⱼ): the mean of
    f(xᵢ)f(xⱼ) over the nets (± 2 standard errors), the mean covariance given the hidden
    layer with shared W and with a fresh W per step, and the diagonal y = x. Four traces."""
    lab = merge_labels({"title": "", "x": "Σ(xᵢ, xⱼ) (limit)", "y": "measured",
                        "outputs": "mean f(xᵢ)f(xⱼ)", "shared": "given h_T, shared W",
                        "fresh": "given h_T, fresh W per step", "diagonal": "y = x"}, labels)
    iu = np.triu_indices(gp.sigma.shape[0])
    sig = gp.sigma[iu]
    lo, hi = float(sig.min()), float(sig.max())
    span = np.array([lo - 0.15 * (hi - lo + 0.1 * abs(hi)), hi + 0.15 * (hi - lo + 0.1 * abs(hi))])
    traces = [
        scatter(x=sig, y=gp.cov[iu], mode="markers", name=lab["outputs"],
                error_y=dict(type="data", array=2 * gp.cov_se[iu], visible=True),
                marker=dict(size=9, color=COLORS[0])),
        scatter(x=sig, y=gp.shared[iu], mode="markers", name=lab["shared"],
                marker=dict(size=8, color=COLORS[1], symbol="diamond")),
        scatter(x=sig, y=gp.fresh[iu], mode="markers", name=lab["fresh"],
                marker=dict(size=8, color=COLORS[2], symbol="x")),
        line(span, span, lab["diagonal"], GREY, dash="dot", width=1.5),
    ]
    return make_figure(traces, train_layout(lab))  # four names: the legend below


def width_fig(res, *, labels=None) -> go.Figure:
    """‖K̂_m − Σ‖_F/‖Σ‖_F (mean over seeds) against width with its fitted slope (a
    :class:`~ntklab.experiments.architectures.RNNWidth`): two traces."""
    lab = merge_labels({"title": "", "y": "relative error", "error": "one net vs Σ"}, labels)
    return loglog_fig(res.widths, [dict(name=lab["error"], y=res.error.mean(axis=1),
                                        fit=res.fit, slope=res.slope)], labels=lab)


def ntk_fig(*spreads, labels=None) -> go.Figure:
    """The relative spread over seeds of the empirical NTK at init against width, one
    series (points and fitted line) per :class:`~ntklab.experiments.architectures.NTKSpread`
    given (all on the same widths)."""
    lab = merge_labels({"title": "", "y": "spread of the NTK over seeds",
                        "rnn": "recurrent", "residual": "residual MLP"}, labels)
    return loglog_fig(spreads[0].widths, [
        dict(name=lab[r.architecture], y=r.spread, fit=r.fit, slope=r.slope,
             color=COLORS[i % len(COLORS)]) for i, r in enumerate(spreads)], labels=lab)


def spectrum_fig(eig, law="semicircle", *, ratio=1.0, labels=None) -> go.Figure:
    """A histogram of eigenvalues (density) against the limit law's density, ``law`` =
    ``"semicircle"`` or ``"marchenko_pastur"`` (with ``ratio``): two traces."""
    if law not in ("semicircle", "marchenko_pastur"):
        raise ValueError(f"law must be 'semicircle' or 'marchenko_pastur', got {law!r}")
    eig = np.asarray(eig, dtype=np.float64)
    name = "semicircle" if law == "semicircle" else f"Marchenko–Pastur (ratio {ratio:g})"
    lab = merge_labels({"title": "", "x": "eigenvalue λ", "y": "density",
                        "eig": f"{eig.size} eigenvalues", "law": name}, labels)
    if law == "semicircle":
        grid = np.linspace(-2.2, 2.2, 401)
        dens = semicircle_pdf(grid)
    else:
        hi = (1 + np.sqrt(ratio)) ** 2
        grid = np.linspace(1e-3, hi * 1.08, 401)
        dens = marchenko_pastur_pdf(grid, ratio)
    fig_layout = layout(lab, barmode="overlay")
    if law == "marchenko_pastur" and ratio == 1.0:
        fig_layout["yaxis"].update(range=[0, 1.2])  # the 1/√λ edge at 0
    return make_figure([_histogram(eig, lab["eig"], COLORS[0]),
                        line(grid, dens, lab["law"], COLORS[1], width=2.5)], fig_layout)


def ks_fig(laws, *, labels=None) -> go.Figure:
    """The Kolmogorov–Smirnov distance (mean over draws) to each law against n, with the
    fitted slopes (a :class:`~ntklab.experiments.architectures.RandomMatrixLaws`)."""
    lab = merge_labels({"title": "", "x": "matrix size n", "y": "KS distance", "u": "n",
                        "semicircle": "semicircle",
                        "mp": f"Marchenko–Pastur (ratio {laws.ratio:g})"}, labels)
    return loglog_fig(laws.sizes, [
        dict(name=lab["semicircle"], y=laws.ks_semicircle.mean(axis=1), fit=laws.fit_semicircle,
             slope=laws.slope_semicircle),
        dict(name=lab["mp"], y=laws.ks_mp.mean(axis=1), fit=laws.fit_mp, slope=laws.slope_mp),
    ], labels=lab)


def independence_fig(res, *, labels=None) -> go.Figure:
    """Backward kernels B^l(x, x) (averaged over the points and the seeds) against the layer
    l, log y: the true backward pass and independent copies of the weights, for zero-mean
    and for constant output weights, and the infinite-width formula. Five traces."""
    lab = merge_labels({"title": "", "x": "layer l", "y": "B^l(x, x)",
                        "true": "true, zero-mean a", "independent": "independent W, zero-mean a",
                        "true_constant": "true, constant a",
                        "independent_constant": "independent W, constant a",
                        "theory": "infinite-width formula"}, labels)
    layers = np.arange(1, res.depth + 1)

    def diag(runs):
        return (np.trace(runs, axis1=-2, axis2=-1) / res.x.size).mean(axis=0)

    def pts(y, name, color, symbol, dash=None):
        return scatter(x=layers, y=y, mode="lines+markers", name=name,
                       line=dict(color=color, dash=dash, width=2),
                       marker=dict(size=9, color=color, symbol=symbol))

    traces = [
        pts(diag(res.true), lab["true"], COLORS[0], "circle"),
        pts(diag(res.independent), lab["independent"], COLORS[0], "circle-open", "dash"),
        pts(diag(res.true_constant), lab["true_constant"], COLORS[1], "square"),
        pts(diag(res.independent_constant), lab["independent_constant"], COLORS[1],
            "square-open", "dash"),
        line(layers, np.trace(res.theory, axis1=1, axis2=2) / res.x.size, lab["theory"], GREY,
             dash="dot", width=2),
    ]
    fig_layout = train_layout(lab, ylog=True)  # five names: the legend below
    fig_layout["xaxis"].update(tickvals=layers.tolist())
    return make_figure(traces, fig_layout)
