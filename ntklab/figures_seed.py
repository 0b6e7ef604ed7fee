"""Plotly builders for the seed-figure reproductions and the teaching notebooks.

Pure functions: a result dataclass from :mod:`ntklab.reproduce` in, ``go.Figure`` out; no
science here. Shared builders from :mod:`ntklab.figures` are reused where they fit.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .figures import COLORS, eigenvectors_fig, zero_crossings_fig

__all__ = [
    "decay_rates_fig",
    "ensemble_fig",
    "frequency_errors_fig",
    "init_comparison_fig",
    "kernel_convergence_fig",
    "linearization_fig",
    "loglog_fit_fig",
    "outputs_at_init_fig",
    "residual_decay_fig",
    "spectrum_figure_figs",
    "trick_comparison_fig",
]

GREY = "#7f7f7f"


def _style(fig, title, height=360, **layout):
    fig.update_layout(title=dict(text=title, x=0.02, font=dict(size=15)), template="plotly_white",
                      height=height, margin=dict(l=60, r=20, t=50, b=50), **layout)
    return fig


def spectrum_figure_figs(res) -> tuple[go.Figure, go.Figure]:
    """Seed 003 Fig. 1.1: (a) chosen eigenvectors over x, (b) zero crossings against index."""
    n = res.x.shape[0]
    a = eigenvectors_fig(res.x, res.V, res.shown, max_traces=len(res.shown), labels={
        "title": f"Fig. 1.1a — eigenvectors v_i of the NTK Gram matrix (n = {n})"})
    b = zero_crossings_fig(res.crossings, highlight=res.shown, labels={
        "title": "Fig. 1.1b — zero crossings of v_i (λ_i descending with i)"})
    return a, b


def residual_decay_fig(res) -> go.Figure:
    """|α_i(t)| measured by GD (markers) and α_i(0)e^{−λ_i t} (lines), log y."""
    fig = go.Figure()
    every = max(1, res.t.shape[0] // 25)
    for j, i in enumerate(res.indices):
        c = COLORS[j % len(COLORS)]
        fig.add_scatter(x=res.t, y=np.abs(res.predicted[:, j]), mode="lines",
                        line=dict(color=c, width=1.5), name=f"α_{i}(0)·e^(−λ_{i} t)")
        fig.add_scatter(x=res.t[::every], y=np.abs(res.measured[::every, j]), mode="markers",
                        marker=dict(color=c, size=6, symbol="circle-open"),
                        name=f"|α_{i}| measured (GD)")
    fig.update_yaxes(type="log", title="|α_i(t)|", exponentformat="power")
    fig.update_xaxes(title="t = η·steps")
    return _style(fig, "Residual along eigenvectors: measured vs e^(−λ_i t)")


def frequency_errors_fig(res) -> go.Figure:
    """Δ_k(t) for each frequency: closed form (lines) and, if run, a finite net (markers)."""
    fig = go.Figure()
    for j, k in enumerate(res.freqs):
        c = COLORS[j % len(COLORS)]
        fig.add_scatter(x=res.t, y=res.delta_lin[:, j], mode="lines", line=dict(color=c),
                        name=f"k = {k}, infinite width (linearized)")
        if res.delta_net is not None:
            keep = res.t_net > 0
            fig.add_scatter(x=res.t_net[keep], y=res.delta_net[keep, j], mode="markers",
                            marker=dict(color=c, size=6, symbol="x"),
                            name=f"k = {k}, width-{res.width} net (GD)")
    fig.update_xaxes(type="log", title="t = η·steps")
    fig.update_yaxes(type="log", title="Δ_k(t) = |ĥ_k − ŷ_k| / |ŷ_k|", exponentformat="power")
    return _style(fig, f"Relative error per frequency, target {res.target}")


def loglog_fit_fig(u, v, slope, *, title, x, y, name="measured", extra=None) -> go.Figure:
    """Points v(u) on log-log axes with the fitted power law through their geometric mean."""
    u, v = np.asarray(u, dtype=np.float64), np.asarray(v, dtype=np.float64)
    c = np.exp(np.mean(np.log(v)) - slope * np.mean(np.log(u)))
    fig = go.Figure([
        go.Scatter(x=u, y=v, mode="markers+lines", name=name, marker=dict(size=8),
                   line=dict(color=COLORS[0], width=1)),
        go.Scatter(x=u, y=c * u**slope, mode="lines", name=f"fit: slope {slope:.2f}",
                   line=dict(color=COLORS[1], dash="dash")),
    ])
    for trace in extra or ():
        fig.add_trace(trace)
    fig.update_xaxes(type="log", title=x)
    fig.update_yaxes(type="log", title=y, exponentformat="power")
    return _style(fig, title)


def decay_rates_fig(res) -> go.Figure:
    """Measured convergence rate per frequency with the fitted c₁ξ⁻⁴ + c₂ξ⁻² theory."""
    theory = go.Scatter(x=res.xi, y=res.theory, mode="lines", line=dict(color=COLORS[2]),
                        name=f"theory fit {res.c1:.3g}·ξ⁻⁴ + {res.c2:.3g}·ξ⁻²")
    return loglog_fit_fig(res.xi, res.rate, res.slope, title="Convergence rate per frequency ξ",
                          x="frequency ξ", y="rate 1/t_e", name="measured (linearized model)",
                          extra=[theory])


def kernel_convergence_fig(res) -> tuple[go.Figure, go.Figure]:
    """(a) relative error of the empirical NTK vs width; (b) spread of one kernel entry."""
    a = loglog_fit_fig(res.widths, res.rel_error.mean(axis=1), res.slope_error,
                       title="Empirical NTK at init vs the infinite-width formula",
                       x="width m", y="‖K_m − K_∞‖_F / ‖K_∞‖_F (mean over seeds)")
    b = go.Figure()
    for i, m in enumerate(res.widths):
        b.add_scatter(x=np.full(res.entries.shape[1], m), y=res.entries[i], mode="markers",
                      marker=dict(color=COLORS[0], size=6, opacity=0.6), showlegend=i == 0,
                      name="one net per seed")
    b.add_scatter(x=res.widths, y=np.full(res.widths.shape, res.entry_inf), mode="lines",
                  line=dict(color=COLORS[1], dash="dash"), name="infinite width")
    b.update_xaxes(type="log", title="width m")
    b.update_yaxes(title=f"K(x = {res.pair[0]}, x' = {res.pair[1]})")
    _style(b, f"The NTK at init concentrates (std slope {res.slope_spread:.2f})")
    return a, b


def outputs_at_init_fig(res) -> go.Figure:
    """Histogram of f(x₀) over initializations with the N(0, Σ(x₀, x₀)) density."""
    sd = np.sqrt(res.var_nngp)
    grid = np.linspace(-4 * sd, 4 * sd, 200)
    pdf = np.exp(-grid**2 / (2 * res.var_nngp)) / np.sqrt(2 * np.pi * res.var_nngp)
    fig = go.Figure([
        go.Histogram(x=res.outputs, histnorm="probability density", nbinsx=50,
                     name=f"{res.outputs.shape[0]} nets of width {res.width}",
                     marker=dict(color=COLORS[0], opacity=0.6)),
        go.Scatter(x=grid, y=pdf, mode="lines", line=dict(color=COLORS[1]),
                   name=f"N(0, Σ(x₀, x₀) = {res.var_nngp:.3g})"),
    ])
    fig.update_xaxes(title=f"f(x₀ = {res.x0}; θ₀)")
    fig.update_yaxes(title="density")
    return _style(fig, f"Outputs at init: measured variance {res.var_measured:.3g}")


def linearization_fig(res, width_index=0) -> go.Figure:
    """f_NN and f_lin at the end of training for one width, with the training data."""
    i = width_index
    fig = go.Figure([
        go.Scatter(x=res.x_train, y=res.y_train, mode="markers", name="training points",
                   marker=dict(color=GREY, size=7)),
        go.Scatter(x=res.x_eval, y=res.f_net[i, -1], mode="lines", name="f_NN (trained net)",
                   line=dict(color=COLORS[0], width=2)),
        go.Scatter(x=res.x_eval, y=res.f_lin[i, -1], mode="lines", name="f_lin (linearized)",
                   line=dict(color=COLORS[1], dash="dash", width=2)),
    ])
    fig.update_xaxes(title="x")
    fig.update_yaxes(title="f(x)")
    return _style(fig, f"Width {res.widths[i]}: net vs linearization after {res.steps} steps")


def init_comparison_fig(res) -> go.Figure:
    """Seed 003 Fig. 1.2 layout: rows = init scales; columns = init on test, end on train,
    end on test (target dashed red, network solid blue, as in the seed)."""
    rows = res.scales.shape[0]
    titles = []
    for s in res.scales:
        titles += [f"s = {s:g}: output at init (test)", f"s = {s:g}: trained (train)",
                   f"s = {s:g}: trained (test)"]
    fig = make_subplots(rows=rows, cols=3, subplot_titles=titles)
    for r in range(rows):
        panels = [(res.x_test, res.y_test, res.f0_test[r]),
                  (res.x_train, res.y_train, res.f_train[r]),
                  (res.x_test, res.y_test, res.f_test[r])]
        for c, (x, y, f) in enumerate(panels):
            first = r == 0 and c == 0
            fig.add_scatter(x=x, y=y, mode="lines", line=dict(color="red", dash="dash"),
                            name="target f(x)", showlegend=first, row=r + 1, col=c + 1)
            fig.add_scatter(x=x, y=f, mode="lines", line=dict(color=COLORS[0], width=1.2),
                            name="network", showlegend=first, row=r + 1, col=c + 1)
    return _style(fig, f"Fig. 1.2 — large vs small init ({res.target}, width {res.width})",
                  height=300 * rows)


_TRICK_STYLE = {"plain": ("blue", "solid"), "asi": ("darkcyan", "dot"),
                "doubling": ("green", "dash"), "rnd": ("black", "solid")}


def trick_comparison_fig(res) -> tuple[go.Figure, go.Figure, go.Figure]:
    """Seed 003 Fig. 1.4: (a) final test outputs and eq. 1.14; (b) prior term; (c) losses."""
    a = go.Figure([go.Scatter(x=res.x_train, y=res.y_train, mode="markers", name="training set",
                              marker=dict(color="black", symbol="star", size=10))])
    for j, name in enumerate(res.tricks):
        if name == "rnd":
            continue
        color, dash = _TRICK_STYLE[name]
        a.add_scatter(x=res.x_test, y=res.f_test[j], mode="lines", name=name,
                      line=dict(color=color, dash=dash))
    a.add_scatter(x=res.x_test, y=res.eq114, mode="lines", name="eq. 1.14 right-hand side",
                  line=dict(color="red", dash="dashdot"))
    a.update_xaxes(title="x")
    a.update_yaxes(title="output")
    _style(a, "Fig. 1.4a — final outputs on the test points")
    b = go.Figure([
        go.Scatter(x=res.x_test, y=res.fit_ini, mode="lines", name="h(x; 0, X, h_ini(X))",
                   line=dict(color="blue")),
        go.Scatter(x=res.x_test, y=res.f0_test[0], mode="lines", name="h_ini",
                   line=dict(color="red", dash="dash")),
        go.Scatter(x=res.x_test, y=20 * np.abs(res.prior), mode="lines",
                   name="20·|h_ini − h(x; 0, X, h_ini(X))|", line=dict(color="darkcyan")),
    ])
    b.update_xaxes(title="x")
    _style(b, "Fig. 1.4b — the prior term of eq. 1.14 (plain net)")
    c = go.Figure()
    loss_colors = {"plain": "blue", "asi": "red", "rnd": "black", "doubling": "gold"}
    for j, name in enumerate(res.tricks):
        c.add_scatter(x=np.maximum(res.steps_recorded, 1), y=res.loss[j], mode="lines",
                      name=name, line=dict(color=loss_colors[name]))
    c.update_xaxes(type="log", title="GD step")
    c.update_yaxes(type="log", title="training loss ½Σ(f − y)²", exponentformat="power")
    _style(c, f"Fig. 1.4c — loss (shared η = {res.lr:.3g})")
    return a, b, c


def ensemble_fig(res) -> go.Figure:
    """Closed-form mean ± 2σ band with the finite-net ensemble's mean ± 2σ."""
    x = res.x_test
    upper, lower = res.mean + 2 * res.std, res.mean - 2 * res.std
    fig = go.Figure([
        go.Scatter(x=np.r_[x, x[::-1]], y=np.r_[upper, lower[::-1]], fill="toself",
                   fillcolor="rgba(31,119,180,0.18)", line=dict(width=0),
                   name="closed form mean ± 2σ (infinite width)"),
        go.Scatter(x=x, y=res.mean, mode="lines", line=dict(color=COLORS[0]),
                   name="closed-form mean"),
        go.Scatter(x=x, y=res.net_mean, mode="lines", line=dict(color=COLORS[1], dash="dash"),
                   name=f"mean of {res.members} nets (width {res.width})"),
        go.Scatter(x=x, y=res.net_mean + 2 * res.net_std, mode="lines",
                   line=dict(color=COLORS[1], dash="dot", width=1), name="nets' mean ± 2σ"),
        go.Scatter(x=x, y=res.net_mean - 2 * res.net_std, mode="lines",
                   line=dict(color=COLORS[1], dash="dot", width=1), showlegend=False),
        go.Scatter(x=res.x_train, y=res.y_train, mode="markers", name="training points",
                   marker=dict(color="black", size=8)),
    ])
    fig.update_xaxes(title="x")
    fig.update_yaxes(title="f_t(x)")
    return _style(fig, f"Trained ensemble at t = {res.t:.3g}")
