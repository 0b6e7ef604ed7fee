"""Figures of the regimes claim (:mod:`ntklab.experiments.regimes`): the fit of a net beside
its linearization, its neurons (orientation against output mass) at init and now, RD over
time, RD against width with the fitted slope, and the measured phase diagram with the
boundary lines of Luo, Xu, Ma & Zhang (2021). The Regimes dashboard (translated labels) and
notebook 06 draw these same figures."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from .shared import curves_over_time_fig, curves_over_x_fig, loglog_fig
from .style import (
    COLORS,
    GREY,
    heatmap,
    layout,
    make_figure,
    merge_labels,
    positive,
    scatter,
    train_layout,
)

__all__ = ["MAX_NEURONS", "fit_fig", "map_fig", "neurons_fig", "rd_fig", "sweep_fig"]

C_NET, C_LIN = COLORS[0], COLORS[1]
MAX_NEURONS = 1024  # neurons drawn per state (every k-th of a wider net: the same ones)


def fit_fig(x_test, y_test, x_train, y_train, f_net, f_lin, *, labels=None) -> go.Figure:
    """The target, f_NN and f_lin over x with the training points: four traces, always."""
    lab = merge_labels({"title": "", "y": "f(x)", "target": "target y(x)",
                        "train": "training points"}, labels)
    return curves_over_x_fig(x_test, [
        dict(name=lab["target"], y=y_test, color=GREY, dash="dot", width=1.5),
        dict(name="f_NN", y=f_net, color=C_NET, width=2.5),
        dict(name="f_lin", y=f_lin, color=C_LIN, dash="dash"),
    ], x_train=x_train, y_train=y_train, labels=lab)


def neurons_fig(angle0, mass0, angle=None, mass=None, *, labels=None) -> go.Figure:
    """Each neuron k as a point: its orientation φ_k = atan2(b_k, w_k) in degrees against
    its output mass |a_k|·‖(w_k, b_k)‖ (log), at init (grey) and now: two traces, always
    (now empty when None). At most :data:`MAX_NEURONS` neurons are drawn (every k-th)."""
    lab = merge_labels({"title": "", "x": "orientation φ_k = atan2(b_k, w_k) (degrees)",
                        "y": "|a_k|·‖(w_k, b_k)‖", "init": "at init", "now": "now"}, labels)
    stride = max(1, -(-np.asarray(angle0).shape[0] // MAX_NEURONS))

    def points(a, m):
        if a is None:
            return [], []
        return np.degrees(np.asarray(a)[::stride]), positive(np.asarray(m)[::stride])

    x0, y0 = points(angle0, mass0)
    x1, y1 = points(angle, mass)
    traces = [scatter(x=x0, y=y0, mode="markers", name=lab["init"],
                      marker=dict(size=4, color=GREY, opacity=0.5),
                      hovertemplate="φ = %{x:.1f}°<br>%{y:.3g}<extra></extra>"),
              scatter(x=x1, y=y1, mode="markers", name=lab["now"],
                      marker=dict(size=5, color=C_NET, opacity=0.8),
                      hovertemplate="φ = %{x:.1f}°<br>%{y:.3g}<extra></extra>")]
    fig_layout = train_layout(lab, ylog=True)
    fig_layout["xaxis"].update(range=[-180, 180], tickvals=list(range(-180, 181, 90)))
    return make_figure(traces, fig_layout)


def rd_fig(t, rd, concentration=None, *, labels=None) -> go.Figure:
    """RD(t) = ‖θ_w(t) − θ_w(0)‖/‖θ_w(0)‖ over time (log y), and the concentration of the
    output mass (:func:`ntklab.experiments.regimes.concentration`): two traces, always."""
    lab = merge_labels({"title": "", "x": "t = Σ η_k", "y": "", "rd": "RD(t)",
                        "concentration": "concentration"}, labels)
    return curves_over_time_fig(t, [dict(name=lab["rd"], y=rd, color=C_NET),
                                    dict(name=lab["concentration"], y=concentration,
                                         color=COLORS[3], dash="dash")], labels=lab)


def sweep_fig(sweep=None, *, labels=None, u_range=None) -> go.Figure:
    """RD (mean over random seeds) against width on log-log axes with its fitted power law
    and slope (measured by :func:`~ntklab.experiments.regimes.rd_vs_width`); empty when
    ``sweep`` is None (its x axis over ``u_range``, the widths to come, when given). Two
    traces, always."""
    lab = merge_labels({"title": "", "x": "width m", "y": "RD", "rd": "RD"}, labels)
    if sweep is None:
        return loglog_fig([], [dict(name=lab["rd"], y=None)], labels=lab, u_range=u_range)
    return loglog_fig(sweep.widths, [dict(name=lab["rd"], y=sweep.rd.mean(axis=1),
                                          fit=sweep.fit, slope=sweep.slope, color=C_NET)],
                      labels=lab)


def map_fig(diagram, current=None, *, labels=None) -> go.Figure:
    """The measured phase diagram: the slope of RD against m at each (γ′, γ) cell (colour,
    0 white), cells that did not converge within the cap crossed, the theorem's boundary
    {γ = 1, γ′ ≤ 0} ∪ {γ′ = γ − 1, γ ≥ 1}, the named initializations and the ``current``
    (γ, γ′) marked. Five traces, always."""
    lab = merge_labels({"title": "", "x": "γ′", "y": "γ", "slope": "slope of RD vs m",
                        "boundary": "boundary (Luo et al. 2021)",
                        "unconverged": "not converged", "named": "named inits",
                        "current": "this net"}, labels)
    gp, g = np.asarray(diagram.gamma_primes), np.asarray(diagram.gammas)
    top = float(max(g.max(), 1.0)) + 0.2
    left = float(gp.min()) - 0.2
    bad = [(gp[j], g[i]) for i in range(g.size) for j in range(gp.size)
           if not diagram.converged[i, j]]
    hover = "γ′ = %{x}<br>γ = %{y}<br>slope %{z:+.2f}<extra></extra>"
    traces = [
        heatmap(x=gp, y=g, z=np.asarray(diagram.slope), zmid=0.0, zmin=-1.0, zmax=1.0,
                colorscale="RdBu", reversescale=True, hovertemplate=hover,
                colorbar=dict(title=dict(text=lab["slope"], side="right"), thickness=12)),
        scatter(x=[b[0] for b in bad], y=[b[1] for b in bad], mode="markers",
                name=lab["unconverged"], marker=dict(symbol="x-thin", size=9, color="black",
                                                      line=dict(width=1.5))),
        scatter(x=[left, 0.0, top - 1.0], y=[1.0, 1.0, top], mode="lines",
                name=lab["boundary"], line=dict(color="black", width=2.5)),
        scatter(x=[n[2] for n in diagram.named], y=[n[1] for n in diagram.named],
                mode="markers+text", text=[n[0] for n in diagram.named],
                textposition="top center", name=lab["named"],
                marker=dict(symbol="circle-open", size=12, color="black",
                            line=dict(width=2))),
        scatter(x=[] if current is None else [current[1]],
                y=[] if current is None else [current[0]], mode="markers",
                name=lab["current"], marker=dict(symbol="star", size=16, color="#ff7f0e",
                                                 line=dict(color="black", width=1))),
    ]
    fig_layout = layout(lab)
    fig_layout.pop("template", None)
    fig_layout.update(height=420, margin=dict(l=60, r=20, t=40, b=50),
                      legend=dict(orientation="h", yanchor="top", y=-0.15, xanchor="left",
                                  x=0.0))
    fig_layout["xaxis"].update(range=[left, float(gp.max()) + 0.2])
    fig_layout["yaxis"].update(range=[float(g.min()) - 0.2, top])
    return make_figure(traces, fig_layout)
