"""The dashboards' figures on the Python side: a ``go.FigureWidget`` that a page opened later
still draws correctly (:func:`live_figure_widget_class`), and :func:`sync_figure`, which
brings such a widget up to date with a freshly built ``go.Figure`` sending only what changed.

Every dashboard figure is one widget made by :func:`live_figure_widget_class`, created once
with the dashboard; each result (or frame, while training) is built by
:mod:`ntklab.figures` and applied with :func:`sync_figure` under the widget's
``state_lock``. Under ``ntklab app`` the widget's browser half is ntklab's own
(:mod:`ntklab.app.serving.plotly_bundle`).

Importing this module does not import plotly: :func:`live_figure_widget_class` does, on the
first dashboard built.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import plotly.graph_objects as go

__all__ = ["live_figure_widget_class", "sync_figure"]

_LIVE_FIGURE_WIDGET = None
_FIGURE_STATE = ("_widget_data", "_widget_layout")  # what LiveFigureWidget refreshes


def live_figure_widget_class():
    """``go.FigureWidget`` whose synced state is brought up to date whenever a page asks.

    plotly sends updates to open views as messages (restyle, relayout) and syncs its
    ``_widget_data``/``_widget_layout`` state only at construction and when the figure
    itself is displayed. Inside a dashboard the figure is displayed as part of a box, and
    in Voila the page connects after the notebook ran while the worker may already have
    drawn: the view would start from the empty state. Refreshing the state in
    ``get_state`` (called when a page requests widget states) fixes this at no cost per
    update.
    """
    global _LIVE_FIGURE_WIDGET
    if _LIVE_FIGURE_WIDGET is None:
        import copy

        from .plotly_bundle import front_end_esm, import_graph_objects

        go = import_graph_objects()  # with the widgets, not at package import; fast path

        class LiveFigureWidget(go.FigureWidget):
            state_lock = None

            def __init__(self, *args, **kwargs):
                self.state_lock = threading.RLock()
                super().__init__(*args, **kwargs)
                # Updates come from ntklab.figures' builders, which plotly has validated
                # (in notebooks) and tests check: validating each update again cost about
                # 10 ms per 3000-point trace.
                self._validate = False

            def get_state(self, key=None, drop_defaults=False):
                # ipywidgets also calls this for every single-trait message (each
                # figure update): refresh only when the figure's state is asked for
                keys = (key,) if isinstance(key, str) else key
                wanted = keys is None or any(k in _FIGURE_STATE for k in keys)
                if wanted and getattr(self, "_layout_obj", None) is not None \
                        and self.state_lock:
                    with self.state_lock:
                        # set without notification: no extra message, only fresh state
                        self._trait_values["_widget_data"] = copy.deepcopy(self._data)
                        self._trait_values["_widget_layout"] = copy.deepcopy(
                            self._layout_obj._props)
                return super().get_state(key=key, drop_defaults=drop_defaults)

        front_end = front_end_esm()  # under `ntklab app`: ntklab's plotly.js by URL
        if front_end is not None:
            LiveFigureWidget._esm = front_end
        _LIVE_FIGURE_WIDGET = LiveFigureWidget
    return _LIVE_FIGURE_WIDGET


# ---------------------------------------------------------------------------------------
# Refreshing a widget with a new figure


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
