"""The look shared by every ntklab figure, and the fast path the dashboards build in.

Colours, the layout of a plot (:func:`layout`, and :func:`train_layout` for the training
views, legend below the axes), trace constructors (:func:`scatter`, :func:`heatmap`,
:func:`line`) and :func:`for_widgets`: inside it, figures are built as plain dicts without
plotly's validation or template, which a dashboard's widgets already carry. Symbols follow
docs/science.md: λ_i eigenvalues, v_i eigenvectors, t = η·steps, α_i(t) residual
components, Δ_k relative error at frequency k.

Every builder in :mod:`ntklab.figures` takes ``labels``, a mapping that overrides its
default English title and axis titles (keys ``title``, ``x``, ``y`` and, where a builder
names them, trace names); the dashboards pass translated strings. Builders that show a
varying number of curves always return the same number of traces (unused ones hidden), so a
widget can be updated in place.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Mapping

import numpy as np
import plotly.graph_objects as go

__all__ = [
    "COLORS",
    "GREY",
    "HEIGHT",
    "MAX_MARKERS",
    "TRAIN_HEIGHT",
    "for_widgets",
    "heatmap",
    "layout",
    "line",
    "make_figure",
    "merge_labels",
    "positive",
    "scatter",
    "train_layout",
    "widgets_mode",
]

COLORS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b")
GREY = "#7f7f7f"
HEIGHT = 330


def merge_labels(defaults: Mapping[str, str], labels: Mapping[str, str] | None) -> dict:
    """A builder's default labels, overridden by the non-None entries of ``labels``."""
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


def widgets_mode() -> bool:
    """True inside :func:`for_widgets` (this thread)."""
    return _TEMPLATE.get() is None  # inside for_widgets()


def scatter(**props):
    """``go.Scatter(**props)``; inside :func:`for_widgets` a plain dict (not validated:
    plotly's per-property checks were most of a redraw's Python time)."""
    return _unset_none("scatter", props) if widgets_mode() else go.Scatter(**props)


def heatmap(**props):
    """``go.Heatmap(**props)``, or a plain dict inside :func:`for_widgets`."""
    return _unset_none("heatmap", props) if widgets_mode() else go.Heatmap(**props)


def _unset_none(kind, props):
    """A trace dict without None values (plotly's validation treats None as unset)."""
    out = {"type": kind}
    for key, value in props.items():
        if isinstance(value, dict):
            value = {k: v for k, v in value.items() if v is not None}
        if value is not None:
            out[key] = value
    return out


def make_figure(traces, fig_layout) -> go.Figure:
    """A figure of these traces and layout (unvalidated inside :func:`for_widgets`)."""
    return go.Figure(traces, fig_layout, _validate=not widgets_mode())


def layout(lab: dict, *, ylog=False, xlog=False, **extra) -> dict:
    """The layout of a plot: title, axis titles (``lab``), log axes, fixed margins."""
    out = dict(
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
    out["template"] = {} if _TEMPLATE.get() is None else _TEMPLATE.get()
    return out


def positive(a, floor=1e-300):
    """|a| with exact zeros lifted to ``floor`` so log axes can draw them."""
    return np.maximum(np.abs(np.asarray(a, dtype=np.float64)), floor)


MAX_MARKERS = 100  # a line of more points is drawn without markers


TRAIN_HEIGHT = 420  # the training views' figures: legend below the axes


def train_layout(lab: dict, **kw) -> dict:
    """:func:`layout` with the legend under the x axis (these figures name up to seven
    traces; a legend above the plot would cover the title) and without a template.

    The training views redraw several figures per second while a net trains, and
    validating a template costs about 60 ms per figure; the dashboards' widgets carry
    ``plotly_white`` already. Shown alone, add ``fig.update_layout(template=...)``.
    """
    out = layout(lab, **kw)
    if not widgets_mode():  # (inside for_widgets() it is already the empty one)
        out.pop("template", None)
    out.update(height=TRAIN_HEIGHT, margin=dict(l=60, r=20, t=40, b=50),
                  legend=dict(orientation="h", yanchor="top", y=-0.2, xanchor="left", x=0.0))
    return out


def line(x, y, name, color, *, dash=None, width=2.0, visible=True, mode="lines",
          hover="x", opacity=None, marker_size=6):
    x = [] if x is None else x
    y = [] if y is None else y
    return scatter(x=x, y=y, mode=mode, name=name, visible=visible, opacity=opacity,
                      line=dict(color=color, width=width, dash=dash),
                      marker=dict(size=marker_size, color=color),
                      hovertemplate=f"{hover} = %{{x:.3g}}<br>%{{y:.4g}}<extra>{name}</extra>")


