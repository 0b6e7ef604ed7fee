"""Plotly figure builders: arrays (or result dataclasses) in, ``go.Figure`` out. No science.

Shared by the dashboards (which wrap each figure in one ``go.FigureWidget`` created once and
refresh it with :func:`sync_figure`) and by notebooks (which simply show the figure).

Every builder takes ``labels``, a mapping that overrides its default English title and axis
titles (keys ``title``, ``x``, ``y`` and, where a builder names them, trace names); the
dashboards pass translated strings. Builders that show a varying number of curves always
return the same number of traces (unused ones hidden), so a widget can be updated in place.
Symbols follow SCIENCE.md: λ_i eigenvalues, v_i eigenvectors, t = η·steps, α_i(t) residual
components, Δ_k relative error at frequency k.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go

__all__ = [
    "COLORS",
    "eigenvalue_decay_fig",
    "eigenvectors_fig",
    "fit_over_time_fig",
    "for_widgets",
    "frequency_heatmap_fig",
    "residual_components_fig",
    "sync_figure",
    "zero_crossings_fig",
]

COLORS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b")
GREY = "#7f7f7f"
HEIGHT = 330


def _labels(defaults: Mapping[str, str], labels: Mapping[str, str] | None) -> dict:
    out = dict(defaults)
    if labels:
        out.update({k: v for k, v in labels.items() if v is not None})
    return out


_TEMPLATE = contextvars.ContextVar("ntklab_figure_template", default="plotly_white")


@contextlib.contextmanager
def for_widgets():
    """Build figures for the dashboards' widgets inside this block (this thread only):
    without a layout template and without plotly's validation.

    The dashboards' ``FigureWidget``\\ s carry ``plotly_white`` from their creation and
    :func:`sync_figure` never resends it, while validating a template costs about 20 ms
    per figure (measured: the spectrum view's three figures 69 ms → 12 ms to build).
    Validating each trace's properties cost another 6 ms per six-trace figure (1.3 ms
    unvalidated); the builders' output is checked by tests and by plotly in notebooks.
    Figures built outside the block, for notebooks, keep the template and validation.
    """
    token = _TEMPLATE.set(None)
    try:
        yield
    finally:
        _TEMPLATE.reset(token)


def _widgets_mode() -> bool:
    return _TEMPLATE.get() is None  # inside for_widgets()


def _scatter(**props):
    """``go.Scatter(**props)``; inside :func:`for_widgets` a plain dict (not validated:
    plotly's per-property checks were most of a redraw's Python time)."""
    return _unset_none("scatter", props) if _widgets_mode() else go.Scatter(**props)


def _heatmap(**props):
    return _unset_none("heatmap", props) if _widgets_mode() else go.Heatmap(**props)


def _unset_none(kind, props):
    """A trace dict without None values (plotly's validation treats None as unset)."""
    out = {"type": kind}
    for key, value in props.items():
        if isinstance(value, dict):
            value = {k: v for k, v in value.items() if v is not None}
        if value is not None:
            out[key] = value
    return out


def _figure(traces, layout) -> go.Figure:
    return go.Figure(traces, layout, _validate=not _widgets_mode())


def _layout(lab: dict, *, ylog=False, xlog=False, **extra) -> dict:
    layout = dict(
        title=dict(text=lab["title"], x=0.02, xanchor="left", font=dict(size=15)),
        xaxis=dict(title=dict(text=lab["x"]), type="log" if xlog else "linear"),
        yaxis=dict(title=dict(text=lab["y"]), type="log" if ylog else "linear",
                   exponentformat="power"),
        height=HEIGHT,
        # fixed margins: the legend fits in the top one, and plotly.js then skips the
        # auto-margin pass that re-draws each plot (page open: 0.83 → 0.45 s of rendering)
        margin=dict(l=60, r=20, t=45, b=50, autoexpand=False),
        legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="right", x=1.0),
        **extra,
    )
    # inside for_widgets() an empty template: plotly would otherwise copy its default one
    # into every figure built (3.5 ms each), only for sync_figure to drop it
    layout["template"] = {} if _TEMPLATE.get() is None else _TEMPLATE.get()
    return layout


def _positive(a, floor=1e-300):
    """|a| with exact zeros lifted to ``floor`` so log axes can draw them."""
    return np.maximum(np.abs(np.asarray(a, dtype=np.float64)), floor)


MAX_MARKERS = 100  # a line of more points is drawn without markers


def eigenvalue_decay_fig(lam, *, labels=None) -> go.Figure:
    """Eigenvalues λ_i (descending) against their index i = 1…k, log y axis."""
    lab = _labels({"title": "Eigenvalue decay", "x": "index i", "y": "λ_i"}, labels)
    lam = np.asarray(lam, dtype=np.float64)
    i = np.arange(1, lam.shape[0] + 1)
    # markers only where they can be told apart: hundreds of SVG markers were most of
    # the browser's redraw of this plot (n = 500: the whole spectrum)
    mode = "lines+markers" if lam.shape[0] <= MAX_MARKERS else "lines"
    trace = _scatter(x=i, y=_positive(lam), mode=mode, name="λ_i",
                       marker=dict(size=4, color=COLORS[0]), line=dict(color=COLORS[0]),
                       hovertemplate="i = %{x}<br>λ_i = %{y:.3e}<extra></extra>")
    return _figure([trace], _layout(lab, ylog=True, showlegend=False))


def eigenvectors_fig(x, V, indices: Sequence[int], *, max_traces=6, labels=None) -> go.Figure:
    """Eigenvectors v_i over x for the chosen 1-based indices (at most ``max_traces``).

    Always returns ``max_traces`` traces; those beyond ``len(indices)`` are hidden.
    """
    lab = _labels({"title": "Eigenvectors v_i over x", "x": "x", "y": "v_i(x)"}, labels)
    x = np.asarray(x, dtype=np.float64)
    V = np.asarray(V, dtype=np.float64)
    indices = list(indices)[:max_traces]
    traces = []
    for slot in range(max_traces):
        if slot < len(indices):
            i = int(indices[slot])
            traces.append(_scatter(x=x, y=V[:, i - 1], mode="lines", name=f"v_{i}",
                                     visible=True, line=dict(color=COLORS[slot], width=1.6)))
        else:
            traces.append(_scatter(x=[], y=[], mode="lines", name="", visible=False,
                                     line=dict(color=COLORS[slot % len(COLORS)])))
    return _figure(traces, _layout(lab))


def zero_crossings_fig(crossings, *, highlight: Sequence[int] = (), labels=None) -> go.Figure:
    """Zero crossings of v_i against i, with the guide line i − 1 and chosen indices marked."""
    lab = _labels({"title": "Zero crossings of v_i", "x": "index i", "y": "zero crossings",
                   "guide": "i − 1", "count": "crossings"}, labels)
    c = np.asarray(crossings)
    i = np.arange(1, c.shape[0] + 1)
    chosen = [j for j in highlight if 1 <= j <= c.shape[0]]
    traces = [
        _scatter(x=i, y=i - 1, mode="lines", name=lab["guide"],
                   line=dict(color=GREY, dash="dot", width=1), hoverinfo="skip"),
        # beyond MAX_MARKERS points a line (SVG markers dominated the browser's redraw)
        _scatter(x=i, y=c, mode="markers" if c.shape[0] <= MAX_MARKERS else "lines",
                   name=lab["count"], marker=dict(size=5, color=COLORS[0]),
                   line=dict(color=COLORS[0], width=1.5),
                   hovertemplate="i = %{x}<br>%{y}<extra></extra>"),
        _scatter(x=chosen, y=[int(c[j - 1]) for j in chosen], mode="markers", name="",
                   showlegend=False, marker=dict(size=11, color="rgba(0,0,0,0)",
                                                 line=dict(color=COLORS[1], width=2)),
                   hoverinfo="skip"),
    ]
    return _figure(traces, _layout(lab))


def fit_over_time_fig(x_test, y_test, f_test, x_train, y_train, *, t=None, f_net=None,
                      labels=None) -> go.Figure:
    """Target on a fine grid, training points, the model output f_t(x) at time t and,
    optionally, a second output ``f_net`` on the same grid (e.g. a trained finite net).
    Four traces, always (the fourth empty without ``f_net``)."""
    lab = _labels({"title": "Fit at time t", "x": "x", "y": "f(x)", "target": "target y(x)",
                   "train": "training points", "model": "f_t(x)", "net": "f_NN(x)"}, labels)
    if t is not None:
        lab["title"] = f"{lab['title']} = {t:.3g}"
    traces = [
        _scatter(x=x_test, y=y_test, mode="lines", name=lab["target"],
                   line=dict(color=GREY, width=1.5, dash="dash")),
        _scatter(x=x_train, y=y_train, mode="markers", name=lab["train"],
                   marker=dict(size=4, color=GREY)),
        _scatter(x=x_test, y=f_test, mode="lines", name=lab["model"],
                   line=dict(color=COLORS[0], width=2)),
        _scatter(x=[] if f_net is None else x_test, y=[] if f_net is None else f_net,
                   mode="lines", name=lab["net"], showlegend=f_net is not None,
                   line=dict(color=COLORS[1], width=2)),
    ]
    return _figure(traces, _layout(lab))


def residual_components_fig(alpha, alpha0, *, max_index=60, labels=None) -> go.Figure:
    """|α_i(t)| and |α_i(0)| against the eigen-index i (log y): large-λ components go first."""
    lab = _labels({"title": "Residual in the eigenbasis", "x": "index i (λ_i descending)",
                   "y": "|α_i|", "now": "|α_i(t)|", "start": "|α_i(0)|"}, labels)
    k = min(int(max_index), np.asarray(alpha).shape[0])
    i = np.arange(1, k + 1)
    floor = 1e-16 * max(float(np.max(np.abs(alpha0))), 1e-300)
    traces = [
        _scatter(x=i, y=_positive(np.asarray(alpha0)[:k], floor), mode="markers",
                   name=lab["start"], marker=dict(size=6, color="#c7c7c7", symbol="circle-open")),
        _scatter(x=i, y=_positive(np.asarray(alpha)[:k], floor), mode="markers",
                   name=lab["now"], marker=dict(size=5, color=COLORS[1])),
    ]
    return _figure(traces, _layout(lab, ylog=True))


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
    lab = _labels({"title": "Relative error per frequency, log₁₀ Δ_k(t)", "x": "t = η·steps",
                   "y": "frequency k", "color": "log₁₀ Δ_k"}, labels)
    z = np.log10(np.maximum(np.asarray(delta, dtype=np.float64).T, 1e-16))
    heat = _heatmap(
        x=np.asarray(t_grid), y=[str(int(k)) for k in freqs], z=z, zmin=-4, zmax=0.5,
        colorscale=_viridis(), colorbar=dict(title=dict(text=lab["color"]), thickness=12),
        hovertemplate="t = %{x:.3g}<br>k = %{y}<br>log₁₀ Δ = %{z:.2f}<extra></extra>",
    )
    shapes = []
    if t_now is not None:
        shapes.append(dict(type="line", xref="x", yref="paper", x0=t_now, x1=t_now, y0=0,
                           y1=1, line=dict(color="white", width=2, dash="dot")))
    layout = _layout(lab, xlog=True, shapes=shapes)
    layout["yaxis"]["type"] = "category"
    layout["margin"]["autoexpand"] = True  # room for the colour bar, right of the axes
    return _figure([heat], layout)


def _same(a, b) -> bool:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        try:
            return np.array_equal(np.asarray(a), np.asarray(b))
        except (TypeError, ValueError):
            return False
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def _changes(old: dict, new: dict) -> dict:
    """The top-level entries of ``new`` that differ from ``old``."""
    return {k: v for k, v in new.items() if k not in old or not _same(old[k], v)}


def _no_nan(value):
    """``value`` (plotly JSON: dicts, lists, arrays, numbers) with every NaN or ±inf
    replaced by None (JSON null, which plotly draws as a gap). A NaN in a widget's state is
    not valid JSON: a page that connects later would fail to draw the figure."""
    if isinstance(value, np.ndarray):
        if value.dtype.kind in "fc":
            bad = ~np.isfinite(value)
            if bad.any():
                out = value.astype(object)
                out[bad] = None
                return out.tolist()
        elif value.dtype.kind == "O":
            return [_no_nan(v) for v in value.tolist()]
        return value
    if isinstance(value, dict):
        return {k: _no_nan(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_no_nan(v) for v in value]
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return value


def _props(obj) -> dict:
    """A plotly object's properties, read-only and without the deep copy of
    ``to_plotly_json`` (for a 3000-point trace that copy is most of a redraw's time)."""
    props = getattr(obj, "_props", None)
    return props if isinstance(props, dict) else obj.to_plotly_json()


def sync_figure(target: go.Figure, source: go.Figure) -> bool:
    """Make ``target`` (typically a FigureWidget) show ``source``'s data and layout.

    Only what changed is sent: with the same number and types of traces, the changed
    properties go in one ``batch_update`` (one message to the browser, none if nothing
    changed); otherwise the traces are replaced. The layout template is set once, when the
    widget is created, and not resent. NaN and ±inf become gaps (None), so the widget's
    state stays valid JSON. Returns whether anything was sent.
    """
    new_layout = {k: v for k, v in _props(source.layout).items() if k != "template"}
    new_layout = _no_nan(new_layout)
    old_layout = {}  # the widget's values of these keys only (its template is large)
    for key in new_layout:
        try:
            value = target.layout[key]
        except (KeyError, ValueError):
            continue
        if isinstance(value, tuple):  # e.g. layout.shapes: a tuple of plotly objects
            value = [_props(v) if hasattr(v, "to_plotly_json") else v for v in value]
        old_layout[key] = _props(value) if hasattr(value, "to_plotly_json") else value
    new_traces = [_no_nan(_props(t)) for t in source.data]  # _no_nan copies containers
    same = len(target.data) == len(source.data) and all(
        a.type == b.type for a, b in zip(target.data, source.data, strict=True)
    )
    if not same:  # a different set of traces: replace them (two messages, not one)
        target.data = ()
        target.add_traces(new_traces)
        target.layout.update(new_layout, overwrite=True)
        return True
    trace_changes = [_changes(_props(old), new)
                     for old, new in zip(target.data, new_traces, strict=True)]
    layout_changes = _changes(old_layout, new_layout)
    if not layout_changes and not any(trace_changes):
        return False
    with target.batch_update():
        for trace, change in zip(target.data, trace_changes, strict=True):
            if change:
                trace.update(change, overwrite=True)
        if layout_changes:
            target.layout.update(layout_changes, overwrite=True)
    return True


# ---------------------------------------------------------------------------------------
# Training dashboards (issue 4): lazy training, initialization, prior and ensemble.
# Symbols: m width, s init scale, f_NN the net, f_lin its linearization, f_∞ the
# infinite-width prediction, Σ the NNGP prior covariance, t = η·steps.

__all__ += ["band_fig", "curves_over_time_fig", "curves_over_x_fig", "loglog_slope_fig"]


TRAIN_HEIGHT = 420  # the training views' figures: legend below the axes


def _train_layout(lab: dict, **kw) -> dict:
    """:func:`_layout` with the legend under the x axis (these figures name up to seven
    traces; a legend above the plot would cover the title) and without a template.

    The training views redraw several figures per second while a net trains, and
    validating a template costs about 60 ms per figure; the dashboards' widgets carry
    ``plotly_white`` already. Shown alone, add ``fig.update_layout(template=...)``.
    """
    layout = _layout(lab, **kw)
    if not _widgets_mode():  # (inside for_widgets() it is already the empty one)
        layout.pop("template", None)
    layout.update(height=TRAIN_HEIGHT, margin=dict(l=60, r=20, t=40, b=50),
                  legend=dict(orientation="h", yanchor="top", y=-0.2, xanchor="left", x=0.0))
    return layout


def _line(x, y, name, color, *, dash=None, width=2.0, visible=True, mode="lines",
          hover="x", opacity=None, marker_size=6):
    x = [] if x is None else x
    y = [] if y is None else y
    return _scatter(x=x, y=y, mode=mode, name=name, visible=visible, opacity=opacity,
                      line=dict(color=color, width=width, dash=dash),
                      marker=dict(size=marker_size, color=color),
                      hovertemplate=f"{hover} = %{{x:.3g}}<br>%{{y:.4g}}<extra>{name}</extra>")


def curves_over_x_fig(x, curves: Sequence[Mapping], *, x_train=None, y_train=None,
                      labels=None) -> go.Figure:
    """Functions of x: one line per entry of ``curves`` (keys ``name``, ``y`` (None for an
    empty trace), optional ``color``, ``dash``, ``width``, ``visible``, ``opacity``), then
    the training points. The trace count is ``len(curves) + 1`` whatever is empty.
    """
    lab = _labels({"title": "", "x": "x", "y": "f(x)", "train": "training points"}, labels)
    traces = []
    for i, c in enumerate(curves):
        y = c.get("y")
        traces.append(_line(x if y is not None else None, y, c["name"],
                            c.get("color", COLORS[i % len(COLORS)]), dash=c.get("dash"),
                            width=c.get("width", 2.0), visible=c.get("visible", True),
                            opacity=c.get("opacity")))
    traces.append(_scatter(x=[] if x_train is None else x_train,
                             y=[] if y_train is None else y_train, mode="markers",
                             name=lab["train"], marker=dict(size=7, color="black",
                                                            symbol="x-thin",
                                                            line=dict(width=2))))
    return _figure(traces, _train_layout(lab))


def curves_over_time_fig(t, curves: Sequence[Mapping], *, ylog=True, labels=None) -> go.Figure:
    """Quantities over time t = η·steps, one line (with markers) per entry of ``curves``
    (keys ``name``, ``y``, optional ``color``, ``dash``, ``t`` (its own times)); log y by
    default, where values ≤ 0 are left out."""
    lab = _labels({"title": "", "x": "t = η·steps", "y": ""}, labels)
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
        traces.append(_line(tt if y is not None else None, y, c["name"],
                            c.get("color", COLORS[i % len(COLORS)]), dash=c.get("dash"),
                            width=c.get("width", 2.0), mode="lines+markers", hover="t",
                            marker_size=3))
    return _figure(traces, _train_layout(lab, ylog=ylog))


def loglog_slope_fig(u, series: Sequence[Mapping], *, labels=None) -> go.Figure:
    """Measured values against u on log-log axes with their fitted power laws.

    ``series``: entries with ``name``, ``y`` (None before anything is measured), ``fit``
    (the fitted line at u), ``slope`` (shown in the legend: measured, never imposed) and
    optional ``color``. Two traces per entry (points, dashed fit), always.
    """
    lab = _labels({"title": "", "x": "width m", "y": "", "slope": "slope"}, labels)
    traces = []
    for i, s in enumerate(series):
        color = s.get("color", COLORS[i % len(COLORS)])
        y = s.get("y")
        uu = None if y is None else u
        traces.append(_scatter(x=[] if uu is None else uu, y=[] if y is None else y,
                                 mode="markers", name=s["name"],
                                 marker=dict(size=9, color=color),
                                 hovertemplate="m = %{x}<br>%{y:.3e}<extra></extra>"))
        slope = s.get("slope")
        fit_name = f"{lab['slope']} {slope:+.2f}" if slope is not None else ""
        traces.append(_scatter(x=[] if uu is None else uu,
                                 y=[] if s.get("fit") is None else s["fit"], mode="lines",
                                 name=fit_name, showlegend=slope is not None,
                                 line=dict(color=color, dash="dash", width=1.5),
                                 hoverinfo="skip"))
    layout = _train_layout(lab, xlog=True, ylog=True)
    return _figure(traces, layout)


def band_fig(x, mean, std, *, samples=None, samples_mean=None, x_train=None, y_train=None,
             x_target=None, y_target=None, labels=None) -> go.Figure:
    """A band mean ± 2·std over x (closed form) against finite samples.

    ``samples`` (E, n) are drawn as one trace (thin lines separated by gaps), ``samples_mean``
    as a line; the target and training points are optional. Seven traces, always: band
    top, band bottom (filled), closed-form mean, samples, sample mean, target, points.
    """
    lab = _labels({"title": "", "x": "x", "y": "f(x)", "band": "mean ± 2σ",
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
        _scatter(x=x, y=mean + 2 * std, mode="lines", line=dict(width=0, color=band),
                   showlegend=False, hoverinfo="skip", name=""),
        _scatter(x=x, y=mean - 2 * std, mode="lines", line=dict(width=0, color=band),
                   fill="tonexty", fillcolor=band, name=lab["band"], hoverinfo="skip"),
        _scatter(x=x, y=mean, mode="lines", name=lab["mean"],
                   line=dict(color=COLORS[0], width=2)),
        _scatter(x=sx, y=sy, mode="lines", name=lab["samples"], connectgaps=False,
                   line=dict(color=COLORS[1], width=0.8), opacity=0.45, hoverinfo="skip"),
        _line(x if samples_mean is not None else None, samples_mean, lab["samples_mean"],
              COLORS[1], dash="dash", width=2.2),
        _line(x_target, y_target, lab["target"], GREY, dash="dot", width=1.5),
        _scatter(x=[] if x_train is None else x_train, y=[] if y_train is None else y_train,
                   mode="markers", name=lab["train"],
                   marker=dict(size=7, color="black", symbol="x-thin", line=dict(width=2))),
    ]
    return _figure(traces, _train_layout(lab))


# ---------------------------------------------------------------------------------------
# Frequency principle, linearized model against a trained finite net

__all__ += ["frequency_bands_fig"]


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
    lab = _labels({"title": "Relative error Δ_k(t) of the strongest frequencies",
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
                traces.append(_scatter(x=[], y=[], mode="lines", name="", showlegend=False,
                                         visible=slot < len(freqs),
                                         line=dict(color=color, dash=dash)))
                continue
            t, y = curve[0], curve[1][:, slot]
            keep = (t > 0) & (y > 0) & np.isfinite(y)
            if keep.any():
                top = max(top, float(y[keep].max()))
            name = f"k = {freqs[slot]}, {what}"
            traces.append(_scatter(
                x=t[keep], y=y[keep], mode="lines" if dash else "lines+markers", name=name,
                visible=True, showlegend=True,  # explicit: sync_figure sends only what is set
                line=dict(color=color, dash=dash, width=1.6 if dash else 2.4),
                marker=dict(size=4, color=color),
                hovertemplate=f"t = %{{x:.3g}}<br>Δ = %{{y:.3g}}<extra>{name}</extra>"))
    shapes = []
    if t_now is not None:
        shapes.append(dict(type="line", xref="x", yref="paper", x0=t_now, x1=t_now, y0=0,
                           y1=1, line=dict(color=GREY, width=1.5, dash="dot")))
    layout = _layout(lab, xlog=True, ylog=True, shapes=shapes)
    layout["yaxis"]["range"] = [np.log10(floor), np.log10(1.5 * top)]
    layout.update(height=HEIGHT + 70, margin=dict(l=60, r=20, t=45, b=50),
                  legend=dict(orientation="h", yanchor="top", y=-0.2, xanchor="left", x=0.0,
                              font=dict(size=11)))
    return _figure(traces, layout)
