"""Figures of the frequency claim (:mod:`ntklab.experiments.frequency`): the fit at time t,
the residual in the eigenbasis, the per-frequency error as a heat map and as curves (the
linearized model dashed, a trained net solid), α_i(t) against e^{−λ_i t}, and the decay
rate per frequency against the c₁ξ⁻⁴ + c₂ξ⁻² theory.
"""

from __future__ import annotations

import functools

import numpy as np
import plotly.graph_objects as go

from .shared import loglog_fig
from .style import (
    COLORS,
    GREY,
    HEIGHT,
    heatmap,
    layout,
    make_figure,
    merge_labels,
    positive,
    scatter,
)

__all__ = [
    "decay_rates_fig",
    "fit_over_time_fig",
    "frequency_bands_fig",
    "frequency_heatmap_fig",
    "residual_components_fig",
    "residual_decay_fig",
]


def fit_over_time_fig(x_test, y_test, f_test, x_train, y_train, *, t=None, f_net=None,
                      labels=None) -> go.Figure:
    """Target on a fine grid, training points, the model output f_t(x) at time t and,
    optionally, a second output ``f_net`` on the same grid (e.g. a trained finite net).
    Four traces, always (the fourth empty without ``f_net``)."""
    lab = merge_labels({"title": "Fit at time t", "x": "x", "y": "f(x)", "target": "target y(x)",
                   "train": "training points", "model": "f_t(x)", "net": "f_NN(x)"}, labels)
    if t is not None:
        lab["title"] = f"{lab['title']} = {t:.3g}"
    traces = [
        scatter(x=x_test, y=y_test, mode="lines", name=lab["target"],
                   line=dict(color=GREY, width=1.5, dash="dash")),
        scatter(x=x_train, y=y_train, mode="markers", name=lab["train"],
                   marker=dict(size=4, color=GREY)),
        scatter(x=x_test, y=f_test, mode="lines", name=lab["model"],
                   line=dict(color=COLORS[0], width=2)),
        scatter(x=[] if f_net is None else x_test, y=[] if f_net is None else f_net,
                   mode="lines", name=lab["net"], showlegend=f_net is not None,
                   line=dict(color=COLORS[1], width=2)),
    ]
    return make_figure(traces, layout(lab))


def residual_components_fig(alpha, alpha0, *, max_index=60, labels=None) -> go.Figure:
    """|α_i(t)| and |α_i(0)| against the eigen-index i (log y): large-λ components go first."""
    lab = merge_labels({"title": "Residual in the eigenbasis", "x": "index i (λ_i descending)",
                   "y": "|α_i|", "now": "|α_i(t)|", "start": "|α_i(0)|"}, labels)
    k = min(int(max_index), np.asarray(alpha).shape[0])
    i = np.arange(1, k + 1)
    floor = 1e-16 * max(float(np.max(np.abs(alpha0))), 1e-300)
    traces = [
        scatter(x=i, y=positive(np.asarray(alpha0)[:k], floor), mode="markers",
                   name=lab["start"], marker=dict(size=6, color="#c7c7c7", symbol="circle-open")),
        scatter(x=i, y=positive(np.asarray(alpha)[:k], floor), mode="markers",
                   name=lab["now"], marker=dict(size=5, color=COLORS[1])),
    ]
    return make_figure(traces, layout(lab, ylog=True))


@functools.cache
def _viridis():
    """"Viridis" as plotly stores it once validated (pairs of position and colour). A
    widget holds this form: sending the name would differ from it at every redraw, and
    each redraw would then restyle, i.e. re-render, the whole heat map."""
    return go.Heatmap(colorscale="Viridis").colorscale


def frequency_heatmap_fig(t_grid, freqs, delta, *, t_now=None, labels=None) -> go.Figure:
    """Heat map of log10 Δ_k(t): frequency k (rows) against time t (log columns).

    A vertical line marks ``t_now``. Low rows turning dark first is the frequency principle.
    """
    lab = merge_labels({"title": "Relative error per frequency, log₁₀ Δ_k(t)", "x": "t = η·steps",
                   "y": "frequency k", "color": "log₁₀ Δ_k"}, labels)
    z = np.log10(np.maximum(np.asarray(delta, dtype=np.float64).T, 1e-16))
    heat = heatmap(
        x=np.asarray(t_grid), y=[str(int(k)) for k in freqs], z=z, zmin=-4, zmax=0.5,
        colorscale=_viridis(), colorbar=dict(title=dict(text=lab["color"]), thickness=12),
        hovertemplate="t = %{x:.3g}<br>k = %{y}<br>log₁₀ Δ = %{z:.2f}<extra></extra>",
    )
    shapes = []
    if t_now is not None:
        shapes.append(dict(type="line", xref="x", yref="paper", x0=t_now, x1=t_now, y0=0,
                           y1=1, line=dict(color="white", width=2, dash="dot")))
    fig_layout = layout(lab, xlog=True, shapes=shapes)
    fig_layout["yaxis"]["type"] = "category"
    fig_layout["margin"]["autoexpand"] = True  # room for the colour bar, right of the axes
    return make_figure([heat], fig_layout)


def frequency_bands_fig(t_lin, delta_lin, freqs, *, t_net=None, delta_net=None, t_now=None,
                        max_bands=3, floor=1e-6, labels=None) -> go.Figure:
    """Δ_k(t) of a few frequencies k over time, log-log: one model dashed (e.g. the
    linearized one), a second solid in the same colour (e.g. a trained net; optional).

    Args:
        t_lin: times of the dashed curves, shape (T,).   delta_lin: Δ_k there, (T, B).
        freqs: the B frequency indices k (B ≤ ``max_bands``), one colour each.
        t_net, delta_net: the solid curves, shapes (R,) and (R, B); ``None`` leaves them
            empty.
        t_now: a vertical dotted line at this time.
        floor: the bottom of the y axis (Δ_k below it is round-off, not learning).

    Times ≤ 0 and Δ_k ≤ 0 are left out (log axes). Always ``2·max_bands`` traces: for
    each slot the dashed curve, then the solid one; unused slots are hidden.
    """
    lab = merge_labels({"title": "Relative error Δ_k(t) of the strongest frequencies",
                   "x": "t = η·steps", "y": "Δ_k", "lin": "linearized", "net": "net"},
                  labels)
    freqs = [int(k) for k in freqs][:max_bands]
    lin = np.asarray(t_lin, dtype=np.float64), np.asarray(delta_lin, dtype=np.float64)
    net = None
    if t_net is not None and delta_net is not None:
        net = np.asarray(t_net, dtype=np.float64), np.asarray(delta_net, dtype=np.float64)
    traces, top = [], 1.0
    for slot in range(max_bands):
        color = COLORS[slot % len(COLORS)]
        for curve, dash, what in ((lin, "dash", lab["lin"]), (net, None, lab["net"])):
            if slot >= len(freqs) or curve is None:
                traces.append(scatter(x=[], y=[], mode="lines", name="", showlegend=False,
                                         visible=slot < len(freqs),
                                         line=dict(color=color, dash=dash)))
                continue
            t, y = curve[0], curve[1][:, slot]
            keep = (t > 0) & (y > 0) & np.isfinite(y)
            if keep.any():
                top = max(top, float(y[keep].max()))
            name = f"k = {freqs[slot]}, {what}"
            traces.append(scatter(
                x=t[keep], y=y[keep], mode="lines" if dash else "lines+markers", name=name,
                visible=True, showlegend=True,  # explicit: sync_figure sends only what is set
                line=dict(color=color, dash=dash, width=1.6 if dash else 2.4),
                marker=dict(size=4, color=color),
                hovertemplate=f"t = %{{x:.3g}}<br>Δ = %{{y:.3g}}<extra>{name}</extra>"))
    shapes = []
    if t_now is not None:
        shapes.append(dict(type="line", xref="x", yref="paper", x0=t_now, x1=t_now, y0=0,
                           y1=1, line=dict(color=GREY, width=1.5, dash="dot")))
    fig_layout = layout(lab, xlog=True, ylog=True, shapes=shapes)
    fig_layout["yaxis"]["range"] = [np.log10(floor), np.log10(1.5 * top)]
    fig_layout.update(height=HEIGHT + 70, margin=dict(l=60, r=20, t=45, b=50),
                  legend=dict(orientation="h", yanchor="top", y=-0.2, xanchor="left", x=0.0,
                              font=dict(size=11)))
    return make_figure(traces, fig_layout)


def residual_decay_fig(res, *, labels=None) -> go.Figure:
    """|α_i(t)| measured by GD (markers) and α_i(0)e^{−λ_i t} (lines), log y, from a
    :class:`~ntklab.experiments.frequency.ResidualDecay`."""
    lab = merge_labels({"title": "Residual along eigenvectors: measured vs e^(−λ_i t)",
                        "x": "t = η·steps", "y": "|α_i(t)|"}, labels)
    every = max(1, res.t.shape[0] // 25)
    traces = []
    for j, i in enumerate(res.indices):
        c = COLORS[j % len(COLORS)]
        traces.append(scatter(x=res.t, y=np.abs(res.predicted[:, j]), mode="lines",
                              line=dict(color=c, width=1.5), name=f"α_{i}(0)·e^(−λ_{i} t)"))
        traces.append(scatter(x=res.t[::every], y=np.abs(res.measured[::every, j]),
                              mode="markers", marker=dict(color=c, size=6, symbol="circle-open"),
                              name=f"|α_{i}| measured (GD)"))
    fig_layout = layout(lab, ylog=True)
    fig_layout.update(height=HEIGHT + 30, legend=dict(font=dict(size=10)))
    return make_figure(traces, fig_layout)


def decay_rates_fig(res, *, labels=None) -> go.Figure:
    """Measured convergence rate per frequency ξ with its fitted power law and the fitted
    c₁ξ⁻⁴ + c₂ξ⁻² theory, from a :class:`~ntklab.experiments.frequency.DecayRates`."""
    lab = merge_labels({"title": "Convergence rate per frequency ξ", "x": "frequency ξ",
                        "y": "rate 1/t_e", "u": "ξ"}, labels)
    return loglog_fig(res.xi, [dict(name="measured (linearized model)", y=res.rate,
                                    fit=res.fit, slope=res.slope)],
                      lines=[dict(name=f"theory fit {res.c1:.3g}·ξ⁻⁴ + {res.c2:.3g}·ξ⁻²",
                                  y=res.theory, color=COLORS[2])], labels=lab)
