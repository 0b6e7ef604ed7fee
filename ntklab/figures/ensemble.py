"""Figures of the ensemble claim (:mod:`ntklab.experiments.ensemble`): nets at init against
the NNGP band, trained nets against the closed-form mean ± 2σ, and the spreads over x. The
Prior-and-ensemble dashboard (translated labels, bands drawn before the nets train) and
notebook 05 draw these same figures."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from .shared import band_fig, curves_over_x_fig
from .style import COLORS, merge_labels

__all__ = ["ensemble_figs"]


def ensemble_figs(start, res=None, *, labels=None) -> dict[str, go.Figure]:
    """``{"prior", "trained", "std"}`` from an
    :class:`~ntklab.experiments.ensemble.EnsembleStart` and, once trained, the
    :class:`~ntklab.experiments.ensemble.EnsembleComparison` (``None`` draws the closed
    forms alone, with the same traces).

    * prior: the nets at init against the NNGP band 0 ± 2√Σ(x, x);
    * trained: the trained nets against the closed-form mean ± 2σ at t_end;
    * std: the standard deviation over x at init and at t_end, nets against closed form.

    Label keys: the :func:`~ntklab.figures.shared.band_fig` keys, ``prior_title``,
    ``prior_band``, ``trained_title``, ``std_title``, ``std_prior``, ``std_f0``,
    ``std_closed``, ``std_nets``.
    """
    E = None if res is None else res.members
    lab = merge_labels({
        "prior_title": "At init: nets against the NNGP prior",
        "prior_band": "NNGP 0 ± 2√Σ(x, x)",
        "trained_title": f"Trained to t = {start.t_end:.3g}: nets against the closed form",
        "std_title": "Standard deviation over the nets",
        "std_prior": "√Σ(x, x) (prior)", "std_f0": "nets at init",
        "std_closed": "closed form at t", "std_nets": "trained nets",
        "samples": "finite nets" if E is None else f"{E} finite nets (width {res.width})",
        "target": "target y(x)", "train": "training points"}, labels)
    band = {k: lab[k] for k in ("band", "mean", "samples", "samples_mean", "target", "train")
            if k in lab}
    prior = band_fig(start.x_test, np.zeros_like(start.x_test), start.prior_std,
                     samples=None if res is None else res.f0,
                     samples_mean=None if res is None else res.f0_mean,
                     labels={**band, "title": lab["prior_title"], "y": "f(x; θ₀)",
                             "band": lab["prior_band"]})
    trained = band_fig(start.x_test, start.mean, start.std,
                       samples=None if res is None else res.f_end,
                       samples_mean=None if res is None else res.f_end_mean,
                       x_train=start.x_train, y_train=start.y_train, x_target=start.x_test,
                       y_target=start.y_test,
                       labels={**band, "title": lab["trained_title"], "y": "f(x, t)"})
    std = curves_over_x_fig(start.x_test, [
        dict(name=lab["std_prior"], y=start.prior_std, color=COLORS[0], dash="dot", width=1.5),
        dict(name=lab["std_f0"], y=None if res is None else res.f0_std, color=COLORS[1],
             dash="dot", width=1.5),
        dict(name=lab["std_closed"], y=start.std, color=COLORS[0]),
        dict(name=lab["std_nets"], y=None if res is None else res.f_end_std, color=COLORS[1]),
    ], x_train=start.x_train, y_train=np.zeros_like(start.x_train),
        labels={"title": lab["std_title"], "y": "σ(x)", "train": lab["train"]})
    return {"prior": prior, "trained": trained, "std": std}
