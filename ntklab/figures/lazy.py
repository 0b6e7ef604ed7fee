"""Figures of the lazy-training claim (:mod:`ntklab.experiments.lazy`): a net beside its
linearization and the infinite-width prediction, the gaps, weight change and kernel drift
and the losses over time, and the measured power laws against width and sample count.
The Lazy dashboard (translated labels) and notebook 03 draw these same figures."""

from __future__ import annotations

import plotly.graph_objects as go

from .shared import curves_over_time_fig, curves_over_x_fig, loglog_fig
from .style import COLORS, GREY, merge_labels

__all__ = [
    "C_EXTRA",
    "C_INF",
    "C_LIN",
    "C_NET",
    "drift_fig",
    "gap_fig",
    "lazy_fit_fig",
    "loss_fig",
    "samples_sweep_fig",
    "width_fit_fig",
    "width_sweep_fig",
]

C_NET, C_LIN, C_INF, C_EXTRA = COLORS[0], COLORS[1], COLORS[2], COLORS[3]
LOSS = "L = ½ Σ (f(x_i) − y_i)²"


def lazy_fit_fig(x_test, y_test, x_train, y_train, f_net, f_lin, f_inf=None, *,
                 labels=None) -> go.Figure:
    """The target, f_NN, f_lin and (optionally) f_∞ over x, with the training points: five
    traces, always (f_∞ empty when None)."""
    lab = merge_labels({"title": "", "y": "f(x, t)", "target": "target y(x)",
                        "train": "training points"}, labels)
    return curves_over_x_fig(x_test, [
        dict(name=lab["target"], y=y_test, color=GREY, dash="dot", width=1.5),
        dict(name="f_NN", y=f_net, color=C_NET, width=2.5),
        dict(name="f_lin", y=f_lin, color=C_LIN, dash="dash"),
        dict(name="f_∞", y=f_inf, color=C_INF, dash="dot"),
    ], x_train=x_train, y_train=y_train, labels=lab)


def width_fit_fig(res, index=0, seed_index=0, *, labels=None) -> go.Figure:
    """:func:`lazy_fit_fig` at t_end for one width of a
    :class:`~ntklab.experiments.lazy.WidthConvergence`."""
    m = int(res.widths[index])
    lab = merge_labels({"title": f"Width {m}: net vs linearization at t = {res.t_end:.3g}"},
                       labels)
    return lazy_fit_fig(res.x_test, res.y_test, res.x_train, res.y_train,
                        res.f_net[index, seed_index], res.f_lin[index, seed_index],
                        labels=lab)


def gap_fig(t, net_lin, lin_inf, *, labels=None) -> go.Figure:
    """RMSE(f_NN, f_lin) and RMSE(f_lin, f_∞) over time (log y); None draws empty curves."""
    lab = merge_labels({"title": "", "x": "t = η·steps", "y": "RMSE"}, labels)
    return curves_over_time_fig(t, [dict(name="RMSE(f_NN, f_lin)", y=net_lin, color=C_NET),
                                    dict(name="RMSE(f_lin, f_∞)", y=lin_inf, color=C_INF)],
                                labels=lab)


def drift_fig(t, weight_change, kernel_drift, *, labels=None) -> go.Figure:
    """‖θ_t − θ₀‖/‖θ₀‖ and ‖K_t − K₀‖_F/‖K₀‖_F over time (log y)."""
    lab = merge_labels({"title": "", "x": "t = η·steps", "y": ""}, labels)
    return curves_over_time_fig(t, [
        dict(name="‖θ_t − θ₀‖/‖θ₀‖", y=weight_change, color=C_EXTRA),
        dict(name="‖K_t − K₀‖_F/‖K₀‖_F", y=kernel_drift, color=C_LIN)], labels=lab)


def loss_fig(t, loss_net, loss_lin, *, labels=None) -> go.Figure:
    """The training loss of the net and of its linearization over time (log y)."""
    lab = merge_labels({"title": "", "x": "t = η·steps", "y": LOSS}, labels)
    return curves_over_time_fig(t, [dict(name="f_NN", y=loss_net, color=C_NET),
                                    dict(name="f_lin", y=loss_lin, color=C_LIN, dash="dash")],
                                labels=lab)


_SWEEP = {"rmse": ("RMSE(f_NN, f_lin)", C_NET),
          "weight_change": ("‖θ_t − θ₀‖/‖θ₀‖", C_EXTRA),
          "kernel_drift": ("‖K_t − K₀‖_F/‖K₀‖_F", C_LIN)}


def width_sweep_fig(res, which=("rmse", "weight_change"), *, labels=None,
                    u_range=None) -> go.Figure:
    """The means over random seeds at t_end of a
    :class:`~ntklab.experiments.lazy.WidthConvergence` against width, each with the power
    law the experiment fitted (``res`` None: the empty figure, same traces). ``which``: any
    of ``rmse``, ``weight_change``, ``kernel_drift``; ``labels`` may rename each (same
    keys); ``u_range``: the widths to come, the empty figure's x axis."""
    lab = merge_labels({"title": "At the end of training, against width", "x": "width m",
                        "y": "at t_end", **{k: v[0] for k, v in _SWEEP.items()}}, labels)
    series = []
    for name in which:
        color = _SWEEP[name][1]
        if res is None:
            series.append(dict(name=lab[name], y=None, color=color))
        else:
            series.append(dict(name=lab[name], y=res.at_end(name), color=color,
                               fit=getattr(res, f"fit_{name}"),
                               slope=getattr(res, f"slope_{name}")))
    return loglog_fig(None if res is None else res.widths, series, labels=lab,
                      u_range=u_range)


def samples_sweep_fig(res, *, labels=None) -> go.Figure:
    """RMSE(f_NN, f_lin) and the weight change at t_end (means over random seeds) against
    the number of training points, from a
    :class:`~ntklab.experiments.lazy.SampleConvergence`."""
    lab = merge_labels({"title": f"Against the number of training points (width {res.width}, "
                                 f"t = {res.t_end:.3g})", "x": "training points n",
                        "y": "at t_end", "u": "n"}, labels)
    return loglog_fig(res.n_train, [
        dict(name=_SWEEP["rmse"][0], y=res.rmse.mean(1), fit=res.fit_rmse,
             slope=res.slope_rmse, color=C_NET),
        dict(name=_SWEEP["weight_change"][0], y=res.weight_change.mean(1),
             fit=res.fit_weight_change, slope=res.slope_weight_change, color=C_EXTRA)],
        labels=lab)
