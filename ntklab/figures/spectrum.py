"""Figures of the spectrum claim (:mod:`ntklab.experiments.spectrum`): eigenvalue decay,
eigenvectors over x, and zero crossings against the index (Fig. 1.1 of Xu's lecture notes).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from .style import COLORS, MAX_MARKERS, layout, make_figure, merge_labels, positive, scatter

__all__ = ["eigenvalue_decay_fig", "eigenvectors_fig", "spectrum_figs", "zero_crossings_fig"]

GUIDE = "#222222"  # the rule i − 1: dark and dashed over the blue counts


def eigenvalue_decay_fig(lam, *, labels=None) -> go.Figure:
    """Eigenvalues λ_i (descending) against their index i = 1…k, log y axis."""
    lab = merge_labels({"title": "Eigenvalue decay", "x": "index i", "y": "λ_i"}, labels)
    lam = np.asarray(lam, dtype=np.float64)
    i = np.arange(1, lam.shape[0] + 1)
    # markers only where they can be told apart: hundreds of SVG markers were most of
    # the browser's redraw of this plot (n = 500: the whole spectrum)
    mode = "lines+markers" if lam.shape[0] <= MAX_MARKERS else "lines"
    trace = scatter(x=i, y=positive(lam), mode=mode, name="λ_i",
                       marker=dict(size=4, color=COLORS[0]), line=dict(color=COLORS[0]),
                       hovertemplate="i = %{x}<br>λ_i = %{y:.3e}<extra></extra>")
    return make_figure([trace], layout(lab, ylog=True, showlegend=False))


def eigenvectors_fig(x, V, indices: Sequence[int], *, max_traces=6, labels=None) -> go.Figure:
    """Eigenvectors v_i over x for the chosen 1-based indices (at most ``max_traces``).

    Always returns ``max_traces`` traces; those beyond ``len(indices)`` are hidden.
    """
    lab = merge_labels({"title": "Eigenvectors v_i over x", "x": "x", "y": "v_i(x)"}, labels)
    x = np.asarray(x, dtype=np.float64)
    V = np.asarray(V, dtype=np.float64)
    indices = list(indices)[:max_traces]
    traces = []
    for slot in range(max_traces):
        if slot < len(indices):
            i = int(indices[slot])
            traces.append(scatter(x=x, y=V[:, i - 1], mode="lines", name=f"v_{i}",
                                     visible=True, line=dict(color=COLORS[slot], width=1.6)))
        else:
            traces.append(scatter(x=[], y=[], mode="lines", name="", visible=False,
                                     line=dict(color=COLORS[slot % len(COLORS)])))
    return make_figure(traces, layout(lab))


def zero_crossings_fig(crossings, *, highlight: Sequence[int] = (), labels=None) -> go.Figure:
    """Zero crossings of v_i against i, with the rule i − 1 and the chosen indices circled.

    Traces: the rule i − 1, the counts and the circles, each with a legend entry (label keys
    ``guide``, ``count``, ``shown``). The rule is drawn over the counts (``zorder``): where
    they follow it exactly it was hidden under them; it is dashed and dark.
    """
    lab = merge_labels({"title": "Zero crossings of v_i", "x": "index i", "y": "zero crossings",
                        "guide": "i − 1", "count": "crossings", "shown": "v_i shown"}, labels)
    c = np.asarray(crossings)
    i = np.arange(1, c.shape[0] + 1)
    chosen = [j for j in highlight if 1 <= j <= c.shape[0]]
    traces = [
        scatter(x=i, y=i - 1, mode="lines", name=lab["guide"], zorder=1,
                line=dict(color=GUIDE, dash="dash", width=2), hoverinfo="skip"),
        # beyond MAX_MARKERS points a line (SVG markers dominated the browser's redraw)
        scatter(x=i, y=c, mode="markers" if c.shape[0] <= MAX_MARKERS else "lines",
                name=lab["count"], marker=dict(size=5, color=COLORS[0]),
                line=dict(color=COLORS[0], width=1.5),
                hovertemplate="i = %{x}<br>%{y}<extra></extra>"),
        scatter(x=chosen, y=[int(c[j - 1]) for j in chosen], mode="markers", name=lab["shown"],
                zorder=2, hoverinfo="skip",
                marker=dict(size=11, color="rgba(0,0,0,0)", line=dict(color=COLORS[1], width=2))),
    ]
    return make_figure(traces, layout(lab))


def spectrum_figs(view, shown=(1, 2, 3, 10, 20)) -> tuple[go.Figure, go.Figure]:
    """Fig. 1.1 of Xu's lecture notes from a :class:`~ntklab.experiments.spectrum.SpectrumView`:
    (a) the eigenvectors ``shown`` (1-based, those ≤ k) over x, (b) zero crossings against
    the index, the shown ones circled."""
    n, k = view.x.shape[0], view.lam.shape[0]
    shown = [int(i) for i in shown if 1 <= int(i) <= k]
    a = eigenvectors_fig(view.x, view.V, shown, max_traces=max(len(shown), 1), labels={
        "title": f"Fig. 1.1a — eigenvectors v_i of the NTK Gram matrix (n = {n})"})
    b = zero_crossings_fig(view.crossings, highlight=shown, labels={
        "title": "Fig. 1.1b — zero crossings of v_i (λ_i descending with i)"})
    return a, b
