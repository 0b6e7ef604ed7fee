"""Figures that several claims draw: functions of x, quantities over time, measured power
laws on log-log axes with their fitted lines, and a closed-form band against finite samples.
Arrays in, ``go.Figure`` out; no science. The per-claim modules build on these.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go

from .style import COLORS, GREY, line, make_figure, merge_labels, scatter, train_layout

__all__ = ["band_fig", "curves_over_time_fig", "curves_over_x_fig", "loglog_fig"]


def curves_over_x_fig(x, curves: Sequence[Mapping], *, x_train=None, y_train=None,
                      labels=None) -> go.Figure:
    """Functions of x: one line per entry of ``curves`` (keys ``name``, ``y`` (None for an
    empty trace), optional ``color``, ``dash``, ``width``, ``visible``, ``opacity``), then
    the training points. The trace count is ``len(curves) + 1`` whatever is empty.
    """
    lab = merge_labels({"title": "", "x": "x", "y": "f(x)", "train": "training points"}, labels)
    traces = []
    for i, c in enumerate(curves):
        y = c.get("y")
        traces.append(line(x if y is not None else None, y, c["name"],
                            c.get("color", COLORS[i % len(COLORS)]), dash=c.get("dash"),
                            width=c.get("width", 2.0), visible=c.get("visible", True),
                            opacity=c.get("opacity")))
    traces.append(scatter(x=[] if x_train is None else x_train,
                             y=[] if y_train is None else y_train, mode="markers",
                             name=lab["train"], marker=dict(size=7, color="black",
                                                            symbol="x-thin",
                                                            line=dict(width=2))))
    return make_figure(traces, train_layout(lab))


def curves_over_time_fig(t, curves: Sequence[Mapping], *, ylog=True, labels=None) -> go.Figure:
    """Quantities over time t = η·steps, one line (with markers) per entry of ``curves``
    (keys ``name``, ``y``, optional ``color``, ``dash``, ``t`` (its own times)); log y by
    default, where values ≤ 0 are left out."""
    lab = merge_labels({"title": "", "x": "t = η·steps", "y": ""}, labels)
    traces = []
    for i, c in enumerate(curves):
        y = c.get("y")
        tt = c.get("t", t)
        if y is not None:
            y = np.asarray(y, dtype=np.float64)
            tt = np.asarray(tt, dtype=np.float64)[: y.shape[0]]
            if ylog:  # exact zeros (e.g. at t = 0) would stretch a log axis: leave them out
                keep = y > 0  # (dropped, not NaN: a NaN in a widget's state breaks the page)
                y, tt = y[keep], tt[keep]
        traces.append(line(tt if y is not None else None, y, c["name"],
                            c.get("color", COLORS[i % len(COLORS)]), dash=c.get("dash"),
                            width=c.get("width", 2.0), mode="lines+markers", hover="t",
                            marker_size=3))
    return make_figure(traces, train_layout(lab, ylog=ylog))


def loglog_fig(u, series: Sequence[Mapping], *, lines: Sequence[Mapping] = (),
               labels=None, u_range=None) -> go.Figure:
    """Measured values against u on log-log axes, each with its fitted power law.

    ``series``: entries with ``name``, ``y`` (None before anything is measured), ``fit``
    (the fitted line at u, computed by the experiment: a figure never fits) and ``slope``
    (shown in the legend: measured, never imposed), optional ``color``. Two traces per
    entry (points, dashed fit), always. ``lines``: further curves at u (``name``, ``y``,
    optional ``color``), e.g. a theory, one trace each. Label keys: ``title``, ``x``, ``y``,
    ``slope`` and ``u`` (the symbol in the hover text, default m). ``u_range``: the
    smallest and largest u to come, which set the x axis while nothing is drawn yet (an
    empty figure before a sweep: its axis shows the widths the button will measure).
    """
    lab = merge_labels({"title": "", "x": "width m", "y": "", "slope": "slope", "u": "m"},
                       labels)
    traces = []
    for i, s in enumerate(series):
        color = s.get("color", COLORS[i % len(COLORS)])
        y = s.get("y")
        uu = None if y is None else u
        traces.append(scatter(x=[] if uu is None else uu, y=[] if y is None else y,
                              mode="markers", name=s["name"],
                              marker=dict(size=9, color=color),
                              hovertemplate=f"{lab['u']} = %{{x}}<br>%{{y:.3e}}<extra></extra>"))
        slope = s.get("slope")
        fit_name = f"{lab['slope']} {slope:+.2f}" if slope is not None else ""
        traces.append(scatter(x=[] if uu is None else uu,
                              y=[] if s.get("fit") is None else s["fit"], mode="lines",
                              name=fit_name, showlegend=slope is not None,
                              line=dict(color=color, dash="dash", width=1.5),
                              hoverinfo="skip"))
    for j, c in enumerate(lines):
        traces.append(line(u, c["y"], c["name"], c.get("color", COLORS[(len(series) + j)
                                                                      % len(COLORS)]),
                           width=1.5, hover=lab["u"]))
    fig_layout = train_layout(lab, xlog=True, ylog=True)
    if u_range is not None and all(s.get("y") is None for s in series):
        lo, hi = float(min(u_range)), float(max(u_range))
        fig_layout["xaxis"] = {**fig_layout.get("xaxis", {}),
                               "range": [np.log10(lo) - 0.1, np.log10(hi) + 0.1]}
    return make_figure(traces, fig_layout)


def band_fig(x, mean, std, *, samples=None, samples_mean=None, x_train=None, y_train=None,
             x_target=None, y_target=None, labels=None) -> go.Figure:
    """A band mean ± 2·std over x (closed form) against finite samples.

    ``samples`` (E, n) are drawn as one trace (thin lines separated by gaps), ``samples_mean``
    as a line; the target and training points are optional. Seven traces, always: band
    top, band bottom (filled), closed-form mean, samples, sample mean, target, points.
    """
    lab = merge_labels({"title": "", "x": "x", "y": "f(x)", "band": "mean ± 2σ",
                   "mean": "closed-form mean", "samples": "finite nets",
                   "samples_mean": "mean of the nets", "target": "target y(x)",
                   "train": "training points"}, labels)
    x = np.asarray(x, dtype=np.float64)
    mean, std = np.asarray(mean, dtype=np.float64), np.asarray(std, dtype=np.float64)
    band = "rgba(31,119,180,0.18)"
    if samples is not None and len(samples):
        # one trace, the lines separated by None (JSON null: a gap). Not NaN: a NaN in a
        # FigureWidget's state makes the page fail to draw it.
        samples = np.asarray(samples, dtype=np.float64)
        sx = [v for _ in samples for v in [*x.tolist(), None]]
        sy = [v for row in samples for v in [*row.tolist(), None]]
    else:
        sx = sy = []
    traces = [
        scatter(x=x, y=mean + 2 * std, mode="lines", line=dict(width=0, color=band),
                   showlegend=False, hoverinfo="skip", name=""),
        scatter(x=x, y=mean - 2 * std, mode="lines", line=dict(width=0, color=band),
                   fill="tonexty", fillcolor=band, name=lab["band"], hoverinfo="skip"),
        scatter(x=x, y=mean, mode="lines", name=lab["mean"],
                   line=dict(color=COLORS[0], width=2)),
        scatter(x=sx, y=sy, mode="lines", name=lab["samples"], connectgaps=False,
                   line=dict(color=COLORS[1], width=0.8), opacity=0.45, hoverinfo="skip"),
        line(x if samples_mean is not None else None, samples_mean, lab["samples_mean"],
              COLORS[1], dash="dash", width=2.2),
        line(x_target, y_target, lab["target"], GREY, dash="dot", width=1.5),
        scatter(x=[] if x_train is None else x_train, y=[] if y_train is None else y_train,
                   mode="markers", name=lab["train"],
                   marker=dict(size=7, color="black", symbol="x-thin", line=dict(width=2))),
    ]
    return make_figure(traces, train_layout(lab))


