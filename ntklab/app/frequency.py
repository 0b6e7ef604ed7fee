"""Frequency-principle dashboard: the linearized (infinite-width) model fits low frequencies
first. Wiring only: :func:`ntklab.experiments.frequency_view` / :func:`frequency_at`
compute, :mod:`ntklab.figures` draws.

Hook for later: a trained finite-width net on demand. :meth:`FrequencyDashboard.
train_finite_net` is where the JAX training core (``ntklab.train``) plugs in (run it on the
worker with ``token.progress`` per compiled chunk, then add a trace to the "fit" and "heat"
figures); until then ``FINITE_NET = False`` keeps its button disabled, saying why.
"""

from __future__ import annotations

import ipywidgets as W

from .. import figures
from ..data import TARGETS, parse_target
from ..experiments import FREQUENCY_MAX_N, T_MAX, T_MIN, frequency_at, frequency_view
from ._widgets import Dashboard, Param

__all__ = ["FrequencyDashboard"]


def _preset_label(name):
    t = TARGETS[name]
    if (t.lo, t.hi) == (-1.0, 1.0):
        return t.expr
    return f"{t.expr},  x ∈ [{t.lo:.3g}, {t.hi:.3g}]".replace("3.14", "π").replace("-π", "−π")


class FrequencyDashboard(Dashboard):
    """Target (a preset or a typed expression), grid size n and time t.

    URL names: ``target`` (a preset name or ``custom``), ``expr`` (an expression in x; given
    alone it implies ``target=custom``), ``n``, ``t``, ``lang``.
    """

    TITLE, INTRO = "frequency.title", "frequency.intro"
    FINITE_NET = False  # set True once train_finite_net is wired to ntklab.train
    PARAMS = (
        Param("target", "three_sines", "choice", "frequency.target",
              choices=(*TARGETS, "custom"),
              choice_labels=(*(_preset_label(k) for k in TARGETS), "frequency.custom"),
              widget="dropdown"),
        Param("expr", "sin(2*pi*x) + 0.5*sin(7*pi*x)", "text", "frequency.expr",
              widget="text", check=parse_target),
        Param("n", 200, "int", "frequency.n", lo=16, hi=FREQUENCY_MAX_N, step=4),
        Param("t", 1.0, "float", "frequency.t", lo=T_MIN, hi=T_MAX, step=0.05,
              widget="log_slider"),
    )
    FIGURES = (
        ("fit", "frequency.fit.caption"),
        ("heat", "frequency.heat.caption"),
        ("alpha", "frequency.alpha.caption"),
    )

    def layout(self):
        self.controls["expr"].placeholder = "sin(3*x) + 0.5*abs(x)"
        self.finite_button = W.Button(description="", disabled=not self.FINITE_NET, icon="play")
        self.finite_button.on_click(lambda _: self.train_finite_net())
        box = super().layout()
        box.children = (*box.children[:5], self.finite_button, *box.children[5:])
        return box

    def _relabel(self):
        super()._relabel()
        if hasattr(self, "finite_button"):
            self.finite_button.description = self.tr("frequency.finite")
            self.finite_button.tooltip = ("" if not self.finite_button.disabled
                                          else self.tr("frequency.finite_missing"))

    def train_finite_net(self):
        """Hook: train a finite-width net on the same data (JAX core, not yet wired)."""
        self._status("error", self.tr("frequency.finite_missing"))

    def adjust_query(self, pairs):
        if "expr" in pairs and "target" not in pairs:
            pairs = {**pairs, "target": "custom"}
        return pairs

    def control_changed(self, name):
        if name == "expr":  # typing an expression selects it
            self.controls["target"].value = "custom"
        elif name == "target" and self.controls["target"].value != "custom":
            self.controls["expr"].value = TARGETS[self.controls["target"].value].expr

    def compute(self, values, token):
        target = values["expr"] if values["target"] == "custom" else values["target"]
        token.progress(0.1, self.tr("frequency.working"))
        view = frequency_view(target, values["n"])
        token.check()
        return view, frequency_at(view, values["t"])

    def build_figures(self, result, values):
        view, snap = result
        t_label = self.tr("frequency.t")
        return {
            "fit": figures.fit_over_time_fig(
                view.x_test, view.y_test, snap.test, view.x, view.y, t=snap.t, labels={
                    "title": self.tr("frequency.fit.title"),
                    "target": self.tr("frequency.fit.target"),
                    "train": self.tr("frequency.fit.train")}),
            "heat": figures.frequency_heatmap_fig(
                view.t_grid, view.freqs, view.delta, t_now=snap.t, labels={
                    "title": self.tr("frequency.heat.title"), "x": f"{t_label} = η·steps",
                    "y": self.tr("frequency.heat.y")}),
            "alpha": figures.residual_components_fig(snap.alpha, snap.alpha0, labels={
                "title": self.tr("frequency.alpha.title"), "x": self.tr("frequency.alpha.x")}),
        }
