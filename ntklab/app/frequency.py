"""Frequency-principle dashboard: the linearized (infinite-width) model fits low frequencies
first, and so does a finite net trained on demand. Wiring only:
:func:`ntklab.experiments.frequency.frequency_view` / :func:`frequency_at` compute the
linearized model, :func:`~ntklab.experiments.frequency.frequency_finite` trains the net,
:mod:`ntklab.figures.frequency` draws.

The button trains a two-layer ReLU net of width m on the same grid up to the current t (on
the worker, with progress; JAX is imported then, not before). The trained net is kept per
(target, n, m, t_end): moving t afterwards shows it at its latest recorded time ≤ t without
retraining; changing target, n or m hides it until the button is pressed again.

The expression box always shows the formula plotted: a preset's own when a preset is
chosen, the typed one otherwise (typing there selects "typed expression"; choosing that
entry brings back the last typed formula). The captions' claims are
:func:`ntklab.experiments.frequency.claims`, checked at the settings shown.
"""

from __future__ import annotations

import ipywidgets as W

from ..analytic.data import TARGETS, parse_target
from ..experiments.frequency import (
    FREQUENCY_MAX_N,
    T_MAX,
    T_MIN,
    claims,
    frequency_at,
    frequency_finite,
    frequency_view,
    strongest_freqs,
)
from ..figures import frequency as figures
from .controls import Param
from .dashboard import Dashboard
from .training import WIDTH_STEP, enable_compile_cache

__all__ = ["FrequencyDashboard"]


def _preset_label(name):
    t = TARGETS[name]
    if (t.lo, t.hi) == (-1.0, 1.0):
        return t.expr
    return f"{t.expr},  x ∈ [{t.lo:.3g}, {t.hi:.3g}]".replace("3.14", "π").replace("-π", "−π")


class FrequencyDashboard(Dashboard):
    """Target (a preset or a typed expression), grid size n, time t and the width m of the
    finite net trained by the button.

    URL names: ``target`` (a preset name or ``custom``), ``expr`` (an expression in x; given
    alone it implies ``target=custom``), ``n``, ``t``, ``m``, ``lang``.
    """

    TITLE, INTRO = "frequency.title", "frequency.intro"
    PARAMS = (
        Param("target", "three_sines", "choice", "frequency.target",
              choices=(*TARGETS, "custom"),
              choice_labels=(*(_preset_label(k) for k in TARGETS), "frequency.custom"),
              widget="dropdown"),
        # one and four periods over [−1, 1]: frequencies k = 1 and 4 of the grid's DFT
        Param("expr", "sin(pi*x) + 0.5*sin(4*pi*x)", "text", "frequency.expr",
              widget="text", check=parse_target),
        Param("n", 200, "int", "frequency.n", lo=16, hi=FREQUENCY_MAX_N, step=4),
        # t = 2: every preset and the typed default show some frequencies fit and some not
        # (the lowest is fit by t = 0.0025…1.07, the highest not before t = 3.5…450)
        Param("t", 2.0, "float", "frequency.t", lo=T_MIN, hi=T_MAX, step=0.05,
              widget="log_slider"),
        Param("m", 1024, "int", "frequency.m", lo=64, hi=4096, widget="log_int",
              step=WIDTH_STEP),
    )
    FIGURES = (
        ("fit", "frequency.fit.caption"),
        ("bands", "frequency.bands.caption"),
        ("heat", "frequency.heat.caption"),
        ("alpha", "frequency.alpha.caption"),
    )
    BANDS = 3  # frequencies compared in the "bands" figure

    def __init__(self, **kwargs):
        self._nets: dict = {}  # (target, n, m, t_end) -> FrequencyFinite
        self._net_wanted = None  # the key of the net the button asked for
        self._typed = dict((p.name, p.default) for p in self.PARAMS)["expr"]  # last typed
        super().__init__(**kwargs)
        self.controls["m"].readout_format = ".0f"  # a width: show the integer used

    def layout(self):
        self.controls["expr"].placeholder = "sin(3*x) + 0.5*abs(x)"
        self._show_formula()  # the default preset's formula, not the typed default
        self.finite_button = W.Button(description="", icon="play",
                                      layout=W.Layout(width="auto"))
        self.finite_button.on_click(lambda _: self.train_finite_net())
        box = super().layout()
        box.children = (*box.children[:5], self.finite_button, *box.children[5:])
        return box

    def _relabel(self):
        super()._relabel()
        if hasattr(self, "finite_button"):
            self.finite_button.description = self.tr("frequency.finite")
            self.finite_button.tooltip = self.tr("frequency.finite.tooltip")

    def train_finite_net(self) -> None:
        """Train a net of width m on the current grid up to the current t (button)."""
        try:
            self._net_wanted = self._net_key(self.values())
        except ValueError:
            return
        self.refresh()

    @staticmethod
    def _target(values):
        return values["expr"] if values["target"] == "custom" else values["target"]

    def _net_key(self, values):
        return (self._target(values), values["n"], values["m"], values["t"])

    def adjust_query(self, pairs):
        if "expr" in pairs and "target" not in pairs:
            pairs = {**pairs, "target": "custom"}
        return pairs

    def query_string(self, values=None):
        values = dict(self.values() if values is None else values)
        if values["target"] != "custom":  # the box shows the preset's formula: not a setting
            values["expr"] = self.params["expr"].default
        return super().query_string(values)

    def _show_formula(self):
        """Put the formula plotted in the expression box."""
        target = self.controls["target"].value
        self.controls["expr"].value = TARGETS[target].expr if target in TARGETS else self._typed

    def control_changed(self, name):
        if name in ("target", "expr", "n", "m"):  # another net: hide the trained one
            self._net_wanted = None
        target, text = self.controls["target"].value, self.controls["expr"].value
        if name == "expr" and (target == "custom" or text != TARGETS[target].expr):
            self._typed = text  # typing an expression selects it
            self.controls["target"].value = "custom"
        elif name == "target":
            self._show_formula()

    def compute(self, values, token):
        target = self._target(values)
        token.progress(0.1, self.tr("frequency.working"))
        view = frequency_view(target, values["n"])
        token.check()
        snap = frequency_at(view, values["t"])
        key, net = self._net_wanted, None
        if key is not None and key[:3] == (target, values["n"], values["m"]):
            net = self._nets.get(key)
            if net is None:
                net = self._train(view, key, token)
        return view, snap, net

    def _train(self, view, key, token):
        _, _, m, t_end = key
        enable_compile_cache()
        what = self.tr("frequency.finite.working", m=m, t=t_end)
        token.progress(0.0, what)
        net = frequency_finite(view, t_end, width=m, on_step=lambda p: token.progress(
            p.step / max(p.steps, 1), what))  # raises Cancelled once the values are stale
        return self.remember(self._nets, key, net)

    def claims(self, result, values):
        view, snap, net = result
        shown = net is not None and net.t.size  # build_figures draws it
        return claims(view, snap, net if shown else None, bands=self.BANDS)

    def claim_fields(self, claim):
        fields = dict(claim.values)
        if "times" in fields:
            fields["times"] = self._times(fields["freqs"], fields["times"], fields["final"])
        if "k_low" in fields and "t_low" in fields:  # the first pair out of order
            for end in ("low", "high"):
                fields[f"pair_{end}"] = self._times(
                    (fields[f"k_{end}"],), (fields[f"t_{end}"],), (fields[f"d_{end}"],))
            fields["why"] = self.tr("claim.frequency.weak", k=fields["k_low"],
                                    weight=fields["weight"]) if fields["weak"] else ""
        for key in ("learnt", "pending"):
            if key in fields:
                fields[key] = (", ".join(map(str, fields[key])) if fields[key]
                               else self.tr("claim.none.freq"))
        if fields.get("state", "ok") != "ok":  # why it does not hold, in one sentence
            fields["detail"] = self.tr(f"claim.{claim.name}.{fields['state']}", **fields)
        return fields

    def _times(self, freqs, times, final, most=6):
        """"k = 1 at t = 0.0069, k = 3 at t = 1.66, …" (the first and last few of many)."""
        parts = [self.tr("claim.frequency.at", k=k, t=t) if t != float("inf") else
                 self.tr("claim.frequency.not_yet", k=k, delta=d)
                 for k, t, d in zip(freqs, times, final, strict=True)]
        if len(parts) > most:
            parts = [*parts[:3], "…", *parts[-2:]]
        return ", ".join(parts)

    def build_figures(self, result, values):
        view, snap, net = result
        t_label = self.tr("frequency.t")
        now = None if net is None or not net.t.size else net.index_at(snap.t)
        cols = strongest_freqs(view, self.BANDS)
        if now is None:
            bands_title = self.tr("frequency.bands.press", button=self.tr("frequency.finite"))
        else:
            bands_title = self.tr("frequency.bands.title", m=net.width)
            if net.diverged:
                bands_title += self.tr("frequency.bands.diverged", t=net.t_reached)
            elif net.capped:
                bands_title += self.tr("frequency.bands.capped", t=net.t_reached)
        return {
            "fit": figures.fit_over_time_fig(
                view.x_test, view.y_test, snap.test, view.x, view.y, t=snap.t,
                f_net=None if now is None else net.f_test[now], labels={
                    "title": self.tr("frequency.fit.title"),
                    "target": self.tr("frequency.fit.target"),
                    "train": self.tr("frequency.fit.train"),
                    "model": self.tr("frequency.fit.model"),
                    "net": None if now is None else self.tr(
                        "frequency.fit.net", m=net.width, t=net.t[now])}),
            "bands": figures.frequency_bands_fig(
                view.t_grid, view.delta[:, cols], view.freqs[cols],
                t_net=None if now is None else net.t,
                delta_net=None if now is None else net.delta[:, cols], t_now=snap.t,
                max_bands=self.BANDS, labels={
                    "title": bands_title, "x": f"{t_label} = η·steps",
                    "y": self.tr("frequency.bands.y"), "lin": self.tr("frequency.bands.lin"),
                    "net": self.tr("frequency.bands.net", m=values["m"])}),
            "heat": figures.frequency_heatmap_fig(
                view.t_grid, view.freqs, view.delta, t_now=snap.t, labels={
                    "title": self.tr("frequency.heat.title"), "x": f"{t_label} = η·steps",
                    "y": self.tr("frequency.heat.y")}),
            "alpha": figures.residual_components_fig(snap.alpha, snap.alpha0, labels={
                "title": self.tr("frequency.alpha.title"), "x": self.tr("frequency.alpha.x")}),
        }
