"""Figures of the initialization claim (:mod:`ntklab.experiments.initialization`): the four
nets (plain, ASI, doubling, RND) at init and trained beside eq. 1.14, the prior term, their
losses (Fig. 1.4 of Xu's lecture notes), and large against small init (Fig. 1.2). The
Initialization dashboard (translated labels, one trick highlighted) and notebook 04 draw
these same figures."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ..experiments.initialization import TRICK_NAMES
from .shared import curves_over_time_fig, curves_over_x_fig
from .style import COLORS, GREY, merge_labels

__all__ = [
    "TRICK_COLORS",
    "init_comparison_fig",
    "prior_term_fig",
    "trick_losses_fig",
    "tricks_at_init_fig",
    "tricks_trained_fig",
]

TRICK_COLORS = dict(zip(TRICK_NAMES, (COLORS[0], COLORS[1], COLORS[4], COLORS[3]),
                        strict=True))
LOSS = "L = ½ Σ (f(x_i) − y_i)²"


def _style(name, chosen):
    picked = name == chosen
    return dict(color=TRICK_COLORS[name], width=3.0 if picked else 1.2,
                opacity=1.0 if picked else 0.55)


def _names(labels):
    """Display names of the tricks (``labels`` may translate each, keyed by trick)."""
    return {name: (labels or {}).get(name, name) for name in TRICK_NAMES}


def tricks_at_init_fig(start, chosen="asi", *, labels=None) -> go.Figure:
    """The four nets' outputs at init over the test points (``chosen`` drawn thick), from a
    :class:`~ntklab.experiments.initialization.TrickStart`."""
    lab = merge_labels({"title": "Outputs at init f(x; θ₀)", "y": "f(x; θ₀)",
                        "train": "training points"}, labels)
    names = _names(labels)
    return curves_over_x_fig(start.x_test, [
        dict(name=names[name], y=start.f0_test[i], **_style(name, chosen))
        for i, name in enumerate(TRICK_NAMES)], labels=lab)


def tricks_trained_fig(res, chosen="asi", *, labels=None) -> go.Figure:
    """Fig. 1.4a from a :class:`~ntklab.experiments.initialization.TrickComparison`: the
    target, eq. 1.14's prediction for the plain net, h(·; 0, X, Y), the ``chosen`` trained
    net drawn thick, then the other three thin, and the training points: eight traces.

    Label keys: ``title``, ``target``, ``eq114``, ``zero_init``, ``net`` (the chosen net's
    name), ``train`` and one per trick name."""
    i = TRICK_NAMES.index(chosen)
    names = _names(labels)
    lab = merge_labels({
        "title": f"{names[chosen]} net at t = {res.t_end_of(i):.3g}: test RMSE "
                 f"{float(res.test_rmse[i]):.3g}", "y": "f(x)", "target": "target",
        "eq114": "eq. 1.14 (plain, linearized)", "zero_init": "h(·; 0, X, Y)",
        "net": f"trained {names[chosen]} net", "train": "training points"}, labels)
    others = [dict(name=names[name], y=res.f_test[j], dash="dot", **_style(name, chosen))
              for j, name in enumerate(TRICK_NAMES) if name != chosen]
    return curves_over_x_fig(res.start.x_test, [
        dict(name=lab["target"], y=res.start.y_test, color=GREY, dash="dot", width=1.5),
        dict(name=lab["eq114"], y=res.eq114, color="black", dash="dash", width=1.5),
        dict(name=lab["zero_init"], y=res.zero_init, color=COLORS[2], dash="dot", width=2.0),
        dict(name=lab["net"], y=res.f_test[i], color=TRICK_COLORS[chosen], width=2.5),
        *others,
    ], x_train=res.start.x_train, y_train=res.start.y_train, labels=lab)


def prior_term_fig(res, *, labels=None) -> go.Figure:
    """Fig. 1.4b: the plain net's initial output h_ini, the prior term of eq. 1.14 that
    training never removes, and the measured trained plain − trained ASI difference."""
    lab = merge_labels({"title": "The prior term of eq. 1.14", "y": "f(x)",
                        "term": "h_ini − h(·; 0, X, h_ini(X))",
                        "gap": "trained plain − trained ASI", "train": "training points"},
                       labels)
    return curves_over_x_fig(res.start.x_test, [
        dict(name="h_ini", y=res.h_ini, color=TRICK_COLORS["plain"], width=1.2, opacity=0.5),
        dict(name=lab["term"], y=res.prior, color=COLORS[5], width=2.5),
        dict(name=lab["gap"], y=res.plain_minus_asi, color=COLORS[1], dash="dash", width=1.5),
    ], x_train=res.start.x_train, y_train=np.zeros_like(res.start.x_train), labels=lab)


def trick_losses_fig(curves, chosen="asi", *, labels=None) -> go.Figure:
    """Fig. 1.4c: the training loss of each net over time t = Σ η_k (``chosen`` thick).

    ``curves``: a :class:`~ntklab.experiments.initialization.TrickComparison`, or, while the
    nets train, a mapping trick name → (times, losses) so far (empty lists allowed)."""
    lab = merge_labels({"title": "Training loss of the four nets", "x": "t = η·steps",
                        "y": LOSS}, labels)
    names = _names(labels)
    out = []
    for i, name in enumerate(TRICK_NAMES):
        if isinstance(curves, dict):
            t, y = curves.get(name, ([], []))
            y = list(y) or None
        else:
            t, y = curves.times(i), curves.loss[i]  # each net's own clock if adaptive
        style = _style(name, chosen)
        out.append(dict(name=names[name], y=y, t=t, color=style["color"],
                        width=style["width"]))
    return curves_over_time_fig(None, out, labels=lab)


def init_comparison_fig(res) -> go.Figure:
    """Fig. 1.2 of Xu's lecture notes from an
    :class:`~ntklab.experiments.initialization.InitComparison`: rows = init scales; columns
    = output at init (test points), trained (training points), trained (test points);
    target dashed red, network solid blue, as in the notes."""
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
    fig.update_layout(title=dict(text=f"Fig. 1.2 — large vs small init ({res.target}, width "
                                      f"{res.width})", x=0.02, font=dict(size=15)),
                      template="plotly_white", height=300 * rows,
                      margin=dict(l=60, r=20, t=60, b=50))
    return fig
