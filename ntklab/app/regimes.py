"""Regimes dashboard: lazy or rich. A two-layer ReLU net with Luo, Xu, Ma & Zhang's (2021)
exponents (γ, γ′) trains beside its linearization; its neurons move (or do not) while it
trains, and the measured phase diagram shows where the setting lies. Wiring only:
:func:`ntklab.experiments.regimes.regime_run` and
:func:`~ntklab.experiments.regimes.rd_vs_width` compute (the map is the shipped
:func:`~ntklab.experiments.regimes.load_phase_diagram`), :mod:`ntklab.figures.regimes` draws.

While the net trains, frames show the neurons (orientation against output mass) at the
latest record beside their initial positions, the fit and RD(t) so far. The button measures
RD against width (256, 1024, 4096) at the current (γ, γ′) and seed, with the fitted slope.
The captions quote :func:`ntklab.experiments.regimes.claims`, checked on what is shown.
"""

from __future__ import annotations

from ..experiments.common import WORK_BUDGET
from ..experiments.regimes import (
    RD_WIDTHS,
    claims,
    load_phase_diagram,
    neurons,
    rd_vs_width,
    regime_run,
    relative_distance,
)
from ..figures import regimes as figures
from .controls import Param
from .training import WIDTH_STEP, SweepDashboard

__all__ = ["RegimesDashboard"]

_MAP = []  # the shipped phase diagram, read once per kernel


def _diagram():
    if not _MAP:
        _MAP.append(load_phase_diagram())
    return _MAP[0]


class RegimesDashboard(SweepDashboard):
    """γ, γ′ (Luo et al.'s exponents, init scale s = 1), width m, the step cap and the seed.

    URL names: ``gamma``, ``gp``, ``m``, ``steps``, ``seed``, ``lang`` (e.g.
    ``?gamma=0.5&m=4096`` is the NTK's exponents). The default (γ, γ′) = (1.5, 0) is in the
    condensed regime.
    """

    TITLE, INTRO = "regimes.title", "regimes.intro"
    PARAMS = (
        Param("gamma", 1.5, "float", "regimes.gamma", lo=0.25, hi=2.0, step=0.05),
        Param("gp", 0.0, "float", "regimes.gp", lo=-1.0, hi=1.0, step=0.05),
        Param("m", 1024, "int", "regimes.m", lo=64, hi=4096, widget="log_int",
              step=WIDTH_STEP),
        Param("steps", 16000, "int", "regimes.steps", lo=1000, hi=16000, step=1000),
        Param("seed", 0, "int", "regimes.seed", lo=0, hi=9999, widget="int_text"),
    )
    FIGURES = (
        ("neurons", "regimes.neurons.caption"),
        ("fit", "regimes.fit.caption"),
        ("rd", "regimes.rd.caption"),
        ("map", "regimes.map.caption"),
        ("sweep", "regimes.sweep.caption"),
    )

    SWEEP_BUTTON = "regimes.sweep.button"

    def sweep_label_fields(self) -> dict:
        return {"widths": ", ".join(map(str, RD_WIDTHS))}

    # -- computation ------------------------------------------------------------------
    @staticmethod
    def _run_key(v):
        return (v["gamma"], v["gp"], v["m"], v["steps"], v["seed"])

    @staticmethod
    def _sweep_key(v):
        return (v["gamma"], v["gp"], v["steps"], v["seed"])

    def compute(self, values, token):
        key, skey = self._run_key(values), self._sweep_key(values)
        pair = (values["gamma"], values["gp"])
        run = self._runs.get(key)
        if run is None:
            state = {"rd": [], "t": []}

            def on_start(x, y, x_test, y_test):
                state.update(data=(x, y, x_test, y_test))
                self.draw_frame(lambda: self._start_figures(state, values), token, force=True)

            def on_frame(p):
                if p.params is not None and p.record_step != state.get("record"):
                    if "p0" not in state:
                        state["p0"] = p.params
                    state.update(record=p.record_step, now=p.params, f=(p.f_net, p.f_lin))
                    state["t"].append(p.t)
                    state["rd"].append(relative_distance(state["p0"], p.params))
                self.draw_frame(lambda: self._frame_figures(state, values), token)

            what = self.tr("regimes.working", m=values["m"], gamma=pair[0], gp=pair[1])
            token.progress(0.0, what)
            run = regime_run(pair, values["m"], seed=values["seed"], max_steps=values["steps"],
                             on_start=on_start,
                             on_step=self.train_progress(token, what, on_frame))
            if run is not None:
                self.remember(self._runs, key, run)
        sweep = self._sweeps.get(skey)
        if sweep is None and self._sweep_wanted == skey:
            parts = len(RD_WIDTHS)
            seen = {"part": -1, "step": None}

            def sweep_progress(p):  # one training per width, in order
                if seen["step"] is None or p.step <= seen["step"]:
                    seen["part"] += 1
                seen["step"] = p.step
                part = min(seen["part"], parts - 1)
                token.progress((part + p.step / p.steps) / parts, self.tr(
                    "regimes.sweep.working", m=RD_WIDTHS[part], i=part + 1, k=parts))

            token.progress(0.0, self.tr("regimes.sweep.working", m=RD_WIDTHS[0], i=1, k=parts))
            sweep = rd_vs_width(pair, RD_WIDTHS, seeds=(values["seed"],),
                                max_steps=values["steps"], budget=WORK_BUDGET,
                                on_step=sweep_progress)
            if sweep is not None:
                self.remember(self._sweeps, skey, sweep)
        return run, sweep

    def claims(self, result, values):
        run, sweep = result
        return claims(run, sweep, _diagram())

    def claim_fields(self, claim):
        fields = super().claim_fields(claim)
        for name in ("theory", "said"):
            if name in fields:
                fields[name] = self.tr(f"regimes.regime.{fields[name]}")
        return fields

    # -- figures (ntklab.figures.regimes, with translated labels) -----------------------
    def _labels(self, key, **fields):
        return {"title": self.tr(key, **fields)}

    def _fit_figure(self, data, f_net, f_lin, values):
        x, y, x_test, y_test = data
        lab = self._labels("regimes.fit.title", gamma=values["gamma"], gp=values["gp"],
                           m=values["m"])
        lab.update(target=self.tr("regimes.fit.target"), train=self.tr("regimes.fit.train"))
        return figures.fit_fig(x_test, y_test, x, y, f_net, f_lin, labels=lab)

    def _neurons_figure(self, p0, now):
        a0, m0 = neurons(p0) if p0 is not None else (None, None)
        a1, m1 = neurons(now) if now is not None else (None, None)
        lab = self._labels("regimes.neurons.title")
        lab.update(x=self.tr("regimes.neurons.x"), y=self.tr("regimes.neurons.y"),
                   init=self.tr("regimes.neurons.init"), now=self.tr("regimes.neurons.now"))
        if a0 is None:
            return figures.neurons_fig([], [], labels=lab)
        return figures.neurons_fig(a0, m0, a1, m1, labels=lab)

    def _rd_figure(self, t, rd, concentration=None):
        lab = self._labels("regimes.rd.title")
        lab.update(x=self.tr("regimes.t"), rd=self.tr("regimes.rd.rd"),
                   concentration=self.tr("regimes.rd.concentration"))
        return figures.rd_fig(t, rd, concentration, labels=lab)

    def _map_figure(self, values):
        lab = self._labels("regimes.map.title")
        lab.update(slope=self.tr("regimes.map.slope"), boundary=self.tr("regimes.map.boundary"),
                   unconverged=self.tr("regimes.map.unconverged", cap=_diagram().max_steps),
                   named=self.tr("regimes.map.named"), current=self.tr("regimes.map.current"))
        return figures.map_fig(_diagram(), (values["gamma"], values["gp"]), labels=lab)

    def _sweep_figure(self, sweep):
        lab = self._labels("regimes.sweep.empty") if sweep is None else self._labels(
            "regimes.sweep.title", slope=sweep.slope, gamma=sweep.gamma, gp=sweep.gamma_prime)
        lab.update(x=self.tr("regimes.m"), rd=self.tr("regimes.sweep.rd"),
                   slope=self.tr("regimes.sweep.slope"))
        return figures.sweep_fig(sweep, labels=lab, u_range=RD_WIDTHS)

    def _start_figures(self, state, values):
        return {"fit": self._fit_figure(state["data"], None, None, values),
                "neurons": self._neurons_figure(None, None),
                "rd": self._rd_figure(None, None),
                "map": self._map_figure(values)}

    def _frame_figures(self, state, values):
        """A frame while training: the latest recorded neurons and fit, RD so far."""
        if "now" not in state:
            return {}
        return {"fit": self._fit_figure(state["data"], *state["f"], values),
                "neurons": self._neurons_figure(state["p0"], state["now"]),
                "rd": self._rd_figure(state["t"], state["rd"])}

    def build_figures(self, result, values):
        run, sweep = result
        lab = self._labels("regimes.neurons.title")
        lab.update(x=self.tr("regimes.neurons.x"), y=self.tr("regimes.neurons.y"),
                   init=self.tr("regimes.neurons.init"), now=self.tr("regimes.neurons.now"))
        return {
            "neurons": figures.neurons_fig(run.angle[0], run.mass[0], run.angle[-1],
                                           run.mass[-1], labels=lab),
            "fit": self._fit_figure((run.x_train, run.y_train, run.x_test, run.y_test),
                                    run.f_net[-1], run.f_lin[-1], values),
            "rd": self._rd_figure(run.t, run.rd, run.concentration),
            "map": self._map_figure(values),
            "sweep": self._sweep_figure(sweep),
        }
