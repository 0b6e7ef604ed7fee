"""Figures of the digits claim (:mod:`ntklab.experiments.digits`): test accuracy and losses
of a net and of its linearization over training, RMSE(f_NN, f_lin) and the weight change
over training, a few test digits with both models' predictions, and the measured gap
against width or training-set size with its fitted power law."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from .shared import curves_over_time_fig, loglog_fig
from .style import COLORS, GREY, heatmap, layout, make_figure, merge_labels

__all__ = ["accuracy_fig", "digits_fig", "gap_over_time_fig", "gap_sweep_fig", "loss_fig"]

C_NET, C_LIN, C_EXTRA = COLORS[0], COLORS[1], COLORS[3]


def accuracy_fig(run, *, labels=None) -> go.Figure:
    """Test accuracy (%) of the net and of its linearization against the step, with the
    net's training accuracy and the chance level: four traces."""
    r = run.result
    lab = merge_labels({"title": "", "x": "step", "y": "accuracy (%)",
                        "net": "f_NN (test)", "lin": "f_lin (test)",
                        "train": "f_NN (training)", "chance": "chance"}, labels)
    steps = r.steps
    return curves_over_time_fig(steps, [
        dict(name=lab["net"], y=100 * r.accuracy_net, color=C_NET, width=2.5),
        dict(name=lab["lin"], y=None if r.accuracy_lin is None else 100 * r.accuracy_lin,
             color=C_LIN, dash="dash"),
        dict(name=lab["train"], y=100 * r.train_accuracy_net, color=C_NET, dash="dot",
             width=1.5),
        dict(name=lab["chance"], y=np.full(steps.shape, 100 * run.chance), color=GREY,
             dash="dot", width=1.0)], ylog=False, labels=lab)


def loss_fig(run, *, labels=None) -> go.Figure:
    """Mean loss per digit, training and test, of both models against the step (log y)."""
    r = run.result
    what = "½‖f − y‖²" if r.loss == "mse" else "cross-entropy"
    lab = merge_labels({"title": "", "x": "step", "y": f"mean {what}",
                        "net_train": "f_NN (training)", "lin_train": "f_lin (training)",
                        "net_test": "f_NN (test)", "lin_test": "f_lin (test)"}, labels)
    return curves_over_time_fig(r.steps, [
        dict(name=lab["net_train"], y=r.train_loss_net, color=C_NET, dash="dot"),
        dict(name=lab["lin_train"], y=r.train_loss_lin, color=C_LIN, dash="dot"),
        dict(name=lab["net_test"], y=r.loss_net, color=C_NET, width=2.5),
        dict(name=lab["lin_test"], y=r.loss_lin, color=C_LIN, dash="dash")], labels=lab)


def gap_over_time_fig(run, *, labels=None) -> go.Figure:
    """RMSE(f_NN, f_lin) on the test digits and the relative weight change against the
    step (log y; the zeros at step 0 are left out)."""
    r = run.result
    lab = merge_labels({"title": "", "x": "step", "y": "",
                        "gap": "RMSE(f_NN, f_lin), test digits",
                        "weights": "‖θ_t − θ₀‖/‖θ₀‖"}, labels)
    return curves_over_time_fig(r.steps, [
        dict(name=lab["gap"], y=r.rmse_net_lin, color=C_NET),
        dict(name=lab["weights"], y=r.weight_change, color=C_EXTRA)], labels=lab)


def _prediction_text(out, index, classes, task):
    """The class an output vector or number says."""
    if np.ndim(out) == 1:  # ±1 targets: the sign
        return str(classes[1] if out[index] > 0 else classes[0])
    return str(int(np.argmax(out[index])) if classes is None else classes[np.argmax(out[index])])


def digits_fig(run, count=None, *, labels=None) -> go.Figure:
    """The first ``count`` test digits (default all the run keeps) in grey, each titled with
    its label and the classes the net and the linearization predict at the end: one
    heatmap trace, the titles as annotations."""
    r = run.result
    images = run.shown_images if count is None else run.shown_images[:count]
    k = images.shape[0]
    lab = merge_labels({"title": "", "x": "", "y": "", "label": "digit", "net": "f_NN",
                        "lin": "f_lin"}, labels)
    classes = (3, 8) if run.task == "3 vs 8" else None
    if r.loss == "cross_entropy":
        classes = r.classes
    h, w = images.shape[1:3]
    canvas = np.full((h, k * (w + 1) - 1), np.nan)
    notes = []
    for i in range(k):
        canvas[:, i * (w + 1):i * (w + 1) + w] = images[i][::-1]
        net = _prediction_text(r.test_outputs_net, i, classes, run.task)
        lin = ("–" if r.test_outputs_lin is None
               else _prediction_text(r.test_outputs_lin, i, classes, run.task))
        ok = net == str(run.shown_labels[i])
        notes.append(dict(x=i * (w + 1) + (w - 1) / 2, y=h + 0.2, xref="x", yref="y",
                          showarrow=False, yanchor="bottom",
                          text=f"{lab['label']} {run.shown_labels[i]}<br>{lab['net']} "
                               f"{net}, {lab['lin']} {lin}",
                          font=dict(size=11, color=C_NET if ok else C_LIN)))
    trace = heatmap(z=canvas, colorscale="Greys", zmin=0.0, zmax=1.0, showscale=False,
                    hoverinfo="skip")
    fig_layout = layout(lab, annotations=notes)
    fig_layout["xaxis"].update(visible=False, range=[-0.5, canvas.shape[1] - 0.5])
    fig_layout["yaxis"].update(visible=False, range=[-0.5, h + 2.5], scaleanchor="x")
    return make_figure([trace], fig_layout)


def gap_sweep_fig(sweep, *, labels=None, u_range=None) -> go.Figure:
    """RMSE(f_NN, f_lin) at the end of training (mean over seeds) against width or
    training-set size, with the fitted power law (slope in the legend) and, against width,
    the source's 1/m through the first point (Lee et al. 2019, "about 1/N" for fully
    connected nets): three traces. ``sweep`` None: the empty figure, same traces, its x
    axis over ``u_range`` (the values the sweep will measure) when given."""
    variable = "width" if sweep is None else sweep.variable
    against_width = variable == "width"
    lab = merge_labels({"title": "", "x": "width m" if against_width else "training digits n",
                        "y": "RMSE(f_NN, f_lin) at the end", "u": "m" if against_width else "n",
                        "rmse": "RMSE(f_NN, f_lin)",
                        "source": "∝ 1/m (Lee et al. 2019)"}, labels)
    if sweep is None:
        return loglog_fig(None, [dict(name=lab["rmse"], y=None, color=C_NET)],
                          lines=[dict(name=lab["source"], y=None, color=GREY)], labels=lab,
                          u_range=u_range)
    values = sweep.values.astype(np.float64)
    rmse = sweep.rmse.mean(0)
    lines = [dict(name=lab["source"], y=rmse[0] * values[0] / values, color=GREY)
             if against_width else dict(name="", y=None, color=GREY)]
    return loglog_fig(values, [dict(name=lab["rmse"], y=rmse, fit=sweep.fitted,
                                    slope=sweep.slope, color=C_NET)], lines=lines,
                      labels=lab)
